import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asChannelMessage, ChannelKind } from '../../shared/broadcast-protocol';
import { Verb } from '../../shared/envelope';
import { ErrorType } from '../../shared/protocol';
import { asBridgeMessage, BRIDGE_SOURCE, BridgeType } from './bridge-protocol';

describe('one envelope for every carrier', () => {
  test('the channel and the bridge carry the same five verbs, with the same wire values', () => {
    for (const v of Object.values(Verb)) {
      assert.ok((Object.values(ChannelKind) as string[]).includes(v), `channel carries ${v}`);
      assert.ok((Object.values(BridgeType) as string[]).includes(v), `bridge carries ${v}`);
    }
  });

  test('a failed result must carry a typed error, on both carriers', () => {
    assert.equal(asChannelMessage({ kind: ChannelKind.RESULT, epoch: 1, to: 'a', rid: 'r', ok: false, error: 'boom' }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.RESULT, id: 1, ok: false, error: 'boom' }), null);
    const error = { type: ErrorType.TIMEOUT, message: 'late' };
    assert.notEqual(asChannelMessage({ kind: ChannelKind.RESULT, epoch: 1, to: 'a', rid: 'r', ok: false, error }), null);
    assert.notEqual(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.RESULT, id: 1, ok: false, error }), null);
  });

  test('hello/post/send need an object payload, down a JSON string, on both carriers', () => {
    assert.equal(asChannelMessage({ kind: ChannelKind.POST, epoch: 1, from: 'a', rid: 'r', msg: 'inspect' }), null);
    assert.equal(asChannelMessage({ kind: ChannelKind.SEND, epoch: 1, from: 'a' }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.HELLO, id: 1, hello: null }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.SEND, msg: [1] }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.DOWN, json: { type: 'event' } }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.POST, id: 1.5, msg: {} }), null);
  });
});
