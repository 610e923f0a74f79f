/**
 * The standalone sync inspector (`/inspector`): a tab of its own on the engine (`role: 'inspector'`) showing the
 * engine's picture live, plus the simulator's control strip when the control API is on.
 */
import { AuthPrompt } from './auth-prompt';
import { currentAgent, getConnect } from './connect-global';
import { customerNameOf, viewOf } from './contact-card';
import { ControlStrip } from './control-strip';
import { h, setText } from './dom';
import { InspectorLive } from './inspector-live';
import { InspectorView } from './inspector-view';
import { SimClient } from './sim-client';
import { Toasts } from './toasts';

const connect = getConnect();
const root = document.getElementById('inspector') as HTMLElement;
const agent = () => currentAgent(connect);

const toasts = new Toasts();
const auth = new AuthPrompt(connect, location.pathname);
const view = new InspectorView({ headingLevel: 2, label: 'Engine state' });
const live = new InspectorLive(connect, view);
const who = h('p', { class: 'meta', id: 'inspector-agent' }, 'No agent data yet.');
const strip = new ControlStrip(new SimClient(), {
  username: () => agent()?.getConfiguration().username,
  contacts: () => (agent()?.getContacts() ?? []).map((c) => ({ contactId: c.getContactId(), label: `${customerNameOf(c, viewOf(c))} (${c.getType()})` })),
}, toasts, 2);

root.replaceChildren(
  h('header', { class: 'inspector-header' }, h('h1', {}, 'Sync inspector'), who,
    h('nav', { 'aria-label': 'Pages' }, h('a', { href: '/ccp', target: '_blank', rel: 'noopener' }, 'Open a CCP tab'))),
  auth.el,
  h('div', { class: 'inspector-columns' }, view.el, strip.el),
  toasts.el);

function refresh(): void {
  const a = agent();
  if (!a) return;
  if (!connect.core.getState().stale) auth.signedIn();
  const state = a.getState();
  setText(who, `${a.getName()} · ${state.name} · ${a.getContacts().length} contact(s)`);
  strip.refresh();
}

// The inspector does not need a session itself: without one it shows a sign-in banner and keeps inspecting.
auth.start({ redirect: false });
connect.agent((a) => {
  refresh();
  a.onRefresh(refresh);
});
connect.core.initSharedWorker({ role: 'inspector' });
live.start();
