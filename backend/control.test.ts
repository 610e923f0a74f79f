import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ControlApiMode } from './config';
import { contactIn, startHarness, type Harness } from '../testing/backend/test-kit';

describe('control API', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(async () => { await h.fresh(); });

  test('GET /sim lists the routes', async () => {
    const res = await h.control('GET', '/sim');
    assert.equal(res.body.enabled, true);
    assert.ok(res.body.routes.includes('POST /sim/faults'));
  });

  test('POST /sim/login sets the session cookie and returns a working token', async () => {
    const res = await h.control('POST', '/sim/login', { username: 'agent2' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie') ?? '', /connect_sync_session=.+; HttpOnly; SameSite=Lax; Path=\//);
    assert.ok(res.body.expiration > Date.now());
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const authorize = await fetch(`${h.url}/auth/authorize`, { headers: { cookie } });
    assert.equal(authorize.status, 200);
    const cti = await h.cti('GetAgentConfiguration', {}, { token: res.body.token });
    assert.equal(cti.body.configuration.username, 'agent2');
    assert.equal((await h.control('POST', '/sim/login', { username: 'ghost' })).status, 404);
    const bad = await h.control('POST', '/sim/login', { username: 7 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /username must be a string/);
  });

  test('bulk-contacts loads an agent with connected chats past routing limits, and validates count', async () => {
    const res = await h.control('POST', '/sim/agents/agent1/bulk-contacts', { count: 20 });
    assert.equal(res.status, 201);
    assert.equal(res.body.contactIds.length, 20);
    const truth = await h.control('GET', '/sim/agents/agent1');
    assert.equal(truth.body.contacts.length, 20);
    assert.ok(truth.body.contacts.every((c: { state: { type: string } }) => c.state.type === 'connected'));
    for (const count of [0, 201, 1.5, '3']) {
      const bad = await h.control('POST', '/sim/agents/agent1/bulk-contacts', { count });
      assert.equal(bad.status, 400, `count ${String(count)}`);
    }
    assert.equal((await h.control('GET', '/sim/agents/agent1')).body.contacts.length, 20);
  });

  test('POST /sim/contacts validates its body', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /type is required/],
      [{ type: 'fax' }, /type must be one of/],
      [{ type: 'voice', username: 3 }, /username must be a string/],
      [{ type: 'voice', attributes: { a: 1 } }, /attributes\.a must be a string/],
    ];
    for (const [body, message] of cases) {
      const res = await h.control('POST', '/sim/contacts', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.__type, 'ValidationException');
      assert.equal(res.body.type, 'ValidationException');
      assert.match(res.body.message, message);
    }
    const raw = await fetch(`${h.url}/sim/contacts`, { method: 'POST', body: '{oops' });
    assert.equal(raw.status, 400);
    assert.equal((await h.control('POST', '/sim/contacts', { type: 'voice', username: 'ghost' })).status, 404);
    assert.equal((await h.truth()).contacts.length, 0);
  });

  test('hangup: unknown contact → 404, twice → 409', async () => {
    assert.equal((await h.control('POST', '/sim/contacts/nope/hangup')).status, 404);
    const id = await h.inbound();
    await h.cti('AcceptContact', { contactId: id });
    const first = await h.control('POST', `/sim/contacts/${id}/hangup`);
    assert.deepEqual([first.status, first.body.outcome], [200, 'ended']);
    const again = await h.control('POST', `/sim/contacts/${id}/hangup`);
    assert.equal(again.status, 409);
  });

  test('chat messages: only on live chats, text required', async () => {
    const voice = await h.inbound();
    assert.equal((await h.control('POST', `/sim/contacts/${voice}/message`, { text: 'hi' })).status, 409);
    await h.cti('RejectContact', { contactId: voice });
    const chat = await h.inbound({ type: 'chat' });
    assert.equal((await h.control('POST', `/sim/contacts/${chat}/message`, {})).status, 400);
    assert.equal((await h.control('POST', `/sim/contacts/${chat}/message`, { text: 'hi', participant: 'BOT' })).status, 400);
    assert.equal((await h.control('POST', `/sim/contacts/${chat}/message`, { text: 'hi', participant: 'AGENT' })).status, 200);
    const t = await h.control('GET', `/sim/contacts/${chat}/transcript`);
    assert.deepEqual(t.body.messages.map((m: any) => [m.participant, m.text]), [['AGENT', 'hi']]);
  });

  test('GET /sim/agents/:username: snapshot fields at the top level, plus version and applied mutations', async () => {
    await h.cti('PutAgentState', { state: { name: 'Lunch', type: 'not_routable' } });
    const truth = await h.truth();
    assert.equal(truth.username, 'agent1');
    assert.equal(typeof truth.version, 'number');
    assert.equal(truth.state.name, 'Lunch');
    assert.ok(Array.isArray(truth.contacts));
    assert.equal(truth.applied.PutAgentState, 1);
    assert.equal((await h.control('GET', '/sim/agents/ghost')).status, 404);
  });

  test('GET /sim/stats counts requests per operation and per agent; reset clears them', async () => {
    await h.login('agent2');
    await h.cti('GetAgentStates', {});
    await h.cti('GetAgentStates', {}, { as: 'agent2' });
    await h.cti('GetAgentConfiguration', {}, { as: 'agent2' });
    const stats = (await h.control('GET', '/sim/stats')).body;
    assert.equal(stats.operations.GetAgentStates, 2);
    assert.deepEqual(stats.agents.agent2, { GetAgentStates: 1, GetAgentConfiguration: 1 });
    assert.equal(stats.agents.agent1.GetAgentStates, 1);
    await h.control('POST', '/sim/stats/reset');
    assert.deepEqual((await h.control('GET', '/sim/stats')).body.operations, {});
  });

  test('expire-session: tokens and cookie sessions stop working at once', async () => {
    const login = await h.control('POST', '/sim/login', { username: 'agent3' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const res = await h.control('POST', '/sim/agents/agent3/expire-session');
    assert.equal(res.status, 200);
    assert.ok(res.body.tokens >= 1 && res.body.sessions >= 1);
    const cti = await h.cti('GetAgentStates', {}, { token: login.body.token });
    assert.equal(cti.status, 401);
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 401);
    assert.equal((await h.control('POST', '/sim/agents/ghost/expire-session')).status, 404);
  });

  test('POST /sim/reset: back to the seed state', async () => {
    await h.inbound();
    await h.control('POST', '/sim/faults', { latencyMs: 5 });
    await h.control('POST', '/sim/reset');
    await h.login('agent1');
    const truth = await h.truth();
    assert.equal(truth.contacts.length, 0);
    assert.equal(truth.state.name, 'Available');
    assert.deepEqual((await h.control('GET', '/sim/faults')).body.faults, {});
  });

  test('unknown routes → 404, wrong method → 405, foreign origins → 403', async () => {
    assert.equal((await h.control('GET', '/sim/nothing')).status, 404);
    assert.equal((await h.control('GET', '/sim/reset')).status, 405);
    const foreign = await h.control('POST', '/sim/reset', undefined, { Origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
  });

  describe('faults on /api', () => {
    test('latency is added to matching operations only', async () => {
      await h.control('POST', '/sim/faults', { operations: ['GetAgentStates'], latencyMs: 200 });
      let started = Date.now();
      await h.cti('GetAgentStates', {});
      assert.ok(Date.now() - started >= 190);
      started = Date.now();
      await h.cti('GetAgentPermissions', {});
      assert.ok(Date.now() - started < 150);
      await h.control('DELETE', '/sim/faults');
      started = Date.now();
      await h.cti('GetAgentStates', {});
      assert.ok(Date.now() - started < 150);
    });

    test('errorRate 1 fails every request with the chosen status and type, without applying', async () => {
      await h.control('POST', '/sim/faults', { errorRate: 1 });
      const failed = await h.cti('PutAgentState', { state: { name: 'Lunch', type: 'not_routable' } });
      assert.deepEqual([failed.status, failed.body.__type], [500, 'InternalServiceException']);
      assert.equal((await h.truth()).state.name, 'Available');
      await h.control('POST', '/sim/faults', { errorRate: 1, status: 429 });
      const throttled = await h.cti('GetAgentStates', {});
      assert.deepEqual([throttled.status, throttled.body.__type], [429, 'ThrottlingException']);
      await h.control('POST', '/sim/faults', { errorRate: 1, status: 503, errorType: 'ServiceDown' });
      assert.equal((await h.cti('GetAgentStates', {})).body.__type, 'ServiceDown');
      await h.control('POST', '/sim/faults', { errorRate: 0 });
      assert.equal((await h.cti('GetAgentStates', {})).status, 200);
    });

    test('errorRate 0.5 fails about half', async () => {
      await h.control('POST', '/sim/faults', { errorRate: 0.5, operations: ['GetAgentPermissions'] });
      let failures = 0;
      for (let i = 0; i < 60; i++) if ((await h.cti('GetAgentPermissions', {})).status === 500) failures++;
      assert.ok(failures > 10 && failures < 50, `${failures}/60 failed`);
    });

    test('down drops connections (held long polls too) quickly; clearing brings it back', async () => {
      const { nextToken } = (await h.cti('GetAgentSnapshot', {})).body;
      const held = h.cti('GetAgentSnapshot', { nextToken, timeout: 30000 }).then(() => 'answered', () => 'dropped');
      await new Promise((r) => setTimeout(r, 50));
      const set = await h.control('POST', '/sim/faults', { down: true });
      assert.equal(set.body.dropped, 1);
      assert.equal(await held, 'dropped');
      const started = Date.now();
      await assert.rejects(h.cti('GetAgentStates', {}));
      assert.ok(Date.now() - started < 500);
      assert.equal((await h.control('GET', '/sim/agents/agent1')).status, 200, 'the control API stays up');
      await h.control('DELETE', '/sim/faults');
      assert.equal((await h.cti('GetAgentStates', {})).status, 200);
    });

    test('fault bodies are validated', async () => {
      const cases: [unknown, RegExp][] = [
        [{ errorRate: 2 }, /errorRate must be a number between 0 and 1/],
        [{ latencyMs: 'slow' }, /latencyMs must be an integer/],
        [{ status: 200 }, /status must be an integer between 400 and 599/],
        [{ operations: ['Nope'] }, /operations\[0\] "Nope" is not a CTI operation/],
        [{ down: 'yes' }, /down must be a boolean/],
        [{ errorType: 'no spaces' }, /errorType/],
      ];
      for (const [body, message] of cases) {
        const res = await h.control('POST', '/sim/faults', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.message, message);
      }
      assert.deepEqual((await h.control('GET', '/sim/faults')).body.faults, {});
    });
  });

  test('hangup of a contact routed through the queue reaches whichever agent got it', async () => {
    const res = await h.control('POST', '/sim/contacts', { type: 'voice' });
    const { contactId, username } = res.body;
    await h.login(username);
    await h.cti('AcceptContact', { contactId }, { as: username });
    await h.control('POST', `/sim/contacts/${contactId}/hangup`);
    assert.equal(contactIn(await h.truth(username), contactId).state.type, 'ended');
  });
});

describe('CONTROL_API=off', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ controlApi: ControlApiMode.OFF }); });
  after(() => h.close());

  test('every /sim route is a 404 and the CTI API still works', async () => {
    for (const [method, path] of [['GET', '/sim'], ['POST', '/sim/login'], ['POST', '/sim/reset'], ['GET', '/sim/stats'],
      ['POST', '/sim/faults']] as const) {
      assert.equal((await h.control(method, path, method === 'POST' ? { username: 'agent1' } : undefined)).status, 404, path);
    }
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    const token = h.backend.auth.grant('agent1').accessToken;
    assert.equal((await h.cti('GetAgentStates', {}, { token })).status, 200);
  });
});
