import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROADCAST_CHANNEL_NAME, LEADER_LOCK_NAME, STEAL_GUARD_LOCK_NAME } from '../shared/broadcast-protocol';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { SHARED_WORKER_NAME } from './sharedworker/shared-worker';

// After an incompatible change, an old tab's engine (its SharedWorker, or its fallback leader) outlives a deploy for
// as long as that tab stays open. A new tab must meet none of it: not the worker, not the channel, and not the
// leader lock (a new tab queued behind an old leader on another channel would wait for data forever).
test('the SharedWorker, the fallback channel and its locks carry the protocol version, and move with it', () => {
  const v = `v${PROTOCOL_VERSION}`;
  assert.equal(SHARED_WORKER_NAME, `connect-sync-${v}`);
  assert.equal(BROADCAST_CHANNEL_NAME, `connect-sync:${v}`);
  assert.equal(LEADER_LOCK_NAME, `connect-sync:${v}:leader`);
  assert.equal(STEAL_GUARD_LOCK_NAME, `connect-sync:${v}:leader-steal`);
});
