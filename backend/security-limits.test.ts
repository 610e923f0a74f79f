/**
 * Issue #12, attack 4: resource limits. Stalled uploads, piles of held long polls, connection floods, an unbounded
 * idempotency store, reused idempotency keys and password guessing.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { IdempotencyStore } from './idempotency';
import { DEFAULT_LIMITS } from './limits';
import { startHarness, type Harness } from '../testing/backend/test-kit';

/** Resolves with how long the server took to close `socket` (or `limitMs` + 1 when it did not within `limitMs`). */
function closedWithin(socket: net.Socket, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { socket.destroy(); resolve(limitMs + 1); }, limitMs);
    socket.on('close', () => { clearTimeout(timer); resolve(Date.now() - started); });
    socket.on('error', () => undefined);
  });
}

function connect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', reject);
  });
}

// Small limits so that the test sees them act in about a second; production values are in backend/limits.ts.
const LIMITS = { ...DEFAULT_LIMITS, headersTimeoutMs: 400, requestTimeoutMs: 600, timeoutCheckIntervalMs: 100, maxConnections: 40,
  maxLongPollsPerToken: 2, loginFailuresPerUsername: 3, loginFailuresPerAddress: 5, loginWindowMs: 60_000 };

describe('attack 4: stalled requests, long polls and connections', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ limits: LIMITS }); });
  after(() => h.close());

  test('a request whose headers stall is cut', async () => {
    const socket = await connect(h.url);
    socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${h.backend.port}\r\nX-Slow: `);
    assert.ok(await closedWithin(socket, 3000) <= 3000, 'the server hangs up on a slowloris');
  });

  test('a request whose body stalls is cut', async () => {
    const socket = await connect(h.url);
    socket.write(`POST /api HTTP/1.1\r\nHost: 127.0.0.1:${h.backend.port}\r\nContent-Type: application/x-amz-json-1.0\r\n`
      + 'X-Amz-Target: AmazonConnectCTIService.GetAgentStates\r\nContent-Length: 1000\r\n\r\n{"a":');
    assert.ok(await closedWithin(socket, 3000) <= 3000, 'the server gives up on an upload that never ends');
  });

  test('a held long poll is not cut by the request timeout', async () => {
    const token = await h.fresh();
    const first = await h.cti('GetAgentSnapshot', {}, { token });
    const started = Date.now();
    const held = await h.cti('GetAgentSnapshot', { nextToken: first.body.nextToken, timeout: 1200 }, { token });
    assert.equal(held.status, 200);
    assert.ok(Date.now() - started >= 1100, 'held for its whole timeout');
  });

  test('a new long poll past the per-token cap answers the oldest at once', async () => {
    const token = await h.fresh();
    const { nextToken } = (await h.cti('GetAgentSnapshot', {}, { token })).body;
    const started = Date.now();
    const answeredAt: number[] = [];
    const polls = [0, 1, 2].map(async (i) => {
      await new Promise((r) => setTimeout(r, i * 100));
      const res = await h.cti('GetAgentSnapshot', { nextToken, timeout: 3000 }, { token });
      answeredAt[i] = Date.now() - started;
      return res.status;
    });
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(answeredAt[0] !== undefined && answeredAt[0] < 600, `the oldest answered early (${answeredAt[0]})`);
    assert.equal(answeredAt[1], undefined, 'the others are still held');
    await h.control('POST', '/sim/contacts', { type: 'voice', username: 'agent1' });
    assert.deepEqual(await Promise.all(polls), [200, 200, 200]);
  });

  test('connections past the global cap are refused', async () => {
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < LIMITS.maxConnections; i++) sockets.push(await connect(h.url));
      await new Promise((r) => setTimeout(r, 100));
      const extra = await connect(h.url);
      sockets.push(extra);
      assert.ok(await closedWithin(extra, 1500) <= 1500, 'the connection past the cap is closed');
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});

describe('attack 4: idempotency store', () => {
  test('bounded per agent: the oldest keys go first', async () => {
    const clock = { now: () => 1000 };
    const store = new IdempotencyStore(clock, 60_000, 3);
    const ok = async () => ({ status: 200, body: {} });
    for (let i = 0; i < 5; i++) await store.run('agent1', `k${i}`, 'AcceptContact', ok, {});
    await store.run('agent2', 'k0', 'AcceptContact', ok, {});
    assert.equal(store.size, 4, 'three for agent1, one for agent2');
    const replay = await store.run('agent1', 'k4', 'AcceptContact', ok, {});
    assert.equal(replay.replayed, true, 'the newest key is remembered');
    const again = await store.run('agent1', 'k0', 'AcceptContact', ok, {});
    assert.equal(again.replayed, false, 'the oldest key was dropped');
  });

  describe('over HTTP', () => {
    let h: Harness;
    before(async () => { h = await startHarness(); });
    after(() => h.close());

    test('a key reused with other parameters or for another operation is a typed 4xx, not a replay', async () => {
      await h.fresh();
      const lunch = { state: { name: 'Lunch', type: 'not_routable', agentStateARN: undefined } };
      const first = await h.cti('PutAgentState', lunch, { headers: { 'X-Idempotency-Token': 'key-1' } });
      assert.equal(first.status, 200);
      const other = await h.cti('PutAgentState', { state: { name: 'Available', type: 'routable' } },
        { headers: { 'X-Idempotency-Token': 'key-1' } });
      assert.ok(other.status >= 400 && other.status < 500, `status ${other.status}`);
      assert.equal(other.body.__type, 'IdempotentParameterMismatchException');
      assert.equal((await h.truth()).state.name, 'Lunch', 'nothing applied');
      const otherOp = await h.cti('AcceptContact', { contactId: 'c-1' }, { headers: { 'X-Idempotency-Token': 'key-1' } });
      assert.equal(otherOp.body.__type, 'IdempotentParameterMismatchException');
      const same = await h.cti('PutAgentState', lunch, { headers: { 'X-Idempotency-Token': 'key-1' } });
      assert.equal(same.status, 200, 'the same request still replays');
    });
  });
});

describe('attack 4: login attempts are rate limited', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ limits: LIMITS }); });
  after(() => h.close());

  const attempt = (username: string, password: string) => fetch(`${h.url}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });

  test('per username: after the allowed failures even the right password waits', async () => {
    for (let i = 0; i < LIMITS.loginFailuresPerUsername; i++) assert.equal((await attempt('agent1', 'guess')).status, 401);
    const limited = await attempt('agent1', 'connect');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(limited.headers.get('set-cookie'), null);
    assert.equal((await attempt('agent2', 'connect')).status, 303, 'other agents are not locked out');
  });

  test('per client address: guessing across usernames is limited too', async () => {
    let limited = 0;
    for (const user of ['agent3', 'agent4', 'agent5', 'nobody', 'agent3', 'agent4']) {
      if ((await attempt(user, 'guess')).status === 429) limited++;
    }
    assert.ok(limited >= 1, 'the address ran out of attempts');
    assert.equal((await attempt('agent5', 'connect')).status, 429);
  });
});
