import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelKind } from './broadcast-protocol';
import { asChannelMessage } from './channel-message';

describe('asChannelMessage', () => {
  test('accepts well-formed envelopes of every kind', () => {
    const ok = [
      { kind: ChannelKind.HEARTBEAT, epoch: 3, leader: 'n1' },
      { kind: ChannelKind.PONG, epoch: 3, to: 'n2', nonce: 1 },
      { kind: ChannelKind.DOWN, epoch: 3, to: '*', json: '{}' },
      { kind: ChannelKind.DOWN, epoch: 3, to: ['a', 'b'], json: '{}' },
      { kind: ChannelKind.REPLY, epoch: 3, to: 'a', reply: { id: 'r', type: 'RAW', value: 1 } },
      { kind: ChannelKind.CALL, epoch: 3, from: 'a', call: { id: 'r', type: 'APPLY', path: ['hello'], argumentList: [] } },
      { kind: ChannelKind.SEND, epoch: 3, from: 'a', msg: {} },
      { kind: ChannelKind.PING, epoch: 0, from: 'n', nonce: 2 },
      { kind: ChannelKind.WHOIS, from: 'n' },
      { kind: ChannelKind.SESSION, from: 'n', session: { authToken: 't', expiration: 1_900_000_000_000 } },
      { kind: ChannelKind.SESSION, from: 'n', session: null },
    ];
    for (const m of ok) assert.equal(asChannelMessage(m), m, m.kind);
  });

  test('refuses anything else: unknown kinds, bad epochs, missing ids, bad recipients', () => {
    const bad: unknown[] = [
      null, 'heartbeat', { kind: 'nope' },
      { kind: ChannelKind.HEARTBEAT, epoch: -1, leader: 'n' },
      { kind: ChannelKind.HEARTBEAT, epoch: 1.5, leader: 'n' },
      { kind: ChannelKind.HEARTBEAT, epoch: 1 },
      { kind: ChannelKind.DOWN, epoch: 1, to: 'a', json: '{}' },
      { kind: ChannelKind.DOWN, epoch: 1, to: [3], json: '{}' },
      { kind: ChannelKind.DOWN, epoch: 1, to: '*', json: {} },
      { kind: ChannelKind.REPLY, epoch: 1, to: 'a', reply: { id: '', type: 'RAW' } },
      { kind: ChannelKind.REPLY, epoch: 1, to: 'a' },
      { kind: ChannelKind.CALL, epoch: 1, from: 'x'.repeat(200), call: { id: 'r', type: 'APPLY' } },
      { kind: ChannelKind.CALL, epoch: 1, from: 'a', call: { id: 'r', type: 7 } },
      { kind: ChannelKind.PING, epoch: 1, from: 'n' },
      { kind: ChannelKind.SESSION, from: 'n', session: { authToken: '' } },
      { kind: ChannelKind.SESSION, from: 'n', session: { authToken: 'x'.repeat(5000) } },
      { kind: ChannelKind.SESSION, from: 'n', session: { authToken: 't', expiration: 'soon' } },
      { kind: ChannelKind.SESSION, from: 'n' },
    ];
    for (const m of bad) assert.equal(asChannelMessage(m), null, JSON.stringify(m));
  });
});
