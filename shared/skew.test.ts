import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PLAUSIBLE_SKEW_MS, publishableSkew, SkewEstimator } from './skew';

/** A sample for a server `skew` ms ahead, sent at `sentAt`, with `up` and `down` one-way trips and `hold` server wait. */
function sample(skew: number, sentAt: number, up: number, down: number, hold = 0) {
  const serverTime = sentAt + up + hold + skew;
  return { sentAt, receivedAt: sentAt + up + hold + down, serverTime };
}

describe('SkewEstimator', () => {
  test('compensates half the round trip', () => {
    const est = new SkewEstimator();
    const r = est.add(sample(5_000, 1_000, 20, 20));
    assert.deepEqual(r, { skew: 5_000, rtt: 40 });
  });

  test('a negative skew (server behind) comes out negative', () => {
    const est = new SkewEstimator();
    assert.equal(est.add(sample(-7_250, 10_000, 5, 5))?.skew, -7_250);
  });

  test('keeps the sample with the smallest round trip in the window', () => {
    const est = new SkewEstimator();
    est.add(sample(1_000, 0, 100, 10)); // asymmetric, rtt 110: midpoint off by 45
    est.add(sample(1_000, 1_000, 4, 4)); // rtt 8: exact
    const r = est.add(sample(1_000, 2_000, 300, 20)); // rtt 320, off by 140
    assert.deepEqual(r, { skew: 1_000, rtt: 8 });
  });

  test('ignores long polls the server held (their midpoint is off by half the hold)', () => {
    const est = new SkewEstimator();
    est.add(sample(2_000, 0, 10, 10));
    const r = est.add(sample(2_000, 1_000, 10, 10, 30_000));
    assert.deepEqual(r, { skew: 2_000, rtt: 20 });
  });

  test('returns null until a usable sample arrives', () => {
    const est = new SkewEstimator();
    assert.equal(est.current(), null);
    assert.equal(est.add({ sentAt: 10, receivedAt: 5, serverTime: 100 }), null); // negative rtt: unusable
  });

  test('a sample drops out after the window count and the best of the rest is used', () => {
    const est = new SkewEstimator({ windowSize: 3 });
    est.add(sample(500, 0, 1, 1)); // rtt 2, the best: falls out after three newer ones
    est.add(sample(510, 100, 5, 5));
    est.add(sample(520, 200, 6, 6));
    const r = est.add(sample(530, 300, 7, 7));
    assert.deepEqual(r, { skew: 510, rtt: 10 });
  });

  test('samples older than the time window leave, but the newest always stays', () => {
    const est = new SkewEstimator({ windowMs: 60_000 });
    est.add(sample(100, 0, 1, 1)); // best rtt, but old
    const r1 = est.add(sample(130, 120_000, 10, 10));
    assert.deepEqual(r1, { skew: 130, rtt: 20 });
    // an hour of held polls later the newest quick sample is still the estimate
    const r2 = est.add(sample(130, 3_600_000, 10, 10, 30_000));
    assert.deepEqual(r2, { skew: 130, rtt: 20 });
  });

  test('a local clock step shown by a quick sample replaces a better but now impossible estimate', () => {
    const est = new SkewEstimator();
    est.add(sample(0, 0, 1, 1)); // rtt 2
    // local clock set back 10 s: skew becomes +10 s; the new sample has a worse rtt but proves the old one wrong
    const r = est.add(sample(10_000, 5_000, 30, 30));
    assert.deepEqual(r, { skew: 10_000, rtt: 60 });
  });

  test('a held answer whose bounds exclude the estimate seeds a new one from its lower bound', () => {
    const est = new SkewEstimator();
    est.add(sample(0, 0, 10, 10)); // best rtt 20 → one-way 10
    const held = sample(20_000, 1_000, 10, 10, 30_000);
    const r = est.add(held);
    assert.ok(r);
    assert.equal(r.skew, 20_000); // lower bound (t − r = 19_990) + half the best rtt (10)
    // a quick sample later takes over
    assert.deepEqual(est.add(sample(20_003, 40_000, 2, 2)), { skew: 20_003, rtt: 4 });
  });

  test('small disagreements within the tolerance do not flush the window', () => {
    const est = new SkewEstimator({ stepToleranceMs: 1_000 });
    est.add(sample(0, 0, 1, 1));
    const r = est.add(sample(500, 1_000, 50, 50)); // estimate 0 is outside [450, 550] by 450 < tolerance
    assert.deepEqual(r, { skew: 0, rtt: 2 });
  });
});

describe('publishableSkew (hysteresis)', () => {
  test('keeps the published value for changes below 2 ms', () => {
    assert.equal(publishableSkew(5_000, 5_001.4), 5_000);
    assert.equal(publishableSkew(5_000, 4_998.6), 5_000);
  });
  test('publishes rounded values from 2 ms on', () => {
    assert.equal(publishableSkew(5_000, 5_003.6), 5_004);
    assert.equal(publishableSkew(5_000, 4_997.9), 4_998);
  });
  test('no estimate keeps the published value', () => {
    assert.equal(publishableSkew(12, null), 12);
    assert.equal(publishableSkew(12, Number.NaN), 12);
  });
});

describe('SkewEstimator: sanity bound', () => {
  test('a sample implying more than a day of skew is discarded and does not reset the window', () => {
    const est = new SkewEstimator();
    est.add(sample(5_000, 1_000, 10, 10));
    assert.deepEqual(est.add(sample(MAX_PLAUSIBLE_SKEW_MS + 60_000, 2_000, 10, 10)), { skew: 5_000, rtt: 20 });
    assert.deepEqual(est.add(sample(-3 * MAX_PLAUSIBLE_SKEW_MS, 3_000, 10, 10)), { skew: 5_000, rtt: 20 });
    assert.deepEqual(est.current(), { skew: 5_000, rtt: 20 });
  });

  test('a bad server time (0, negative, seconds taken for ms) gives no estimate', () => {
    const est = new SkewEstimator();
    const now = 1_700_000_000_000;
    assert.equal(est.add({ sentAt: now, receivedAt: now + 20, serverTime: 0 }), null);
    assert.equal(est.add({ sentAt: now, receivedAt: now + 20, serverTime: -5 }), null);
    assert.equal(est.add({ sentAt: now, receivedAt: now + 20, serverTime: now / 1000 }), null);
    assert.equal(est.add({ sentAt: now, receivedAt: now + 20, serverTime: Number.NaN }), null);
    assert.deepEqual(est.add({ sentAt: now, receivedAt: now + 20, serverTime: now + 3_010 }), { skew: 3_000, rtt: 20 });
  });

  test('a skew of several hours (a wrong time zone) is still believed', () => {
    const est = new SkewEstimator();
    assert.equal(est.add(sample(-5 * 3600_000, 1_000_000_000_000, 10, 10))?.skew, -5 * 3600_000);
  });
});
