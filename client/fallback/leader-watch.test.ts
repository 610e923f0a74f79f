import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { LeaderWatch, LEADER_SILENCE_MS, PROBE_TIMEOUT_MS, WATCH_CHECK_MS } from './leader-watch';

function watch() {
  const pings: number[] = [];
  let suspects = 0;
  const w = new LeaderWatch({ ping: (n) => pings.push(n), suspect: () => { suspects++; } });
  return { w, pings, suspects: () => suspects };
}

describe('LeaderWatch', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  test('heartbeats keep it quiet', () => {
    const { w, pings, suspects } = watch();
    w.start();
    for (let t = 0; t < 10_000; t += 500) { mock.timers.tick(500); w.seen(); }
    assert.deepEqual(pings, []);
    assert.equal(suspects(), 0);
  });

  test('silence makes it ping, not suspect; an answered ping clears the silence', () => {
    const { w, pings, suspects } = watch();
    w.start();
    mock.timers.tick(LEADER_SILENCE_MS + WATCH_CHECK_MS);
    assert.equal(pings.length, 1);
    w.pong(pings[0]!);
    mock.timers.tick(PROBE_TIMEOUT_MS + WATCH_CHECK_MS);
    assert.equal(suspects(), 0);
    assert.equal(pings.length, 1, 'no new probe before a new silence');
  });

  test('only an unanswered probe makes the leader a suspect, once per silence', () => {
    const { w, pings, suspects } = watch();
    w.start();
    mock.timers.tick(LEADER_SILENCE_MS + WATCH_CHECK_MS);
    w.pong(pings[0]! + 7); // an answer to someone else's probe does not count
    mock.timers.tick(PROBE_TIMEOUT_MS + WATCH_CHECK_MS);
    assert.equal(suspects(), 1);
    mock.timers.tick(WATCH_CHECK_MS * 2);
    assert.equal(suspects(), 1);
  });

  test('a check that runs far too late (our own timers slept) probes again instead of concluding', () => {
    const { w, pings, suspects } = watch();
    w.start();
    mock.timers.tick(LEADER_SILENCE_MS + WATCH_CHECK_MS); // probe 1 out
    // The follower was frozen for a minute: its next check runs long after the probe's deadline.
    mock.timers.setTime(Date.now() + 60_000);
    mock.timers.tick(WATCH_CHECK_MS);
    assert.equal(suspects(), 0);
    assert.equal(pings.length, 2, 'a fresh probe');
    w.pong(pings[1]!);
    mock.timers.tick(PROBE_TIMEOUT_MS + WATCH_CHECK_MS);
    assert.equal(suspects(), 0);
  });

  test('stop ends it', () => {
    const { w, pings } = watch();
    w.start();
    w.stop();
    mock.timers.tick(10_000);
    assert.deepEqual(pings, []);
    assert.equal(w.running, false);
  });
});
