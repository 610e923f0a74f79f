/**
 * State deltas: the engine sends a tab only what changed between two versions, and every tab rebuilds the same
 * state from them. `diffState` and `applyDelta` are inverse: `applyDelta(prev, diffState(prev, next)) ≡ next`.
 */
import type { AgentData, Contact } from './cti';
import { DownType, type StateDelta, type StateFull } from './protocol';

/** Deep equality of plain JSON values (what CTI data is). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function withoutContacts(s: AgentData['snapshot']): Omit<AgentData['snapshot'], 'contacts'> {
  const { contacts: _ignored, ...rest } = s;
  return rest;
}

/**
 * The delta from `prev` to `next`, or `null` when a tab could observe no difference. `snapshotTimestamp` alone
 * changing is not observable (skew carries the clock), so an unchanged long-poll answer sends nothing.
 */
export function diffState(prev: StateFull, next: Omit<StateFull, 'type' | 'version'>): Omit<StateDelta, 'version' | 'base'> | null {
  const out: Omit<StateDelta, 'version' | 'base'> = { type: DownType.DELTA };
  let changed = false;
  if (prev.skew !== next.skew) { out.skew = next.skew; changed = true; }
  if ((prev.stale ?? false) !== (next.stale ?? false)) { out.stale = next.stale ?? false; changed = true; }
  const a = prev.data;
  const b = next.data;
  if (!b) return changed ? out : null; // data never goes back to null except through a full state
  if (!a) return null; // no base to diff against: caller sends a full state
  const agentA = withoutContacts(a.snapshot);
  const agentB = withoutContacts(b.snapshot);
  const { snapshotTimestamp: _ta, ...restA } = agentA;
  const { snapshotTimestamp: _tb, ...restB } = agentB;
  const contactsChanged = !jsonEqual(a.snapshot.contacts, b.snapshot.contacts);
  if (!jsonEqual(restA, restB) || (contactsChanged && agentA.snapshotTimestamp !== agentB.snapshotTimestamp)) {
    out.agent = agentB;
    changed = true;
  }
  if (contactsChanged) {
    const before = new Map(a.snapshot.contacts.map((c) => [c.contactId, c]));
    const after = new Set(b.snapshot.contacts.map((c) => c.contactId));
    const put = b.snapshot.contacts.filter((c) => !jsonEqual(before.get(c.contactId), c));
    const del = a.snapshot.contacts.filter((c) => !after.has(c.contactId)).map((c) => c.contactId);
    if (put.length) out.put = put;
    if (del.length) out.del = del;
    const implied = contactOrder(a.snapshot.contacts, put, del).map((c) => c.contactId);
    const actual = b.snapshot.contacts.map((c) => c.contactId);
    if (!jsonEqual(implied, actual)) out.order = actual;
    changed = true;
  }
  if (!jsonEqual(a.configuration, b.configuration)) {
    out.configuration = b.configuration;
    changed = true;
  }
  return changed ? out : null;
}

/** Contacts after replacing `put` in place, appending new ones, and removing `del`. */
function contactOrder(base: Contact[], put: Contact[], del: string[]): Contact[] {
  const puts = new Map(put.map((c) => [c.contactId, c]));
  const gone = new Set(del);
  const out: Contact[] = [];
  for (const c of base) {
    if (gone.has(c.contactId)) continue;
    out.push(puts.get(c.contactId) ?? c);
    puts.delete(c.contactId);
  }
  for (const c of puts.values()) out.push(c);
  return out;
}

/**
 * Applies `delta` to `state`. Returns the new state, or `null` when the delta does not follow `state`
 * (`delta.base !== state.version`) or cannot apply (no data yet): the caller then asks for a full state.
 */
export function applyDelta(state: StateFull, delta: StateDelta): StateFull | null {
  if (delta.base !== state.version) return null;
  const skew = delta.skew ?? state.skew;
  // `stale` is kept only when true, so a state built here and one sent whole compare equal.
  const staleFlag = (delta.stale ?? state.stale) ? { stale: true as const } : {};
  if (!state.data) {
    if (delta.agent || delta.put || delta.del || delta.configuration) return null;
    return { type: DownType.STATE, version: delta.version, data: null, skew, ...staleFlag };
  }
  let contacts = state.data.snapshot.contacts;
  if (delta.put || delta.del) contacts = contactOrder(contacts, delta.put ?? [], delta.del ?? []);
  if (delta.order) {
    const byId = new Map(contacts.map((c) => [c.contactId, c]));
    const ordered = delta.order.map((id) => byId.get(id));
    if (ordered.some((c) => !c) || ordered.length !== contacts.length) return null;
    contacts = ordered as Contact[];
  }
  const agent = delta.agent ?? withoutContacts(state.data.snapshot);
  return {
    type: DownType.STATE,
    version: delta.version,
    skew,
    ...staleFlag,
    data: {
      snapshot: { ...agent, contacts },
      configuration: delta.configuration ?? state.data.configuration,
    },
  };
}
