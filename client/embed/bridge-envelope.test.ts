import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelKind } from '../../shared/broadcast-protocol';
import { asChannelMessage } from '../../shared/channel-message';
import { Verb } from '../../shared/envelope';
import { ErrorType } from '../../shared/protocol';
import { asBridgeMessage, BRIDGE_SOURCE, BridgeType } from './bridge-protocol';

describe('one envelope for every carrier', () => {
  test('the channel and the bridge take their tab ↔ engine verbs, with their wire values, from one enum', () => {
    const carried = (e: object, verbs: Verb[]) => { for (const v of verbs) assert.ok((Object.values(e) as string[]).includes(v), v); };
    carried(ChannelKind, [Verb.CALL, Verb.REPLY, Verb.SEND, Verb.DOWN]); // calls are Comlink's
    carried(BridgeType, [Verb.CALL, Verb.REPLY, Verb.SEND, Verb.DOWN]); // calls are Comlink's on both
  });

  test('a reply must be a Comlink message on both carriers; the bridge has no result of its own', () => {
    const error = { type: ErrorType.TIMEOUT, message: 'late' };
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: Verb.RESULT, id: 1, ok: false, error }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.REPLY, reply: 'boom' }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.REPLY, reply: { id: 'x'.repeat(200), type: 'RAW' } }), null);
    assert.notEqual(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.REPLY, reply: { id: 'c1', type: 'HANDLER' } }), null);
    assert.equal(asChannelMessage({ kind: ChannelKind.REPLY, epoch: 1, to: 'a', reply: 'boom' }), null);
    assert.equal(asChannelMessage({ kind: ChannelKind.REPLY, epoch: 1, to: 'a', reply: { id: 'x'.repeat(200), type: 'RAW' } }), null);
    assert.notEqual(asChannelMessage({ kind: ChannelKind.REPLY, epoch: 1, to: 'a', reply: { id: 'c1', type: 'HANDLER' } }), null);
  });

  test('a call must be a Comlink message, send an object payload, down a JSON string, on both carriers', () => {
    assert.equal(asChannelMessage({ kind: ChannelKind.CALL, epoch: 1, from: 'a', call: 'inspect' }), null);
    assert.equal(asChannelMessage({ kind: ChannelKind.SEND, epoch: 1, from: 'a' }), null);
    assert.equal(asChannelMessage({ kind: ChannelKind.DOWN, epoch: 1, to: '*', json: 3 }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: Verb.HELLO, id: 1, hello: { type: 'hello' } }), null); // a call now
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.CALL, call: 'hello' }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.SEND, msg: [1] }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: BridgeType.DOWN, json: { type: 'event' } }), null);
    assert.equal(asBridgeMessage({ source: BRIDGE_SOURCE, type: Verb.POST, id: 1, msg: {} }), null); // a call now
  });
});
