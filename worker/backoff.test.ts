import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff';

describe('Backoff', () => {
  test('ceilings double from the base up to the cap (random at its maximum)', () => {
    const b = new Backoff(500, 30_000, () => 0.999999);
    const waits = Array.from({ length: 9 }, () => b.next());
    assert.deepEqual(waits, [499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  test('full jitter: random 0 waits 0, every draw stays within [0, ceiling)', () => {
    assert.equal(new Backoff(500, 30_000, () => 0).next(), 0);
    let seed = 7;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const b = new Backoff(500, 30_000, rnd);
    for (let i = 0; i < 50; i++) {
      const ceiling = Math.min(30_000, 500 * 2 ** i);
      const w = b.next();
      assert.ok(w >= 0 && w < ceiling, `attempt ${i}: ${w} not in [0, ${ceiling})`);
    }
  });

  test('reset starts again from the base', () => {
    const b = new Backoff(500, 30_000, () => 0.5);
    b.next(); b.next(); b.next();
    assert.equal(b.attempts, 3);
    b.reset();
    assert.equal(b.next(), 250);
  });

  test('Retry-After is a floor added to the jittered draw, bounded by maxRetryAfterMs', () => {
    const b = new Backoff(500, 30_000, () => 0.5, 60_000);
    assert.equal(b.next({ retryAfterMs: 7_000 }), 7_000 + 250);
    assert.equal(b.next({ retryAfterMs: 3_600_000 }), 60_000 + 500);
    assert.equal(b.attempts, 2);
  });

  test('Retry-After: 0 (or a past date) never turns the backoff into a hot loop: at least 500 ms', () => {
    const b = new Backoff(500, 30_000, () => 0);
    const waits = Array.from({ length: 5 }, () => b.next({ retryAfterMs: 0 }));
    assert.ok(waits.every((w) => w >= 500), `waits ${waits.join(', ')}`);
    assert.equal(new Backoff(500, 30_000, () => 0.5).next({ retryAfterMs: -3_000 }), 500 + 250);
  });
});
