import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { followedNewLeader, matches, truthOf, type AgentView } from './checker';
import type { TabView } from './world';

/** The backend lists contacts as they arrived; `state.timestamp` is when each entered its current state (s). */
const backend = (contacts: [id: string, state: string, timestamp: number][]): AgentView => ({
  version: 55, state: { name: 'AfterCallWork' },
  contacts: contacts.map(([contactId, type, timestamp]) => ({ contactId, state: { type, timestamp } })),
});
const tab = (contacts: string[]): TabView => ({
  version: 40, stale: false, stateName: 'AfterCallWork', contacts, events: 0, transport: 'shared-worker', epoch: null, leader: false,
});

describe('the chaos truth', () => {
  // Seen in CI: the first two contacts ended after the third was accepted. The engine lists contacts by the time of
  // their current state, oldest first (the original worker's rule, worker/state-builder.ts), so every tab held
  // [c, a, b] while the backend listed [a, b, c], and the run failed its final convergence with every tab correct.
  const truth = truthOf(backend([['a', 'ended', 1020], ['b', 'ended', 1021], ['c', 'connected', 1017]]));

  test('a tab holding the contacts in the engine\'s order (by state time) matches the backend', () => {
    assert.ok(matches(tab(['c:connected', 'a:ended', 'b:ended']), truth));
  });

  test('the order is still checked: arrival order, or any other, does not match', () => {
    assert.ok(!matches(tab(['a:ended', 'b:ended', 'c:connected']), truth));
    assert.ok(!matches(tab(['c:connected', 'b:ended', 'a:ended']), truth));
  });

  test('contacts whose states began in the same second keep the backend\'s order (a stable sort)', () => {
    const tied = truthOf(backend([['a', 'connected', 1000], ['b', 'connecting', 1000], ['c', 'ended', 999]]));
    assert.deepEqual(tied.contacts, ['c:ended', 'a:connected', 'b:connecting']);
  });

  test('a state or a contact that differs does not match', () => {
    assert.ok(!matches(tab(['c:connected', 'a:ended']), truth));
    assert.ok(!matches({ ...tab(['c:connected', 'a:ended', 'b:ended']), stateName: 'Available' }, truth));
    assert.ok(!matches({ ...tab(['c:connected', 'a:ended', 'b:ended']), stale: true }, truth));
  });
});

describe('the chaos failover measure', () => {
  const ours = (epoch: number | null) => ({ kind: 'ccp' as const, view: { ...tab([]), transport: 'broadcast', epoch } });
  const genuine = { kind: 'genuine' as const, view: { ...tab([]), version: null, transport: 'genuine-streams', epoch: null } };
  const silent = { kind: 'ccp' as const, view: null };

  // Seen in a long fallback run: "failovers 3 (3575 ms, 1006 ms, 2023 ms)" while the tabs' actions went through the
  // new leader within 150 ms. A genuine tab has no epoch (its CCP frame leads in a namespace of its own), so the
  // wait ended only when the genuine tabs happened to be frozen or gone.
  test('every tab of ours on a newer epoch ends it, whatever the genuine tabs show', () => {
    assert.ok(followedNewLeader([ours(3), genuine, ours(3)], 2));
  });

  test('a tab of ours still on the old epoch, or not answering, keeps it waiting; so does having no tab of ours', () => {
    assert.ok(!followedNewLeader([ours(3), ours(2), genuine], 2));
    assert.ok(!followedNewLeader([ours(3), silent], 2));
    assert.ok(!followedNewLeader([ours(3), ours(null)], 2));
    assert.ok(!followedNewLeader([genuine], 2));
  });
});
