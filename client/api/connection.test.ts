import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ErrorType } from '../../shared/protocol';
import { BaseConnection, ChatConnection, ConnectionSnapshot, NO_MEDIA_ERROR, TaskConnection, VoiceConnection } from './connection';
import { Endpoint } from './endpoint';
import { ContactNotFoundError } from './errors';
import { freshContext } from '../../testing/client/context';
import { outcome } from '../../testing/client/fake-upstream';
import { fixture, FIXTURE_SERVER_TIME_MS } from '../../testing/client/fixtures';

describe('VoiceConnection', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: FIXTURE_SERVER_TIME_MS }));
  afterEach(() => mock.timers.reset());

  test('getters of the agent and customer legs', () => {
    freshContext('voice-connected-third-party'); // skew -2500 ms
    const agentLeg = new VoiceConnection('c-voice-1', 'conn-agent-1');
    const customer = new VoiceConnection('c-voice-1', 'conn-cust-1');
    assert.equal(customer.getContactId(), 'c-voice-1');
    assert.equal(customer.getConnectionId(), 'conn-cust-1');
    const ep = customer.getEndpoint();
    assert.ok(ep instanceof Endpoint);
    assert.equal(ep.phoneNumber, '+14255550123');
    assert.deepEqual(customer.getAddress(), ep);
    assert.deepEqual(customer.getState(), { type: 'hold', timestamp: new Date(FIXTURE_SERVER_TIME_MS - 20000), duration: 17500 });
    assert.deepEqual(customer.getStatus(), customer.getState());
    assert.equal(customer.getStateDuration(), 17500);
    assert.equal(customer.getStatusDuration(), 17500);
    assert.equal(customer.getType(), 'inbound');
    assert.equal(customer.isInitialConnection(), true);
    assert.equal(customer.isActive(), true);
    assert.equal(customer.isOnHold(), true);
    assert.equal(customer.isConnected(), false);
    assert.equal(customer.isConnecting(), false);
    assert.equal(agentLeg.isConnected(), true);
    assert.equal(agentLeg.getMonitorInfo(), null);
    assert.equal(agentLeg.getMediaType(), 'softphone');
    assert.deepEqual(agentLeg.getSoftphoneMediaInfo(), {
      callType: 'audio_only', autoAccept: false, mediaLegContextToken: 'leg-token-1', callContextToken: 'ctx-token-1',
    });
    assert.deepEqual(agentLeg.getMediaInfo(), agentLeg.getSoftphoneMediaInfo());
  });

  test('getMediaController resolves with the media info, or rejects typed without media', async () => {
    freshContext('inbound-voice-connecting');
    const agentLeg = new VoiceConnection('c-voice-1', 'conn-agent-1');
    assert.deepEqual(await agentLeg.getMediaController(), agentLeg.getMediaInfo());
    await assert.rejects(new VoiceConnection('c-voice-1', 'conn-cust-1').getMediaController(), { type: NO_MEDIA_ERROR });
  });

  test('isConnecting on a connecting leg; initial connection in init is not active', () => {
    freshContext('chat-callback-task');
    assert.equal(new VoiceConnection('c-cb-1', 'conn-cb-agent').isConnecting(), true);
    assert.equal(new VoiceConnection('c-cb-1', 'conn-cb-cust').isActive(), false);
  });

  test('monitor info as the guide describes it', () => {
    freshContext('monitoring');
    const mon = new VoiceConnection('c-mon-1', 'conn-mon');
    assert.equal(mon.getType(), 'monitoring');
    assert.deepEqual(mon.getMonitorInfo(), {
      agentName: 'Agent Two', customerName: 'Monitored Customer', joinTime: new Date(FIXTURE_SERVER_TIME_MS - 20000).toISOString(),
      agent: { agentName: 'Agent Two' }, joinTimeStamp: new Date(FIXTURE_SERVER_TIME_MS - 20000),
    });
  });

  test('actions map to the connection methods', async () => {
    const { up } = freshContext('voice-connected-third-party');
    const c = new VoiceConnection('c-voice-1', 'conn-3p-1');
    for (const act of [
      (cb: never) => c.destroy(cb), (cb: never) => c.hold(cb), (cb: never) => c.resume(cb), (cb: never) => c.sendDigits('12#', cb),
    ]) {
      const o = outcome();
      act(o.callbacks as never);
      assert.equal((await o.result).ok, true);
    }
    const ids = { contactId: 'c-voice-1', connectionId: 'conn-3p-1' };
    assert.deepEqual(up.requests, [
      { method: 'destroyConnection', params: ids },
      { method: 'holdConnection', params: ids },
      { method: 'resumeConnection', params: ids },
      { method: 'sendDigits', params: { ...ids, digits: '12#' } },
    ]);
  });

  test('➕ muteParticipant / unmuteParticipant send their methods; isMute reads the connection\'s mute', async () => {
    const { ctx, up } = freshContext('voice-connected-third-party');
    const c = new VoiceConnection('c-voice-1', 'conn-3p-1');
    assert.equal(c.isMute(), false, 'no mute on the wire means not muted');
    for (const act of [(cb: never) => c.muteParticipant(cb), (cb: never) => c.unmuteParticipant(cb)]) {
      const o = outcome();
      act(o.callbacks as never);
      assert.equal((await o.result).ok, true);
    }
    const ids = { contactId: 'c-voice-1', connectionId: 'conn-3p-1' };
    assert.deepEqual(up.requests, [{ method: 'muteParticipant', params: ids }, { method: 'unmuteParticipant', params: ids }]);
    const muted = fixture('voice-connected-third-party', { version: 30 });
    const contact = muted.data!.snapshot.contacts.find((k) => k.contactId === 'c-voice-1')!;
    contact.connections.find((k) => k.connectionId === 'conn-3p-1')!.mute = true;
    ctx.state.apply(muted);
    assert.equal(c.isMute(), true);
    assert.equal(new VoiceConnection('c-voice-1', 'conn-cust-1').isMute(), false);
  });

  test('sendDigits rejects junk before sending', async () => {
    const { up } = freshContext('voice-connected-third-party');
    const o = outcome();
    new VoiceConnection('c-voice-1', 'conn-3p-1').sendDigits('<script>', o.callbacks);
    assert.equal(((await o.result) as { error: { type: string } }).error.type, ErrorType.VALIDATION);
    assert.equal(up.requests.length, 0);
  });

  test('a connection that has gone: getters throw ContactNotFoundError, actions fail with it', async () => {
    const { ctx, up } = freshContext('voice-connected-third-party');
    const thirdParty = new VoiceConnection('c-voice-1', 'conn-3p-1');
    ctx.state.apply(fixture('after-call-work', { version: 20 }));
    assert.throws(() => thirdParty.getState(), (e: unknown) => e instanceof ContactNotFoundError && /conn-3p-1/.test(e.message));
    const o = outcome();
    thirdParty.hold(o.callbacks);
    assert.equal(((await o.result) as { error: { type: string } }).error.type, 'ContactNotFoundError');
    assert.equal(up.requests.length, 0);
    await assert.rejects(thirdParty.getMediaController(), { type: 'ContactNotFoundError' });
  });

  test('toSnapshot keeps the data after the connection changed', () => {
    const { ctx } = freshContext('voice-connected-third-party');
    const snap = new VoiceConnection('c-voice-1', 'conn-cust-1').toSnapshot();
    assert.ok(snap instanceof ConnectionSnapshot && snap instanceof BaseConnection);
    ctx.state.apply(fixture('after-call-work', { version: 20 }));
    assert.equal(snap.getState().type, 'hold');
    assert.equal(new VoiceConnection('c-voice-1', 'conn-cust-1').getState().type, 'disconnected');
  });
});

describe('ChatConnection and TaskConnection', () => {
  test('chat media info carries the participant token; getConnectionToken asks createTransport chat_token', async () => {
    const { up } = freshContext('chat-callback-task');
    up.on('createTransport', () => ({ chatTokenTransport: { participantToken: 'fresh', expiry: 'later' } }));
    const conn = new ChatConnection('c-chat-1', 'conn-chat-agent');
    assert.equal(conn.getMediaType(), 'chat');
    const info = conn.getMediaInfo();
    assert.ok(info);
    assert.equal(info.contactId, 'c-chat-1');
    assert.equal(info.initialContactId, 'c-chat-0');
    assert.equal(info.participantId, 'conn-chat-agent');
    assert.equal(info.participantToken, 'chat-participant-token');
    assert.deepEqual(await conn.getConnectionToken(), { chatTokenTransport: { participantToken: 'fresh', expiry: 'later' } });
    assert.deepEqual(up.requests, [{
      method: 'createTransport', params: { transportType: 'chat_token', participantId: 'conn-chat-agent', contactId: 'c-chat-0' },
    }]);
    assert.deepEqual(await info.getConnectionToken(), { chatTokenTransport: { participantToken: 'fresh', expiry: 'later' } });
    assert.equal(new ChatConnection('c-chat-1', 'conn-chat-cust').getMediaInfo(), null);
  });

  test('getConnectionToken rejects typed when the engine is unreachable', async () => {
    freshContext('chat-callback-task', { connected: false });
    await assert.rejects(new ChatConnection('c-chat-1', 'conn-chat-agent').getConnectionToken(), { type: ErrorType.NOT_CONNECTED });
  });

  test('task media', async () => {
    freshContext('chat-callback-task');
    const conn = new TaskConnection('c-task-1', 'conn-task-agent');
    assert.equal(conn.getMediaType(), 'task');
    assert.deepEqual(conn.getMediaInfo(), { contactId: 'c-task-1', initialContactId: 'c-task-1' });
    assert.deepEqual(await conn.getMediaController(), { contactId: 'c-task-1', initialContactId: 'c-task-1' });
  });
});
