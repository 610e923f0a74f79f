import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keepalive } from './keepalive';

/** A hand-driven clock and timer queue, so throttled and frozen timers can be simulated exactly. */
function harness() {
  let now = 0;
  let pending: { at: number; fn: () => void } | null = null;
  const sent: number[] = [];
  const events: string[] = [];
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, ms: number) => { pending = { at: now + ms, fn }; return 1; }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = (() => { pending = null; }) as typeof clearTimeout;
  const ka = new Keepalive({
    intervalMs: 1000, timeoutMs: 3000, now: () => now,
    send: (seq) => sent.push(seq),
    onTimeout: () => events.push('timeout'),
    onRestored: () => events.push('restored'),
  });
  return {
    ka, sent, events,
    /** Runs the timer at its due time (or `late` ms after it, as a throttled tab would). */
    tick(late = 0) {
      const p = pending!;
      now = p.at + late;
      pending = null;
      p.fn();
    },
    advance(ms: number) { now += ms; },
    restore() { globalThis.setTimeout = realSet; globalThis.clearTimeout = realClear; },
  };
}

describe('Keepalive', () => {
  test('sends SYNCHRONIZE every interval with increasing seq', () => {
    const h = harness();
    try {
      h.ka.start();
      h.ka.acknowledged(1);
      h.tick(); h.ka.acknowledged(2);
      h.tick(); h.ka.acknowledged(3);
      assert.deepEqual(h.sent, [1, 2, 3]);
      assert.deepEqual(h.events, []);
    } finally { h.restore(); }
  });

  test('raises ack_timeout once when no ACK arrives within the timeout, and restores on the next ACK', () => {
    const h = harness();
    try {
      h.ka.start();
      for (let i = 0; i < 5; i++) h.tick();
      assert.deepEqual(h.events, ['timeout']);
      assert.equal(h.ka.isTimedOut, true);
      h.ka.acknowledged(5);
      assert.deepEqual(h.events, ['timeout', 'restored']);
      h.tick(); h.ka.acknowledged(7);
      assert.deepEqual(h.events, ['timeout', 'restored']);
    } finally { h.restore(); }
  });

  test('a frozen tab whose timer fires minutes late re-checks instead of raising a timeout', () => {
    const h = harness();
    try {
      h.ka.start();
      h.ka.acknowledged(1);
      h.tick(5 * 60_000); // frozen for five minutes: no ACK could have been processed
      assert.deepEqual(h.events, []);
      // the engine answers the fresh SYNCHRONIZE promptly: still no timeout
      h.ka.acknowledged(2);
      h.tick();
      assert.deepEqual(h.events, []);
    } finally { h.restore(); }
  });

  test('throttled timers (one tick a few seconds late) do not raise; a dead engine still does', () => {
    const h = harness();
    try {
      h.ka.start();
      h.tick(4000); // throttled: gap of 5 s
      assert.deepEqual(h.events, []);
      h.tick(); h.tick(); h.tick(); h.tick(); // no ACKs at all after the re-check: 4 s of silence
      assert.deepEqual(h.events, ['timeout']);
    } finally { h.restore(); }
  });

  test('ignores ACKs for sequence numbers it never sent', () => {
    const h = harness();
    try {
      h.ka.start();
      for (let i = 0; i < 4; i++) h.tick();
      assert.deepEqual(h.events, ['timeout']);
      h.ka.acknowledged(99);
      h.ka.acknowledged(0);
      assert.deepEqual(h.events, ['timeout']);
    } finally { h.restore(); }
  });
});
