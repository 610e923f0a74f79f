import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../shared/enums';
import type { RefreshOutcome } from './auth-session';
import { AuthEpisodes, type EnginePhase } from './auth-episodes';

/** The episodes over fakes: what they sent, the poller's calls, and a provider answering `outcome`. */
function setup(outcome: RefreshOutcome = 'unauthorized', phase: Partial<EnginePhase> = {}) {
  const sent: string[] = [];
  const calls: string[] = [];
  let pending: ((o: RefreshOutcome) => void) | undefined;
  const p: EnginePhase = { running: true, ready: true, terminated: false, ...phase };
  const poller = { running: true, start: () => { calls.push('start'); poller.running = true; },
    pauseForAuth: () => { calls.push('pause'); poller.running = false; } };
  const auth = {
    refreshing: false,
    refresh: (reason: string) => {
      calls.push(`refresh ${reason}`);
      auth.refreshing = true;
      return new Promise<RefreshOutcome>((resolve) => { pending = (o) => { auth.refreshing = false; resolve(o); }; });
    },
    startRecovery: () => calls.push('recover'), stopRecovery: () => calls.push('stop recovery'),
  };
  const episodes = new AuthEpisodes({
    auth, poller, phase: () => p, log: () => undefined, noteEvent: () => undefined,
    hub: { send: (tabId, json) => sent.push(`${tabId} ${JSON.parse(json).event}`), sendAll: (json) => sent.push(`all ${JSON.parse(json).event}`) },
  });
  const answer = async (o: RefreshOutcome = outcome) => { pending?.(o); await new Promise((r) => setImmediate(r)); };
  return { episodes, sent, calls, poller, p, answer };
}

describe('AuthEpisodes', () => {
  test('a first 401 pauses and asks the provider silently; its failure announces auth_fail once', async () => {
    const s = setup();
    s.episodes.onUnauthorized();
    assert.equal(s.episodes.authEpisode, 'silent');
    assert.deepEqual(s.sent, []);
    await s.answer('unauthorized');
    assert.equal(s.episodes.authEpisode, 'announced');
    assert.deepEqual(s.sent, [`all ${EventType.AUTH_FAIL}`]);
    s.episodes.onUnauthorized();
    assert.deepEqual(s.sent, [`all ${EventType.AUTH_FAIL}`], 'announced once per episode');
    assert.deepEqual(s.calls, ['pause', 'refresh unauthorized', 'pause', 'recover', 'pause']);
  });

  test('a provider that yields a session keeps the episode silent; a success ends it and resumes polling', async () => {
    const s = setup();
    s.episodes.onUnauthorized();
    await s.answer('ok');
    assert.equal(s.episodes.authEpisode, 'silent');
    s.episodes.onBackendSuccess();
    assert.equal(s.episodes.authEpisode, 'none');
    assert.deepEqual(s.calls.slice(-2), ['stop recovery', 'start']);
    assert.deepEqual(s.sent, []);
  });

  test('a second 401 waits for the attempt in flight, and announces at once when none is running', async () => {
    const s = setup();
    s.episodes.onUnauthorized();
    s.episodes.onUnauthorized(); // the provider is still being asked
    assert.deepEqual(s.sent, []);
    await s.answer('ok'); // a session came, but the backend answers 401 again before any success
    s.episodes.onUnauthorized();
    assert.deepEqual(s.sent, [`all ${EventType.AUTH_FAIL}`]);
    assert.equal(s.episodes.authEpisode, 'announced');
  });

  test('nothing happens on a stopped or logged-out engine', () => {
    for (const phase of [{ running: false }, { terminated: true }]) {
      const s = setup('unauthorized', phase);
      s.episodes.onUnauthorized();
      assert.equal(s.episodes.authEpisode, 'none');
      assert.deepEqual(s.calls, []);
    }
  });

  test('access denied: announced once, replayed to joiners, cleared by a success', () => {
    const s = setup();
    s.episodes.onAccessDenied();
    s.episodes.onAccessDenied();
    s.episodes.replayTo('t2');
    assert.deepEqual(s.sent, [`all ${EventType.ACCESS_DENIED}`, `t2 ${EventType.ACCESS_DENIED}`]);
    s.episodes.onBackendSuccess();
    s.episodes.replayTo('t3');
    s.episodes.onAccessDenied();
    assert.deepEqual(s.sent.slice(2), [`all ${EventType.ACCESS_DENIED}`]);
  });

  test('reset (logout) closes both episodes; a tab joining after logout with no session hears auth_fail', async () => {
    const s = setup('unauthorized', { terminated: false });
    s.episodes.announceAuthFailure();
    s.episodes.onAccessDenied();
    s.episodes.reset();
    s.episodes.replayTo('t1');
    assert.equal(s.episodes.authEpisode, 'none');
    assert.deepEqual(s.sent, [`all ${EventType.AUTH_FAIL}`, `all ${EventType.ACCESS_DENIED}`]);
    s.p.terminated = true;
    const tried = s.episodes.tryProviderFor('t1');
    await s.answer('unauthorized');
    await tried;
    assert.deepEqual(s.sent.slice(2), [`t1 ${EventType.AUTH_FAIL}`]);
  });
});
