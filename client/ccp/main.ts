/**
 * The CCP page. Built only on the public `connect` API (the global from `connect-streams.js`), like any integration.
 */
import type { connect as ConnectNamespace } from '../index';

declare global {
  interface Window { connect: typeof ConnectNamespace }
}

const connect = window.connect;
const root = document.getElementById('ccp') as HTMLElement;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function render(): void {
  let agent: InstanceType<typeof connect.Agent>;
  try {
    agent = new connect.Agent();
  } catch {
    return; // not initialised yet
  }
  const state = agent.getState();
  const picker = h('select', { id: 'state-picker', 'aria-label': 'Agent state' });
  for (const s of agent.getAgentStates()) {
    const opt = h('option', { value: s.name }, s.name);
    if (s.name === state.name) opt.selected = true;
    picker.append(opt);
  }
  picker.addEventListener('change', () => {
    const target = agent.getAgentStates().find((s) => s.name === picker.value);
    if (target) agent.setState(target, { failure: (e) => showError(`setState failed: ${e.type}: ${e.message}`) });
  });
  const info = connect.core.getState();
  const contacts = agent.getContacts().map((c) => h('div', { class: 'contact', 'data-contact-id': c.getContactId() },
    h('div', {}, `${c.getType()} · `, h('span', { class: 'contact-state' }, c.getState().type)),
    h('div', { class: 'meta' }, c.getContactId()),
  ));
  const next = info.data?.snapshot.nextState;
  root.replaceChildren(
    h('header', {},
      h('h1', {}, agent.getName()),
      h('span', { class: `state ${state.type}`, id: 'agent-state', 'data-state-type': state.type }, state.name),
    ),
    h('div', { class: 'meta', id: 'state-duration' }, formatDuration(agent.getStateDuration())),
    next ? h('div', { class: 'meta', id: 'next-state' }, `Next: ${next.name}`) : '',
    h('label', { for: 'state-picker' }, 'Set state '), picker,
    h('section', { id: 'contacts', 'aria-label': 'Contacts' }, ...contacts),
    h('div', { class: 'meta', id: 'sync-info' }, `v${info.version} · skew ${Math.round(info.skew)} ms · ${connect.core.getTransportKind() ?? '…'}${info.stale ? ' · stale' : ''}`),
    h('details', {}, h('summary', {}, 'Raw state'), h('pre', { id: 'raw-state' }, JSON.stringify(info.data, null, 1))),
  );
}

function showError(text: string): void {
  root.append(h('p', { class: 'error', role: 'alert' }, text));
}

connect.core.onAuthFail(() => {
  // Standalone CCP: go through the login page and come back. (Framed CCPs use the login popup instead.)
  if (window.top === window) location.href = `/login?redirect=${encodeURIComponent(location.pathname + location.search)}`;
});
connect.core.onAccessDenied(() => showError('Access denied for this agent.'));
connect.agent((agent) => {
  render();
  agent.onRefresh(render);
});
// Durations tick locally (skew-corrected by the API); only the text changes, so a focused control is left alone.
setInterval(() => {
  const el = document.getElementById('state-duration');
  if (el) el.textContent = formatDuration(new connect.Agent().getStateDuration());
}, 1000);
connect.core.initSharedWorker({ role: 'ccp' });
