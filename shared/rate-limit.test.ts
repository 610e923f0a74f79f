import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './rate-limit';

describe('TokenBucket', () => {
  test('lets a burst through, then the sustained rate, and counts refusals', () => {
    const b = new TokenBucket({ burst: 5, perSecond: 2 }, 0);
    const passed = Array.from({ length: 8 }, () => b.take(0)).filter(Boolean).length;
    assert.equal(passed, 5);
    assert.equal(b.refused, 3);
    assert.equal(b.take(499), false, 'half a second at 2/s is not yet one token');
    assert.equal(b.take(500), true);
    assert.equal(b.take(500), false);
  });

  test('never holds more than the burst, and a clock stepping back refills nothing', () => {
    const b = new TokenBucket({ burst: 3, perSecond: 100 }, 0);
    assert.equal([1, 2, 3, 4].map(() => b.take(3_600_000)).filter(Boolean).length, 3);
    assert.equal(b.take(0), false);
  });
});
