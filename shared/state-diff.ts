/**
 * The engine's half of state deltas: what changed between two versions, which every tab applies with `applyDelta`
 * (`delta.ts`, its inverse: `applyDelta(prev, diffState(prev, next)) ≡ next`). Only the engine computes deltas, so
 * this stays out of the pages' bundle.
 */
import { contactOrder, jsonEqual, withoutContacts } from './delta';
import { DownType, type StateDelta, type StateFull } from './protocol';

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
  // Each contact is compared once (with its namesake before); the lists differ when one was put, left, or moved.
  const contactsA = a.snapshot.contacts;
  const contactsB = b.snapshot.contacts;
  const before = new Map(contactsA.map((c) => [c.contactId, c]));
  const after = new Set(contactsB.map((c) => c.contactId));
  const put = contactsB.filter((c) => !jsonEqual(before.get(c.contactId), c));
  const del = contactsA.filter((c) => !after.has(c.contactId)).map((c) => c.contactId);
  const implied = put.length || del.length ? contactOrder(contactsA, put, del) : contactsA;
  const reordered = implied.length !== contactsB.length || implied.some((c, i) => c.contactId !== contactsB[i]!.contactId);
  const contactsChanged = put.length > 0 || del.length > 0 || reordered;
  if (!jsonEqual(restA, restB) || (contactsChanged && agentA.snapshotTimestamp !== agentB.snapshotTimestamp)) {
    out.agent = agentB;
    changed = true;
  }
  if (contactsChanged) {
    if (put.length) out.put = put;
    if (del.length) out.del = del;
    if (reordered) out.order = contactsB.map((c) => c.contactId);
    changed = true;
  }
  if (!jsonEqual(a.configuration, b.configuration)) {
    out.configuration = b.configuration;
    changed = true;
  }
  return changed ? out : null;
}
