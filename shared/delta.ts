/**
 * State deltas: the engine sends a tab only what changed between two versions, and every tab rebuilds the same
 * state from them. `diffState` (`state-diff.ts`, the engine's half, apart so that the pages' bundle does not carry
 * it) and `applyDelta` are inverse: `applyDelta(prev, diffState(prev, next)) ≡ next`.
 */
import type { AgentData, Contact } from './cti';
import { DownType, type StateDelta, type StateFull } from './protocol';

/** Deep equality of plain JSON values (what CTI data is); a key whose value is `undefined` counts as absent. The
 * engine compares every contact of every poll answer with this, so it allocates nothing. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const aa = a as unknown[];
    const bb = b as unknown[];
    if (aa.length !== bb.length) return false;
    for (let i = 0; i < aa.length; i++) if (!jsonEqual(aa[i], bb[i])) return false;
    return true;
  }
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  let defined = 0;
  for (const k in oa) {
    const v = oa[k];
    if (v === undefined) continue;
    defined++;
    if (!jsonEqual(v, ob[k])) return false;
  }
  for (const k in ob) if (ob[k] !== undefined) defined--;
  return defined === 0;
}

export function withoutContacts(s: AgentData['snapshot']): Omit<AgentData['snapshot'], 'contacts'> {
  const { contacts: _ignored, ...rest } = s;
  return rest;
}

/** Contacts after replacing `put` in place, appending new ones, and removing `del`. */
export function contactOrder(base: Contact[], put: Contact[], del: string[]): Contact[] {
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

/** Whether a delta carries agent data (as opposed to only skew or the stale flag). The engine sends a data field
 * only when it changed (`state-diff.ts`), so such a delta changed the data and one without did not. */
export function deltaTouchesData(d: StateDelta): boolean {
  return d.agent !== undefined || d.put !== undefined || d.del !== undefined || d.order !== undefined
    || d.configuration !== undefined;
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
