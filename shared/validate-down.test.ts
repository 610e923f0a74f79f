import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDown, validateWelcome } from './validate-down';
import { DownType, ErrorType, TransportKind } from './protocol';

describe('decodeDown', () => {
  test('a valid message passes; not JSON, not a string, or a bad field is a ValidationError naming it', () => {
    const ok = decodeDown(JSON.stringify({ type: DownType.EVENT, event: 'x' }));
    assert.equal(ok.ok, true);
    const cases: [unknown, string][] = [
      ['{', 'not JSON'],
      [42, 'JSON string'],
      [JSON.stringify({ type: DownType.ACKNOWLEDGE, tabId: 't', seq: -1 }), 'acknowledge.seq'],
      [JSON.stringify({ type: DownType.RESPONSE, requestId: 'r', ok: false, error: 'x' }), 'response.error'],
    ];
    for (const [json, names] of cases) {
      const r = decodeDown(json);
      assert.equal(r.ok, false, String(json));
      if (!r.ok) {
        assert.equal(r.error.type, ErrorType.VALIDATION);
        assert.ok(r.error.message.includes(names), `${r.error.message} names ${names}`);
      }
    }
  });
});

describe('validateWelcome', () => {
  const welcome = { tabId: 't', engineId: 'e', tabCount: 2, transport: TransportKind.BROADCAST, epoch: 3,
    state: { type: DownType.STATE, version: 4, data: null, skew: 0 } };
  test('accepts the engine\'s welcome', () => {
    assert.equal(validateWelcome(welcome).ok, true);
  });
  test('refuses a missing engine id, an unknown transport, a state that is a delta', () => {
    for (const bad of [
      { ...welcome, engineId: undefined },
      { ...welcome, transport: 'carrier-pigeon' },
      { ...welcome, state: { type: DownType.DELTA, version: 5, base: 4 } },
      { ...welcome, tabCount: '2' },
    ]) assert.equal(validateWelcome(bad).ok, false, JSON.stringify(bad));
  });
});
