import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ErrorType } from '../../shared/protocol';
import { Agent, AgentSnapshot } from './agent';
import { Contact, ContactSnapshot } from './contact';
import { Endpoint } from './endpoint';
import { StateError } from './errors';
import { freshContext } from '../../testing/client/context';
import { flush, outcome } from '../../testing/client/fake-upstream';
import { fixture, FIXTURE_SERVER_TIME_MS } from '../../testing/client/fixtures';

const ARN = 'arn:aws:connect:us-west-2:123456789012:instance/sim';

describe('Agent', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: FIXTURE_SERVER_TIME_MS }));
  afterEach(() => mock.timers.reset());

  test('new Agent() throws a typed StateError until the first agent data', () => {
    const { ctx } = freshContext();
    assert.throws(() => new Agent(), (e: unknown) => e instanceof StateError && e.type === 'StateError');
    ctx.state.apply(fixture('agent-available'));
    assert.doesNotThrow(() => new Agent());
  });

  test('state getters: Date timestamps, skew-corrected durations', () => {
    freshContext('inbound-voice-connecting'); // state started 5 s before server time; skew +1500 ms
    const agent = new Agent();
    const state = agent.getState();
    assert.deepEqual(state, {
      agentStateARN: `${ARN}/agent-state/busy`, type: 'not_routable', name: 'Busy',
      startTimestamp: new Date(FIXTURE_SERVER_TIME_MS - 5000), duration: 6500,
    });
    assert.deepEqual(agent.getStatus(), state);
    assert.equal(agent.getStateDuration(), 6500);
    assert.equal(agent.getStatusDuration(), 6500);
    mock.timers.tick(1000);
    assert.equal(agent.getStateDuration(), 7500, 'live: read at call time');
    assert.equal(agent.getNextState(), null);
  });

  test('a negative skew (local clock ahead) shortens durations', () => {
    freshContext('voice-connected-third-party'); // started 120 s before; skew -2500 ms
    assert.equal(new Agent().getStateDuration(), 117500);
  });

  test('configuration getters', () => {
    freshContext('inbound-voice-connecting');
    const agent = new Agent();
    assert.deepEqual(agent.getPermissions(), ['outboundCall', 'voiceId', 'transfer']);
    assert.equal(agent.getName(), 'Agent One');
    assert.equal(agent.getExtension(), '+12065550101');
    assert.deepEqual(agent.getDialableCountries(), ['us', 'ca', 'gb']);
    assert.equal(agent.isSoftphoneEnabled(), true);
    assert.deepEqual(agent.getAgentStates().map((s) => s.name), ['Available', 'Offline', 'Lunch', 'Training']);
    assert.equal(agent.getRoutingProfile().name, 'Basic');
    assert.deepEqual(agent.getChannelConcurrency(), { VOICE: 1, CHAT: 3 });
    assert.equal(agent.getChannelConcurrency('CHAT'), 3);
    assert.equal(agent.getChannelConcurrency('TASK'), 0);
    assert.deepEqual(agent.getAllQueueARNs(), [`${ARN}/queue/sales`, `${ARN}/queue/support`, `${ARN}/queue/outbound`]);
    assert.equal(agent.getAvailabilityState(), null);
    const config = agent.getConfiguration();
    config.extension = '+19999999999';
    assert.equal(agent.getExtension(), '+12065550101', 'getConfiguration returns a copy');
  });

  test('channel concurrency defaults to {VOICE: 1, CHAT: 1} without a map', () => {
    freshContext('chat-callback-task');
    assert.deepEqual(new Agent().getChannelConcurrency(), { VOICE: 1, CHAT: 1 });
  });

  test('getContacts returns live handles, optionally filtered by type', () => {
    freshContext('chat-callback-task');
    const agent = new Agent();
    const all = agent.getContacts();
    assert.deepEqual(all.map((c) => c.getContactId()), ['c-chat-1', 'c-cb-1', 'c-task-1']);
    assert.ok(all.every((c) => c instanceof Contact && !(c instanceof ContactSnapshot)));
    assert.deepEqual(agent.getContacts('chat').map((c) => c.getType()), ['chat']);
  });

  test('toSnapshot is frozen: it keeps the old data and yields ContactSnapshots', () => {
    const { ctx } = freshContext('inbound-voice-connecting');
    const snap = new Agent().toSnapshot();
    assert.ok(snap instanceof AgentSnapshot);
    ctx.state.apply(fixture('agent-available', { version: 3 }));
    assert.equal(new Agent().getState().name, 'Available');
    assert.equal(snap.getState().name, 'Busy');
    const [c] = snap.getContacts();
    assert.ok(c instanceof ContactSnapshot);
    assert.equal(c.getState().type, 'connecting');
  });

  test('setState → putAgentState {state, enqueueNextState: true}', async () => {
    const { up } = freshContext('agent-available');
    const agent = new Agent();
    const o = outcome();
    agent.setState({ ...agent.getAgentStates()[2]!, startTimestamp: 1 }, o.callbacks);
    assert.deepEqual(await o.result, { ok: true, data: {} });
    assert.deepEqual(up.requests, [{
      method: 'putAgentState',
      params: { state: { type: 'not_routable', name: 'Lunch', agentStateARN: `${ARN}/agent-state/lunch` }, enqueueNextState: true },
    }]);
  });

  test('setState settles with typed errors: bad argument, backend failure, no engine', async () => {
    const { up } = freshContext('agent-available');
    const agent = new Agent();
    const bad = outcome();
    agent.setState({ name: 3 } as never, bad.callbacks);
    assert.equal(((await bad.result) as { error: { type: string } }).error.type, ErrorType.VALIDATION);
    assert.equal(up.requests.length, 0);

    up.failWith('putAgentState', { type: 'InvalidStateException', message: 'agent has contacts' });
    const failed = outcome();
    agent.setState(agent.getAgentStates()[0]!, failed.callbacks);
    assert.deepEqual(await failed.result, { ok: false, error: { type: 'InvalidStateException', message: 'agent has contacts' } });

    freshContext('agent-available', { connected: false });
    const offline = outcome();
    new Agent().setState({ type: 'routable', name: 'Available' }, offline.callbacks);
    assert.equal(((await offline.result) as { error: { type: string } }).error.type, ErrorType.NOT_CONNECTED);
  });

  test('actions without callbacks still settle quietly (nothing thrown)', async () => {
    const { up } = freshContext('agent-available');
    up.failWith('putAgentState', { type: 'InvalidStateException', message: 'x' });
    assert.doesNotThrow(() => new Agent().setState({ type: 'routable', name: 'Available' }));
    await flush();
    assert.equal(up.requests.length, 1);
  });

  test('setConfiguration: E.164 when softphone is off, locale check, then reload', async () => {
    const { up } = freshContext('agent-available');
    const agent = new Agent();
    const bad = outcome();
    agent.setConfiguration({ ...agent.getConfiguration(), softphoneEnabled: false, extension: '2065550101' }, bad.callbacks);
    const badResult = await bad.result;
    assert.equal(badResult.ok, false);
    assert.equal((badResult as { error: { type: string; message: string } }).error.type, ErrorType.VALIDATION);
    assert.match((badResult as { error: { message: string } }).error.message, /extension.*E\.164/);

    const badLocale = outcome();
    agent.setConfiguration({ agentPreferences: { locale: 'xx_XX' } }, badLocale.callbacks);
    assert.match(((await badLocale.result) as { error: { message: string } }).error.message, /locale/);
    assert.equal(up.requests.length, 0, 'nothing sent for invalid configurations');

    const good = outcome();
    agent.setConfiguration({ ...agent.getConfiguration(), softphoneEnabled: false, extension: '+442071234567' }, good.callbacks);
    assert.equal((await good.result).ok, true);
    assert.equal(up.requests.length, 1);
    const sent = up.requests[0]!;
    assert.equal(sent.method, 'updateAgentConfiguration');
    const cfg = (sent.params as { configuration: Record<string, unknown> }).configuration;
    assert.equal(cfg.extension, '+442071234567');
    assert.equal(cfg.softphoneEnabled, false);
    assert.equal(cfg.permissions, undefined, 'engine-assembled lists are not sent back');
    assert.equal((cfg.routingProfile as Record<string, unknown>).queues, undefined);
    assert.equal(up.reloads, 1);
  });

  test('setConfiguration without agent data (logged out): a typed StateError to failure, nothing sent', async () => {
    const { ctx, up } = freshContext('agent-available');
    const agent = new Agent();
    ctx.state.reset();
    const result = outcome();
    assert.doesNotThrow(() => agent.setConfiguration({ extension: '+442071234567' }, result.callbacks));
    const r = await result.result;
    assert.equal(r.ok, false);
    assert.equal((r as { error: { type: string } }).error.type, 'StateError');
    assert.equal(up.requests.length, 0);
  });

  test('connect → createOutboundContact in the default outbound queue or the given one', async () => {
    const { up } = freshContext('agent-available');
    const agent = new Agent();
    const a = outcome();
    agent.connect(Endpoint.byPhoneNumber('+14255550100'), a.callbacks);
    await a.result;
    const b = outcome();
    agent.connect(Endpoint.byPhoneNumber('+14255550100'), { ...b.callbacks, queueARN: `${ARN}/queue/sales` });
    await b.result;
    assert.deepEqual(up.requests.map((r) => r.params), [
      { endpoint: { type: 'phone_number', phoneNumber: '+14255550100' }, queueARN: `${ARN}/queue/outbound` },
      { endpoint: { type: 'phone_number', phoneNumber: '+14255550100' }, queueARN: `${ARN}/queue/sales` },
    ]);
    assert.ok(up.requests.every((r) => r.method === 'createOutboundContact'));
  });

  test('getEndpoints follows every page and returns Endpoint objects', async () => {
    const { up } = freshContext('agent-available');
    up.on('getEndpoints', (p) => (p.nextToken === null
      ? { endpoints: [{ type: 'agent', name: 'Two', agentLogin: 'agent2', endpointARN: 'ep-2' }], nextToken: 't1' }
      : { endpoints: [{ type: 'phone_number', name: 'Desk', phoneNumber: '+12065550000' }] }));
    const o = outcome<{ endpoints: Endpoint[]; addresses: Endpoint[] }>();
    new Agent().getEndpoints(`${ARN}/queue/sales`, o.callbacks, { endpoints: [Endpoint.byPhoneNumber('+1555', 'Extra')] });
    const r = await o.result;
    assert.equal(r.ok, true);
    const { endpoints, addresses } = (r as { data: { endpoints: Endpoint[]; addresses: Endpoint[] } }).data;
    assert.equal(endpoints, addresses);
    assert.deepEqual(endpoints.map((e) => e.name), ['Extra', 'Two', 'Desk']);
    assert.ok(endpoints.every((e) => e instanceof Endpoint));
    assert.equal(endpoints[1]!.endpointId, 'ep-2');
    assert.deepEqual(up.requests.map((x) => x.params), [
      { queueARNs: [`${ARN}/queue/sales`], nextToken: null, maxResults: 500 },
      { queueARNs: [`${ARN}/queue/sales`], nextToken: 't1', maxResults: 500 },
    ]);
  });

  test('getEndpoints fails with the page error, and stops on a repeated token', async () => {
    const { up } = freshContext('agent-available');
    up.on('getEndpoints', () => ({ endpoints: [{ type: 'queue', name: 'Q' }], nextToken: 'same' }));
    const loop = outcome<{ endpoints: Endpoint[] }>();
    new Agent().getEndpoints([`${ARN}/queue/sales`], loop.callbacks);
    const r = await loop.result;
    assert.equal(r.ok, true);
    assert.equal(up.requests.length, 2);
    up.failWith('getEndpoints', { type: 'AccessDeniedException', message: 'no' });
    const failed = outcome();
    new Agent().getEndpoints([`${ARN}/queue/sales`], failed.callbacks);
    assert.deepEqual(await failed.result, { ok: false, error: { type: 'AccessDeniedException', message: 'no' } });
  });

  test('getEndpoints while not connected: a typed NotConnectedError to failure, nothing thrown', async () => {
    freshContext('agent-available', { connected: false });
    const o = outcome();
    assert.doesNotThrow(() => new Agent().getEndpoints([`${ARN}/queue/sales`], o.callbacks));
    const r = await o.result;
    assert.equal(r.ok, false);
    assert.equal((r as { error: { type: string } }).error.type, ErrorType.NOT_CONNECTED);
  });

  test('mute/unmute broadcast; every tab raises agent::mute_toggle and shares isMuted', async () => {
    const { up } = freshContext('agent-available', { loopback: true });
    const agent = new Agent();
    const toggles: unknown[] = [];
    agent.onMuteToggle((s) => toggles.push(s));
    agent.mute();
    await flush();
    assert.deepEqual(up.broadcasts, [{ event: 'mute', data: { mute: true } }]);
    assert.deepEqual(toggles, [{ muted: true }]);
    assert.equal(agent.isMuted(), true);
    agent.unmute();
    await flush();
    assert.deepEqual(toggles, [{ muted: true }, { muted: false }]);
    assert.equal(agent.isMuted(), false);
  });

  test('events carry API objects: onRefresh an Agent, onStateChange {agent, oldState, newState}, onContactPending', () => {
    const { ctx } = freshContext('agent-available');
    const agent = new Agent();
    const got: unknown[] = [];
    agent.onRefresh((a) => got.push(a instanceof Agent));
    agent.onStateChange((c) => got.push([c.agent instanceof Agent, c.oldState, c.newState]));
    agent.onNotRoutable(() => got.push('not_routable'));
    agent.onContactPending((a) => got.push(['pending', a instanceof Agent]));
    const next = fixture('chat-callback-task', { version: 2 });
    next.data!.snapshot.state = { type: 'not_routable', name: 'Busy', startTimestamp: 1 };
    next.data!.snapshot.contacts[1]!.state.type = 'pending';
    ctx.state.apply(next);
    assert.deepEqual(got, [true, 'not_routable', [true, 'Available', 'Busy'], ['pending', true]]);
  });
});
