import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatDuration, formatSignedMs, shortId } from './format';

describe('formatDuration', () => {
  test('minutes and seconds, hours from an hour on', () => {
    assert.equal(formatDuration(0), '00:00');
    assert.equal(formatDuration(61_999), '01:01');
    assert.equal(formatDuration(3_600_000 + 5_000), '1:00:05');
  });
  test('a negative or non-finite duration shows as zero', () => {
    assert.equal(formatDuration(-1500), '00:00');
    assert.equal(formatDuration(Number.NaN), '00:00');
  });
});

describe('formatAgo', () => {
  test('tenths below ten seconds, then seconds, minutes, hours', () => {
    assert.equal(formatAgo(1000, 1400), '0.4 s');
    assert.equal(formatAgo(0, 45_000), '45 s');
    assert.equal(formatAgo(0, 180_000), '3 min');
    assert.equal(formatAgo(0, 3 * 3_600_000), '3 h');
  });
  test('never for a missing time; a future time counts as now', () => {
    assert.equal(formatAgo(null, 5), 'never');
    assert.equal(formatAgo(10_000, 5_000), '0.0 s');
  });
});

test('shortId keeps 8 characters', () => {
  assert.equal(shortId('0123456789abcdef'), '01234567');
  assert.equal(shortId('abc'), 'abc');
});

test('formatSignedMs shows the sign of positive values', () => {
  assert.equal(formatSignedMs(12.4), '+12 ms');
  assert.equal(formatSignedMs(-3), '-3 ms');
  assert.equal(formatSignedMs(0), '0 ms');
});
