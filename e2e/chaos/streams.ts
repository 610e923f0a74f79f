/**
 * Streams events as a CRM sees them, recorded in every tab through the public API (`connect.agent`,
 * `connect.contact`, the agent's and contacts' `on…` subscriptions) — the same code for our library and the genuine
 * amazon-connect-streams release — and the checks that prove none was lost or raised twice.
 */
import type { Page } from 'playwright';

/** What a tab recorded. `contacts[id]` lists the contact's events in order; its first is `present` (there when the
 * recording began) or `init` (`connect.contact` told of it). */
export interface StreamRecord {
  initialState: string | null;
  /** `agent::state_change`: [oldState, newState]. */
  states: [string, string][];
  contacts: Record<string, string[]>;
}

/** The contact events recorded, each by its Streams subscription. */
export const CONTACT_EVENTS = [
  ['connecting', 'onConnecting'], ['accepted', 'onAccepted'], ['connected', 'onConnected'],
  ['ended', 'onEnded'], ['missed', 'onMissed'], ['destroy', 'onDestroy'],
] as const;

/** Installs the recorder in a page whose `connect` holds agent data (ours or the genuine library's). */
export async function startStreamRecording(page: Page): Promise<void> {
  await page.evaluate((events) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = window as any;
    const c = w.connect;
    const rec: StreamRecord = { initialState: null, states: [], contacts: {} };
    w.__chaosStreams = rec;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const watch = (contact: any, first: 'present' | 'init'): void => {
      const id = String(contact.getContactId());
      const seen = rec.contacts[id];
      // Told again of a contact it already knows: a duplicated init (recorded, not subscribed twice).
      if (seen) { seen.push(first); return; }
      const list: string[] = [first];
      rec.contacts[id] = list;
      for (const [name, method] of events) contact[method](() => list.push(name));
    };
    let started = false;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    c.agent((agent: any) => {
      if (started) return;
      started = true;
      rec.initialState = agent.getState().name;
      agent.onStateChange((e: { oldState: string; newState: string }) => rec.states.push([e.oldState, e.newState]));
    });
    // Ours replays the contacts it already announced to a new `connect.contact` subscriber, synchronously (a
    // documented deviation); the genuine library does not. Either way a contact there before the recording is
    // `present`, and only a later `contact::init` counts as an announcement.
    let replaying = true;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    c.contact((contact: any) => watch(contact, replaying ? 'present' : 'init'));
    replaying = false;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const contact of new c.Agent().getContacts()) if (!rec.contacts[String(contact.getContactId())]) watch(contact, 'present');
  }, CONTACT_EVENTS as unknown as [string, string][]);
}

/** The tab's record, or null when it does not answer. */
export async function readStreamRecord(page: Page, timeoutMs = 5000): Promise<StreamRecord | null> {
  return Promise.race([
    page.evaluate(() => (window as unknown as { __chaosStreams?: StreamRecord }).__chaosStreams ?? null),
    new Promise<null>((r) => setTimeout(() => r(null), timeoutMs)),
  ]).catch(() => null);
}

/** Events recorded in all (for the report). */
export function eventCount(r: StreamRecord): number {
  return r.states.length + Object.values(r.contacts).reduce((a, l) => a + l.length, 0);
}

/** Events that must come at most once in a contact's life. */
const ONCE = new Set(['accepted', 'ended', 'missed', 'destroy']);

/**
 * What is wrong with a tab's record, given the backend's final truth (the tab has converged on it):
 * - duplicated: a contact announced twice, an event of `ONCE` twice, an event after its destroy, a state change
 *   whose old state is not the previous new state (a repeat), or a change to the same state;
 * - lost: a broken state chain, a last state that is not the truth's, a contact the truth holds that the tab was
 *   never told of or was told was destroyed, a contact gone from the truth whose destroy never came.
 */
export function streamProblems(r: StreamRecord, truth: { stateName: string; contactIds: string[] }): { lost: string[]; duplicated: string[] } {
  const lost: string[] = [];
  const duplicated: string[] = [];
  let current = r.initialState;
  if (current === null) lost.push('connect.agent never called back');
  r.states.forEach(([from, to], i) => {
    if (from === to) duplicated.push(`state change #${i} ${from} -> ${to} changes nothing`);
    else if (current !== null && from !== current) {
      (from === r.states[i - 1]?.[0] && to === r.states[i - 1]?.[1] ? duplicated : lost)
        .push(`state change #${i} ${from} -> ${to} after ${current}`);
    }
    current = to;
  });
  if (current !== null && current !== truth.stateName) lost.push(`last state change ended in ${current}, the agent is ${truth.stateName}`);
  for (const [id, list] of Object.entries(r.contacts)) {
    const short = id.slice(0, 8);
    const firsts = list.filter((n) => n === 'present' || n === 'init').length;
    if (firsts > 1) duplicated.push(`contact ${short} announced ${firsts} times (${list.join(',')})`);
    for (const name of ONCE) {
      const n = list.filter((x) => x === name).length;
      if (n > 1) duplicated.push(`contact ${short}: ${name} ${n} times`);
    }
    const destroyAt = list.indexOf('destroy');
    if (destroyAt >= 0 && destroyAt < list.length - 1) duplicated.push(`contact ${short}: ${list.slice(destroyAt + 1).join(',')} after destroy`);
    const held = truth.contactIds.includes(id);
    if (held && destroyAt >= 0) lost.push(`contact ${short} destroyed in the tab, still held by the agent`);
    if (!held && destroyAt < 0) lost.push(`contact ${short} gone from the agent, its destroy never came (${list.join(',')})`);
  }
  for (const id of truth.contactIds) if (!r.contacts[id]) lost.push(`contact ${id.slice(0, 8)} held by the agent, never announced`);
  return { lost, duplicated };
}
