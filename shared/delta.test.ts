import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDelta, jsonEqual } from './delta';
import { diffState } from './state-diff';
import { DownType, type StateDelta, type StateFull } from './protocol';
import type { AgentData } from './cti';
import { configuration, contact, snapshot } from '../testing/worker/agent-data';

function full(version: number, data: AgentData | null, skew = 0, stale?: boolean): StateFull {
  return { type: DownType.STATE, version, data, skew, ...(stale ? { stale } : {}) };
}

function data(contacts = [contact('c1')], time = 1_700_000_100, stateName = 'Available'): AgentData {
  return { snapshot: snapshot(contacts, { time, stateName }), configuration: configuration() };
}

/** Diff then apply, through JSON like the wire does; returns the rebuilt state. */
function roundTrip(prev: StateFull, next: StateFull): StateFull | null {
  const d = diffState(prev, next);
  if (!d) return null;
  const delta = JSON.parse(JSON.stringify({ ...d, version: prev.version + 1, base: prev.version })) as StateDelta;
  return applyDelta(prev, delta);
}

describe('diffState / applyDelta', () => {
  test('unchanged data gives null', () => {
    assert.equal(diffState(full(1, data()), full(1, data())), null);
  });

  test('snapshotTimestamp alone changing is not a change', () => {
    assert.equal(diffState(full(1, data([contact('c1')], 100)), full(1, data([contact('c1')], 200))), null);
  });

  test('agent state change carries the agent without contacts', () => {
    const d = diffState(full(1, data()), full(1, data(undefined, undefined, 'Lunch')));
    assert.ok(d?.agent);
    assert.equal(d.agent.state.name, 'Lunch');
    assert.equal('contacts' in d.agent, false);
    assert.equal(d.put, undefined);
  });

  test('added, changed and removed contacts and reordering rebuild the next state exactly', () => {
    const a = full(3, data([contact('c1'), contact('c2'), contact('c3')]));
    const b = full(3, data([contact('c3', 'ended'), contact('c4'), contact('c1')], 1_700_000_200));
    const rebuilt = roundTrip(a, b);
    assert.ok(rebuilt);
    assert.ok(jsonEqual(rebuilt.data, b.data));
    assert.equal(rebuilt.version, 4);
  });

  test('skew and configuration changes travel alone', () => {
    const a = full(1, data(), 10);
    const cfg = { ...configuration(), permissions: ['outboundCall', 'transfer'] };
    const b = full(1, { ...data(), configuration: cfg }, 25);
    const d = diffState(a, b);
    assert.deepEqual(Object.keys(d ?? {}).sort(), ['configuration', 'skew', 'type']);
    assert.ok(jsonEqual(roundTrip(a, b), { ...b, version: 2 }));
  });

  test('the stale flag travels in the delta and survives apply (fix: it was dropped before)', () => {
    const a = full(1, data(), 0, true);
    const b = full(1, data(), 0, false);
    const d = diffState(a, b);
    assert.equal(d?.stale, false);
    const rebuilt = roundTrip(a, b);
    assert.equal(rebuilt?.stale, undefined);
    // a delta that does not touch stale keeps it set
    const c = full(1, data(undefined, undefined, 'Lunch'), 0, true);
    assert.equal(roundTrip(a, c)?.stale, true);
  });

  test('a delta with the wrong base is refused', () => {
    const a = full(5, data());
    const delta: StateDelta = { type: DownType.DELTA, version: 7, base: 6, skew: 3 };
    assert.equal(applyDelta(a, delta), null);
  });

  test('no base data: diff is null (caller sends a full state)', () => {
    assert.equal(diffState(full(1, null), full(1, data())), null);
  });
});
