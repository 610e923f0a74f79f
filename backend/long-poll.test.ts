import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { longPollTimeoutOf, MAX_LONG_POLL_MS } from './cti/agent';
import { startHarness, type Harness } from '../testing/backend/test-kit';

describe('long-poll timeout', () => {
  test('is capped at 30 s and defaults to the cap', () => {
    assert.equal(MAX_LONG_POLL_MS, 30_000);
    assert.equal(longPollTimeoutOf({ timeout: 10_000_000 }), 30_000);
    assert.equal(longPollTimeoutOf({}), 30_000);
    assert.equal(longPollTimeoutOf({ timeout: 1234 }), 1234);
  });
});

const LUNCH = { name: 'Lunch', type: 'not_routable' };
const AVAILABLE = { name: 'Available', type: 'routable' };

describe('GetAgentSnapshot long poll', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('answers at once without a nextToken, and with a token that is not the current version', async () => {
    const first = await h.cti('GetAgentSnapshot', { timeout: 30000 });
    assert.equal(first.status, 200);
    const started = Date.now();
    const stale = await h.cti('GetAgentSnapshot', { nextToken: 'stale', timeout: 30000 });
    assert.equal(stale.status, 200);
    assert.ok(Date.now() - started < 200);
    assert.equal(stale.body.nextToken, first.body.nextToken, 'no change in between: same version');
    const nulled = await h.cti('GetAgentSnapshot', { nextToken: null, timeout: 30000 });
    assert.equal(nulled.status, 200);
  });

  test('nextToken is the agent\'s version as a string, and moves with every change', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    assert.equal(nextToken, String((await h.truth()).version));
    await h.cti('PutAgentState', { state: LUNCH });
    const after = (await h.cti('GetAgentSnapshot', {})).body;
    assert.notEqual(after.nextToken, nextToken);
    assert.equal(after.snapshot.state.name, 'Lunch');
    await h.cti('PutAgentState', { state: AVAILABLE });
  });

  test('holds while nothing changes and answers with the same token when the timeout passes', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    const started = Date.now();
    const held = await h.cti('GetAgentSnapshot', { nextToken, timeout: 300 });
    const waited = Date.now() - started;
    assert.ok(waited >= 280, `held ${waited} ms`);
    assert.ok(waited < 1500, `held ${waited} ms`);
    assert.equal(held.body.nextToken, nextToken);
    assert.ok(held.body.snapshot.snapshotTimestamp * 1000 >= started, 'snapshotTimestamp is the server clock at answer time');
  });

  test('returns within 50 ms of a change', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    const poll = h.cti('GetAgentSnapshot', { nextToken, timeout: 30000 });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await h.truth()).longPolls, 1, 'the poll is held');
    const changedAt = Date.now();
    await h.cti('PutAgentState', { state: LUNCH });
    const res = await poll;
    const latency = Date.now() - changedAt;
    assert.ok(latency < 50, `answered ${latency} ms after the change`);
    assert.notEqual(res.body.nextToken, nextToken);
    assert.equal(res.body.snapshot.state.name, 'Lunch');
    await h.cti('PutAgentState', { state: AVAILABLE });
  });

  test('a change to another agent does not wake the poll', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    const started = Date.now();
    const poll = h.cti('GetAgentSnapshot', { nextToken, timeout: 300 });
    await h.cti('PutAgentState', { state: LUNCH }, { as: 'agent2' });
    const res = await poll;
    assert.ok(Date.now() - started >= 280);
    assert.equal(res.body.nextToken, nextToken);
  });

  test('timeout 0 answers at once; a negative timeout is refused', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    const started = Date.now();
    const res = await h.cti('GetAgentSnapshot', { nextToken, timeout: 0 });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started < 200);
    const negative = await h.cti('GetAgentSnapshot', { nextToken, timeout: -1 });
    assert.equal(negative.status, 400);
    assert.match(negative.body.message, /timeout/);
  });

  test('a client that goes away frees its waiter', async () => {
    const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
    const abort = new AbortController();
    const poll = h.cti('GetAgentSnapshot', { nextToken, timeout: 30000 }, { signal: abort.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.backend.sim.watchers.count('agent1'), 1);
    abort.abort();
    assert.equal(await poll, 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.backend.sim.watchers.count('agent1'), 0);
  });

  test('expiring the session answers a held poll with 401 at once', async () => {
    const token = await h.login('agent4');
    const { nextToken } = (await h.cti('GetAgentSnapshot', {}, { token })).body;
    const started = Date.now();
    const poll = h.cti('GetAgentSnapshot', { nextToken, timeout: 30000 }, { token });
    await new Promise((r) => setTimeout(r, 50));
    await h.control('POST', '/sim/agents/agent4/expire-session');
    const res = await poll;
    assert.equal(res.status, 401);
    assert.equal(res.body.__type, 'UnauthorizedException');
    assert.ok(Date.now() - started < 1000);
  });

  test('a reset answers held polls with a new token', async () => {
    const token = await h.login('agent5');
    const { nextToken } = (await h.cti('GetAgentSnapshot', {}, { token })).body;
    const poll = h.cti('GetAgentSnapshot', { nextToken, timeout: 30000 }, { token });
    await new Promise((r) => setTimeout(r, 50));
    await h.control('POST', '/sim/reset');
    const res = await poll;
    // Sessions are part of the reset: the poll learns that its token is gone.
    assert.equal(res.status, 401);
    const fresh = await h.login('agent5');
    const after = await h.cti('GetAgentSnapshot', { nextToken }, { token: fresh });
    assert.notEqual(after.body.nextToken, nextToken, 'versions are never reused across resets');
  });
});
