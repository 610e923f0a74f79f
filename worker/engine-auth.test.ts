import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../shared/enums';
import type { Response } from '../shared/protocol';
import { harness } from '../testing/worker/engine-harness';
import { FakeAuth, FakeTab, noSession } from '../testing/worker/fakes';
import { contact } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';
import { CtiError } from './cti-error';

const NOW = 1_700_000_000_000;
const unauthorized = () => new CtiError('UnauthorizedException', 'token expired', 401);

describe('Engine: auth and access episodes', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('start twice: one poll loop', async () => {
    const h = harness();
    await Promise.all([h.engine.start(), h.engine.start()]);
    await flush();
    await h.engine.start();
    await flush();
    assert.equal(h.cti.polls.length, 1);
    assert.equal(h.auth.calls, 1);
    await h.engine.stop();
  });

  test('401 with no session to be had: auth_fail once to every tab, polling paused, requests answered', async () => {
    const auth = new FakeAuth();
    const h = harness({ auth });
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    await h.engine.start();
    await flush();
    auth.fallback = noSession();
    h.cti.nextPoll().reject(unauthorized());
    await flush();
    for (const t of [a, b]) assert.equal(t.events(EventType.AUTH_FAIL).length, 1);
    assert.equal(h.engine.inspect().polling, 'paused-auth');
    h.cti.on('AcceptContact', () => { throw unauthorized(); });
    const res = await h.engine.handle('a', { type: 'request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c' } }) as Response;
    assert.deepEqual(!res.ok && res.error, { type: 'UnauthorizedException', message: 'token expired' });
    await flush();
    assert.equal(a.events(EventType.AUTH_FAIL).length, 1, 'once per episode');
    const polls = h.cti.callsOf('GetAgentSnapshot').length;
    await advance(mock.timers, 20_000);
    assert.equal(h.cti.callsOf('GetAgentSnapshot').length, polls, 'no polling while paused');
    const late = await h.connect(new FakeTab('late'));
    assert.equal(late.events(EventType.AUTH_FAIL).length, 1, 'a tab joining during the episode is told');
    await h.engine.stop();
  });

  test('a session from a tab resumes polling with its token; the next success ends the episode', async () => {
    const auth = new FakeAuth(noSession());
    const h = harness({ auth });
    const a = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    assert.equal(a.events(EventType.AUTH_FAIL).length, 1, 'no session at start: told at once');
    assert.equal(h.cti.polls.length, 0);
    await h.engine.handle('a', { type: 'session', authToken: 'fresh', expiration: NOW + 3_600_000 });
    await flush();
    assert.equal(h.engine.inspect().polling, 'running');
    assert.equal(h.cti.callsOf('GetAgentSnapshot').at(-1)!.token, 'fresh');
    await h.answerPoll([contact('c1')]);
    // a new episode later starts silently again (the provider is tried before tabs are told)
    auth.fallback = { accessToken: 'renewed' };
    h.cti.nextPoll().reject(unauthorized());
    await flush();
    assert.equal(a.events(EventType.AUTH_FAIL).length, 1, 'silent recovery: no second auth_fail');
    assert.equal(h.cti.callsOf('GetAgentSnapshot').at(-1)!.token, 'renewed');
    await h.engine.stop();
  });

  test('while paused the provider is retried every 30 s, so a login elsewhere recovers without any tab', async () => {
    const auth = new FakeAuth(noSession());
    const h = harness({ auth });
    const a = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    const callsAfterStart = auth.calls;
    await advance(mock.timers, 29_999);
    assert.equal(auth.calls, callsAfterStart);
    await advance(mock.timers, 1);
    assert.equal(auth.calls, callsAfterStart + 1);
    auth.fallback = { accessToken: 'after-login' };
    await advance(mock.timers, 30_000);
    assert.equal(h.engine.inspect().polling, 'running');
    assert.equal(h.cti.callsOf('GetAgentSnapshot').at(-1)!.token, 'after-login');
    await h.answerPoll([contact('c1')]);
    const calls = auth.calls;
    await advance(mock.timers, 120_000);
    assert.equal(auth.calls, calls, 'recovery attempts stop once recovered');
    assert.equal(a.events(EventType.AUTH_FAIL).length, 1);
    await h.engine.stop();
  });

  test('a tab connecting while paused triggers an immediate provider attempt', async () => {
    const auth = new FakeAuth(noSession());
    const h = harness({ auth });
    await h.engine.start();
    await flush();
    const calls = auth.calls;
    auth.fallback = { accessToken: 'now-logged-in' };
    await h.connect(new FakeTab('a'));
    assert.equal(auth.calls, calls + 1);
    assert.equal(h.cti.callsOf('GetAgentSnapshot').at(-1)!.token, 'now-logged-in');
    await h.engine.stop();
  });

  test('the token is refreshed through the provider a minute before it expires', async () => {
    const auth = new FakeAuth({ accessToken: 'first', expiration: NOW + 5 * 60_000 });
    const h = harness({ auth });
    await h.engine.start();
    await flush();
    auth.fallback = { accessToken: 'second', expiration: NOW + 65 * 60_000 };
    await advance(mock.timers, 4 * 60_000 - 1);
    assert.equal(auth.calls, 1);
    await advance(mock.timers, 1);
    assert.equal(auth.calls, 2);
    assert.equal(h.cti.token, 'second');
    await h.engine.stop();
  });

  test('access denied: access_denied once to every tab (and to joiners), slow retry, cleared by a success', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    h.cti.on('GetAgentConfiguration', () => { throw new CtiError('AccessDeniedException', 'no', 403); });
    h.cti.nextPoll().reject(new CtiError('AccessDeniedException', 'no', 403));
    await flush();
    assert.equal(h.engine.inspect().polling, 'access-denied');
    assert.equal(a.events(EventType.ACCESS_DENIED).length, 1);
    const joiner = await h.connect(new FakeTab('j'));
    assert.equal(joiner.events(EventType.ACCESS_DENIED).length, 1);
    await advance(mock.timers, 60_000);
    h.cti.nextPoll().reject(new CtiError('AccessDeniedException', 'no', 403));
    await flush();
    assert.equal(a.events(EventType.ACCESS_DENIED).length, 1, 'once per episode');
    await advance(mock.timers, 60_000);
    await h.answerPoll([contact('c1')]);
    assert.equal(h.engine.inspect().polling, 'running');
    h.cti.nextPoll().reject(new CtiError('AccessDeniedException', 'no', 403));
    await flush();
    assert.equal(a.events(EventType.ACCESS_DENIED).length, 2, 'a new episode is reported again');
    await h.engine.stop();
  });
});
