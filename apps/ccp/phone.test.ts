import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPhoneNumber, normalizePhoneNumber } from './phone';

describe('dial pad numbers', () => {
  test('separators people type are removed', () => {
    assert.equal(normalizePhoneNumber(' +1 (206) 555-01.00 '), '+12065550100');
  });
  test('valid E.164 numbers pass, normalised', () => {
    assert.deepEqual(checkPhoneNumber('+44 20 7183 8750'), { ok: true, number: '+442071838750' });
    assert.deepEqual(checkPhoneNumber('+1234567'), { ok: true, number: '+1234567' });
  });
  test('empty, missing +, leading zero, too short and too long are refused with a reason', () => {
    for (const bad of ['', '2065550100', '+0123456789', '+123456', '+1234567890123456', '+1206abc0100']) {
      const r = checkPhoneNumber(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.message, /\+/);
    }
  });
});
