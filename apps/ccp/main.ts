/**
 * The CCP page (`/ccp`). Built only on the public `connect` API (the global from `connect-streams.js`), like any
 * integration: agent header and state picker, contact cards, dial pad, log download, and a collapsible sync
 * inspector with the simulator's control strip.
 */
import { AgentPanel } from './agent-panel';
import { AuthPrompt } from './auth-prompt';
import { currentAgent, getConnect } from './connect-global';
import { ContactList } from './contact-list';
import { contactKindLabel } from './contact-rules';
import { customerNameOf, viewOf } from './contact-card';
import { ControlStrip } from './control-strip';
import { DialPad } from './dial-pad';
import { button, h, setHidden, setText } from './dom';
import { formatSignedMs } from './format';
import { InspectorLive } from './inspector-live';
import { InspectorView } from './inspector-view';
import { QuickConnects } from './quick-connects';
import { controlApiEnabled, SimClient } from './sim-client';
import { Toasts } from './toasts';

/** Durations tick once a second: the finest unit they show. */
const TICK_MS = 1000;

const connect = getConnect();
const root = document.getElementById('ccp') as HTMLElement;
const agent = () => currentAgent(connect);

const toasts = new Toasts();
const sim = new SimClient();
const simEnabled = controlApiEnabled(sim);
const quickConnects = new QuickConnects(toasts);
const auth = new AuthPrompt(connect, location.pathname + location.search);
const agentPanel = new AgentPanel(connect, toasts);
const contacts = new ContactList({ toasts, quickConnects, sim, simEnabled, agent });
const dialPad = new DialPad(connect, agent, quickConnects, toasts);
const loading = h('p', { class: 'loading', role: 'status' }, 'Connecting…');
const syncInfo = h('p', { class: 'meta', id: 'sync-info' });

const inspectorView = new InspectorView({ headingLevel: 3, label: 'Engine state' });
const inspectorLive = new InspectorLive(connect, inspectorView);
const strip = new ControlStrip(sim, {
  username: () => agent()?.getConfiguration().username,
  contacts: () => (agent()?.getContacts() ?? []).map((c) => ({ contactId: c.getContactId(), label: `${customerNameOf(c, viewOf(c))} (${c.getType()})` })),
}, toasts, 3);
const inspectorPanel = h('details', { id: 'inspector-panel', class: 'panel' },
  h('summary', {}, 'Sync inspector'), inspectorView.el, strip.el,
  h('p', { class: 'meta' }, h('a', { href: '/inspector', target: '_blank', rel: 'noopener' }, 'Open the inspector in a tab')));
// Ask the engine for its picture only while someone looks at it.
inspectorPanel.addEventListener('toggle', () => (inspectorPanel.open ? inspectorLive.start() : inspectorLive.stop()));

const body = h('div', { class: 'ccp-body', hidden: true }, agentPanel.el, contacts.el, dialPad.el);
const footer = h('footer', { class: 'ccp-footer', hidden: true },
  h('div', { class: 'toolbar' }, button('Download logs', () => connect.getLog().download(), { class: 'small' })),
  syncInfo, inspectorPanel);
root.replaceChildren(auth.el, loading, body, footer, toasts.el);

function renderSyncInfo(): void {
  const s = connect.core.getState();
  const transport = connect.core.getTransportKind() ?? 'connecting';
  const tabs = connect.core.getNumberOfConnectedCCPs();
  setText(syncInfo, `v${s.version} · skew ${formatSignedMs(s.skew)} · ${transport} · ${tabs} tab${tabs === 1 ? '' : 's'}${s.stale ? ' · stale' : ''}`);
}

function refresh(): void {
  const a = agent();
  if (!a) return;
  setHidden(loading, true);
  setHidden(body, false);
  setHidden(footer, false);
  if (!connect.core.getState().stale) auth.signedIn();
  agentPanel.refresh();
  contacts.refresh(a);
  strip.refresh();
  if (connect.core.getTabId()) quickConnects.load(a);
  renderSyncInfo();
}

/**
 * Changes render at the next frame, once however many arrived: the browser paints no more often, a burst of changes
 * costs one render, the tab hands the message back at once (on a busy machine the other CCP tabs are waiting for the
 * CPU), and a hidden tab renders nothing until it is shown.
 */
let refreshFrame: number | null = null;
function scheduleRefresh(): void {
  if (refreshFrame !== null) return;
  refreshFrame = requestAnimationFrame(() => {
    refreshFrame = null;
    refresh();
  });
}

auth.start({ redirect: true });
connect.core.onAccessDenied(() => toasts.error('Signing in', { type: connect.CTIExceptions.ACCESS_DENIED_EXCEPTION, message: 'This agent may not use this CCP.' }));
connect.core.getEventBus().subscribe(connect.EventType.ACK_TIMEOUT, () => toasts.info('Lost the engine; reconnecting…'));
// Connected (again): what needs the engine (quick connects) can load now, even if the state did not change.
connect.core.getEventBus().subscribe(connect.EventType.ACKNOWLEDGE, scheduleRefresh);
connect.agent((a) => {
  refresh();
  a.onRefresh(scheduleRefresh);
  a.onStateChange(({ newState }) => toasts.announce(`Agent state: ${newState}`));
  a.onMuteToggle(({ muted }) => {
    contacts.setMuted(muted);
    toasts.announce(muted ? 'Muted' : 'Unmuted');
  });
});
connect.contact((c) => {
  const announceIncoming = (): void => {
    try {
      const view = viewOf(c);
      toasts.announce(`${contactKindLabel(view)} from ${customerNameOf(c, view)}`);
    } catch {
      // gone already
    }
  };
  c.onIncoming(announceIncoming);
  if (c.isInbound()) c.onConnecting(announceIncoming);
});
// Only texts change every second; controls are left alone so focus and open pickers are undisturbed.
setInterval(() => {
  agentPanel.tick();
  contacts.tick();
  renderSyncInfo();
}, TICK_MS);
connect.core.initSharedWorker({ role: 'ccp' });
