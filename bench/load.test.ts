import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRow } from './load';

test('loadRow: the requests made between two readings, by operation, and per minute of the window', () => {
  const row = loadRow('baseline', 20, 10,
    { GetAgentSnapshot: 5, GetAgentConfiguration: 2, lastSeen: 1 },
    { GetAgentSnapshot: 15, GetAgentConfiguration: 3, GetAgentStates: 1, lastSeen: 9 }, 2_000);
  assert.deepEqual(row.byOperation, { GetAgentSnapshot: 10, GetAgentConfiguration: 1, GetAgentStates: 1 }, 'only operations, only those made');
  assert.equal(row.snapshotPolls, 10);
  assert.equal(row.total, 12);
  assert.equal(row.totalPerMinute, 360);
  assert.deepEqual(row.perMinute, { GetAgentSnapshot: 300, GetAgentConfiguration: 30, GetAgentStates: 30 });
  assert.equal(row.windowMs, 2_000);
});
