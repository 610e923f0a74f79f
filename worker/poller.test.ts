import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Poller, type PollerHooks } from './poller';
import { DEFAULT_TIMINGS, resolveTimings } from './timings';
import { FakeCti } from '../testing/worker/fake-cti';
import { snapshot } from '../testing/worker/agent-data';
import { CtiError } from './cti-error';
import { flush, advance } from '../testing/worker/clock';

function setup(random = () => 0.999999, overrides = {}) {
  const cti = new FakeCti();
  const events: string[] = [];
  const hooks: PollerHooks = {
    onSnapshot: (s, sample) => events.push(`snapshot ${s.state.name} rtt=${sample.receivedAt - sample.sentAt}`),
    onConfiguration: (c) => events.push(`config ${c.name}`),
    onBackendSuccess: () => undefined,
    onUnauthorized: (e) => events.push(`unauthorized ${e.type}`),
    onAccessDenied: (e) => events.push(`denied ${e.type}`),
    log: () => undefined,
  };
  // The pause after a change (5 ms) is off here so that each test steps only the timers it is about; the two tests
  // of that pause turn it back on.
  const poller = new Poller({ cti, now: () => Date.now(), random, timings: resolveTimings({ repollAfterChangeMs: 0, ...overrides }), hooks });
  return { cti, poller, events };
}

const answer = (token: string, name = 'Available') => ({ snapshot: snapshot([], { stateName: name, time: Date.now() / 1000 }), nextToken: token });

describe('Poller', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('long-polls with nextToken and timeout 30 s, re-issuing at once after each answer', async () => {
    const { cti, poller, events } = setup();
    poller.start();
    await flush();
    assert.equal(cti.polls.length, 1);
    const first = cti.nextPoll();
    assert.deepEqual(first.input, { nextToken: null, timeout: 30_000 });
    assert.equal(cti.callsOf('GetAgentSnapshot')[0]!.opts.timeoutMs, 40_000);
    assert.equal(cti.callsOf('GetAgentSnapshot')[0]!.opts.retries, 0);
    first.resolve(answer('t1'));
    await flush();
    assert.ok(events.includes('snapshot Available rtt=0'));
    assert.equal(cti.polls.length, 1, 're-issued without any timer');
    assert.deepEqual(cti.nextPoll().input, { nextToken: 't1', timeout: 30_000 });
    poller.stop();
  });

  test('never two loops: start() while running is a no-op; stop + start leaves one', async () => {
    const { cti, poller } = setup();
    poller.start();
    poller.start();
    await flush();
    assert.equal(cti.polls.length, 1);
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 1);
    poller.stop();
    await flush();
    assert.equal(cti.polls.length, 0, 'the in-flight poll was aborted');
    poller.start();
    poller.start();
    await flush();
    assert.equal(cti.polls.length, 1);
    assert.equal(cti.callsOf('GetAgentSnapshot').length, 2);
    poller.stop();
  });

  test('failures back off exponentially up to the cap, reset after a success', async () => {
    const { cti, poller } = setup(() => 0.999999);
    poller.start();
    await flush();
    // random ≈ 1: each wait is just under its ceiling 500 · 2^n, capped at 30 s
    for (const expected of [499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999]) {
      cti.nextPoll().reject(new CtiError('NetworkError', 'down', 0));
      await flush();
      assert.equal(poller.status, 'backoff');
      await advance(mock.timers, expected - 1);
      assert.equal(cti.polls.length, 0, `still waiting before ${expected} ms`);
      await advance(mock.timers, 1);
      assert.equal(cti.polls.length, 1, `retried at ${expected} ms`);
    }
    cti.nextPoll().resolve(answer('t9'));
    await flush();
    assert.equal(poller.status, 'running');
    cti.nextPoll().reject(new CtiError('NetworkError', 'down', 0));
    await flush();
    await advance(mock.timers, 498);
    const n = cti.callsOf('GetAgentSnapshot').length;
    await advance(mock.timers, 1);
    assert.equal(cti.callsOf('GetAgentSnapshot').length, n + 1, 'back to the base after the success');
    poller.stop();
  });

  test('jitter: the wait is random × ceiling (random 0.25 → 125 ms at the base)', async () => {
    const { cti, poller } = setup(() => 0.25);
    poller.start();
    await flush();
    cti.nextPoll().reject(new CtiError('NetworkError', 'down', 0));
    await flush();
    await advance(mock.timers, 124);
    assert.equal(cti.polls.length, 0);
    await advance(mock.timers, 1);
    assert.equal(cti.polls.length, 1);
    poller.stop();
  });

  test('429 honours Retry-After as the floor of the wait', async () => {
    const { cti, poller } = setup(() => 0);
    poller.start();
    await flush();
    cti.nextPoll().reject(new CtiError('ThrottlingException', 'slow', 429, 7_000));
    await flush();
    await advance(mock.timers, 6_999);
    assert.equal(cti.polls.length, 0);
    await advance(mock.timers, 1);
    assert.equal(cti.polls.length, 1);
    poller.stop();
  });

  test('unauthorized pauses both loops until start(); the next poll asks without a token', async () => {
    const { cti, poller, events } = setup();
    poller.start();
    await flush();
    cti.nextPoll().resolve(answer('t1'));
    await flush();
    cti.nextPoll().reject(new CtiError('UnauthorizedException', 'expired', 401));
    await flush();
    assert.equal(poller.status, 'paused-auth');
    assert.deepEqual(events.filter((e) => e.startsWith('unauthorized')), ['unauthorized UnauthorizedException']);
    const configRounds = cti.callsOf('GetAgentConfiguration').length;
    await advance(mock.timers, 120_000);
    assert.equal(cti.polls.length, 0);
    assert.equal(cti.callsOf('GetAgentConfiguration').length, configRounds, 'config loop paused too');
    poller.start();
    await flush();
    assert.equal(poller.status, 'running');
    assert.deepEqual(cti.nextPoll().input.nextToken, null);
    poller.stop();
  });

  test('unauthorized from a configuration round pauses the long poll too', async () => {
    const { cti, poller } = setup();
    cti.on('GetAgentConfiguration', () => { throw new CtiError('UnauthorizedException', 'no', 401); });
    poller.start();
    await flush();
    assert.equal(poller.status, 'paused-auth');
    assert.equal(cti.polls.length, 0, 'the pending long poll was aborted');
  });

  test('access denied reports and retries after 60 s', async () => {
    const { cti, poller, events } = setup();
    poller.start();
    await flush();
    cti.nextPoll().reject(new CtiError('AccessDeniedException', 'no', 403));
    await flush();
    assert.equal(poller.status, 'access-denied');
    assert.ok(events.includes('denied AccessDeniedException'));
    await advance(mock.timers, 59_999);
    assert.equal(cti.polls.length, 0);
    await advance(mock.timers, 1);
    assert.equal(cti.polls.length, 1);
    poller.stop();
  });

  test('configuration: at start, every 30 s, and on demand (coalesced)', async () => {
    const { cti, poller, events } = setup();
    poller.start();
    await flush();
    assert.equal(events.filter((e) => e.startsWith('config')).length, 1);
    await advance(mock.timers, 29_999);
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 1);
    await advance(mock.timers, 1);
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 2);
    poller.reloadConfiguration();
    await flush();
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 3, 'on demand, without waiting');
    // two requests while a round runs → exactly one more round
    let release: () => void = () => undefined;
    cti.on('GetAgentConfiguration', () => new Promise((r) => { release = () => r({ configuration: { name: 'B' } }); }));
    poller.reloadConfiguration();
    await flush();
    poller.reloadConfiguration();
    poller.reloadConfiguration();
    cti.on('GetAgentConfiguration', () => ({ configuration: { name: 'C', routingProfile: {} } }));
    release();
    await flush();
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 5);
    await flush();
    assert.equal(cti.callsOf('GetAgentConfiguration').length, 5);
    poller.stop();
  });

  test('a server that does not hold polls is not hammered (1 s gap when the token is unchanged)', async () => {
    const { cti, poller } = setup();
    poller.start();
    await flush();
    cti.nextPoll().resolve(answer('same'));
    await flush();
    cti.nextPoll().resolve(answer('same'));
    await flush();
    assert.equal(cti.polls.length, 0);
    await advance(mock.timers, 1_000);
    assert.equal(cti.polls.length, 1);
    poller.stop();
  });

  test('after an answer that carried a change, the next poll waits 5 ms so the tabs take the change first', async () => {
    const { cti, poller, events } = setup(undefined, { repollAfterChangeMs: DEFAULT_TIMINGS.repollAfterChangeMs });
    assert.equal(DEFAULT_TIMINGS.repollAfterChangeMs, 5);
    poller.start();
    await flush();
    cti.nextPoll().resolve(answer('t1'));
    await flush();
    assert.ok(events.some((e) => e.startsWith('snapshot')), 'the change is handed on at once');
    assert.equal(cti.polls.length, 0, 'no re-poll in the same turn as the fan-out');
    await advance(mock.timers, 4);
    assert.equal(cti.polls.length, 0);
    await advance(mock.timers, 1);
    assert.equal(cti.polls.length, 1);
    assert.deepEqual(cti.nextPoll().input, { nextToken: 't1', timeout: 30_000 });
    poller.stop();
  });

  test('a held poll that timed out unchanged (same token, after the hold) is re-issued at once', async () => {
    const { cti, poller } = setup(undefined, { repollAfterChangeMs: DEFAULT_TIMINGS.repollAfterChangeMs });
    poller.start();
    await flush();
    cti.nextPoll().resolve(answer('t1'));
    await flush();
    await advance(mock.timers, 5);
    const held = cti.nextPoll();
    await advance(mock.timers, 30_000);
    held.resolve(answer('t1'));
    await flush();
    assert.equal(cti.polls.length, 1, 'nothing changed, nothing was fanned out: no pause');
    poller.stop();
  });

  test('a malformed snapshot counts as a failure', async () => {
    const { cti, poller, events } = setup();
    poller.start();
    await flush();
    cti.nextPoll().resolve({ snapshot: { nope: 1 }, nextToken: 'x' } as never);
    await flush();
    assert.equal(poller.status, 'backoff');
    assert.equal(events.some((e) => e.startsWith('snapshot')), false);
    poller.stop();
  });

  test('pollsInWindow counts GetAgentSnapshot calls of the last minute', async () => {
    const { cti, poller } = setup();
    poller.start();
    await flush();
    for (let i = 0; i < 3; i++) { cti.nextPoll().resolve(answer(`t${i}`)); await flush(); }
    assert.equal(poller.pollsInWindow(), 4);
    await advance(mock.timers, 60_000);
    assert.equal(poller.pollsInWindow(), 0);
    poller.stop();
  });
});
