import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import type { Contact as CtiContact } from '../../shared/cti';
import { ErrorType, type StateFull } from '../../shared/protocol';
import { ChatConnection, ConnectionSnapshot, VoiceConnection } from './connection';
import { Contact, ContactSnapshot } from './contact';
import { Endpoint } from './endpoint';
import { ContactNotFoundError, StateError } from './errors';
import { freshContext } from '../../testing/client/context';
import { flush, outcome } from '../../testing/client/fake-upstream';
import { fixture, FIXTURE_SERVER_TIME_MS } from '../../testing/client/fixtures';

const ARN = 'arn:aws:connect:us-west-2:123456789012:instance/sim';

function withContacts(name: Parameters<typeof fixture>[0], contacts: CtiContact[], version: number): StateFull {
  const s = fixture(name, { version });
  s.data!.snapshot.contacts = contacts;
  return s;
}

describe('Contact getters', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: FIXTURE_SERVER_TIME_MS }));
  afterEach(() => mock.timers.reset());

  test('an inbound voice contact while connecting', () => {
    freshContext('inbound-voice-connecting');
    const c = new Contact('c-voice-1');
    assert.equal(c.getContactId(), 'c-voice-1');
    assert.equal(c.getOriginalContactId(), 'c-voice-1');
    assert.equal(c.getInitialContactId(), 'c-voice-1');
    assert.equal(c.getType(), 'voice');
    assert.deepEqual(c.getState(), { type: 'connecting', timestamp: new Date(FIXTURE_SERVER_TIME_MS - 5000), duration: 6500 });
    assert.deepEqual(c.getStatus(), c.getState());
    assert.equal(c.getStateDuration(), 6500);
    assert.equal(c.getStatusDuration(), 6500);
    assert.deepEqual(c.getQueue(), { queueARN: `${ARN}/queue/sales`, name: 'Sales', queueId: `${ARN}/queue/sales` });
    assert.deepEqual(c.getQueueTimestamp(), new Date(FIXTURE_SERVER_TIME_MS - 30000));
    const conns = c.getConnections();
    assert.deepEqual(conns.map((x) => x.getConnectionId()), ['conn-agent-1', 'conn-cust-1']);
    assert.ok(conns.every((x) => x instanceof VoiceConnection));
    assert.equal(c.getInitialConnection()?.getConnectionId(), 'conn-cust-1');
    assert.equal(c.getActiveInitialConnection()?.getConnectionId(), 'conn-cust-1');
    assert.deepEqual(c.getThirdPartyConnections(), []);
    assert.equal(c.getSingleActiveThirdPartyConnection(), null);
    assert.equal(c.getAgentConnection()?.getConnectionId(), 'conn-agent-1');
    assert.deepEqual(c.getAttributes(), { customerTier: { name: 'customerTier', value: 'gold' } });
    assert.equal(c.isSoftphoneCall(), true);
    assert.equal(c.isInbound(), true);
    assert.equal(c.isConnected(), false);
    assert.equal(c.getEventName('contact::refresh'), 'contact::refresh::c-voice-1');
    assert.equal(c.getInitiationMethod(), 'inbound');
  });

  test('a connected call with a third party on the line', () => {
    freshContext('voice-connected-third-party');
    const c = new Contact('c-voice-1');
    assert.equal(c.isConnected(), true);
    assert.deepEqual(c.getThirdPartyConnections().map((x) => x.getConnectionId()), ['conn-3p-1']);
    assert.equal(c.getSingleActiveThirdPartyConnection()?.getConnectionId(), 'conn-3p-1');
    assert.equal(c.getActiveInitialConnection()?.isOnHold(), true, 'a held initial connection is still active');
    assert.equal(c.getStateDuration(), 120000 - 2500);
  });

  test('chat, queued callback and task contacts', () => {
    freshContext('chat-callback-task');
    const chat = new Contact('c-chat-1');
    assert.ok(chat.getConnections().every((x) => x instanceof ChatConnection));
    assert.equal(chat.getOriginalContactId(), 'c-chat-0');
    assert.deepEqual(chat.getContactFeatures(), { attachmentsEnabled: true });
    assert.equal(chat.isSoftphoneCall(), false);
    const callback = new Contact('c-cb-1');
    assert.equal(callback.getState().type, 'incoming');
    assert.equal(callback.isInbound(), false, 'a callback starts with an outbound initial connection');
    assert.equal(callback.getActiveInitialConnection(), null, 'initial connection in init is not active');
    assert.equal(callback.getOriginalContactId(), null);
    const task = new Contact('c-task-1');
    assert.equal(task.isInbound(), true);
    assert.equal(task.getName(), 'Call back about order 42');
    assert.equal(task.getDescription(), 'Customer asked for a refund');
    assert.deepEqual(task.getReferences(), { order: { value: 'https://example.com/o/42', type: 'URL' } });
    assert.equal(task.getInitialConnection(), null);
    assert.equal(task.getQueueTimestamp(), null);
  });

  test('a handle to a contact that has gone throws ContactNotFoundError, never a TypeError', () => {
    const { ctx } = freshContext('inbound-voice-connecting');
    const c = new Contact('c-voice-1');
    ctx.state.apply(fixture('agent-available', { version: 5 }));
    for (const call of [() => c.getState(), () => c.getConnections(), () => c.isInbound(), () => c.getAgentConnection(), () => c.toSnapshot()]) {
      assert.throws(call, (e: unknown) => e instanceof ContactNotFoundError && e instanceof StateError
        && e.type === 'ContactNotFoundError' && /Contact c-voice-1 no longer exists/.test(e.message));
    }
    assert.equal(c.getContactId(), 'c-voice-1');
  });

  test('toSnapshot is frozen on its data and its connections are snapshots', () => {
    const { ctx } = freshContext('inbound-voice-connecting');
    const snap = new Contact('c-voice-1').toSnapshot();
    ctx.state.apply(fixture('voice-connected-third-party', { version: 8 }));
    assert.equal(new Contact('c-voice-1').getState().type, 'connected');
    assert.equal(snap.getState().type, 'connecting');
    assert.ok(snap.getConnections().every((x) => x instanceof ConnectionSnapshot));
    assert.equal(snap.getConnections()[0]!.getState().type, 'connecting');
    ctx.state.apply(fixture('agent-available', { version: 9 }));
    assert.equal(snap.getType(), 'voice', 'a snapshot outlives its contact');
  });
});

describe('Contact actions', () => {
  const cases: [string, (c: Contact, cb: ReturnType<typeof outcome>['callbacks']) => void, string, Record<string, unknown>][] = [
    ['reject', (c, cb) => c.reject(cb), 'rejectContact', { contactId: 'c-voice-1' }],
    ['clear', (c, cb) => c.clear(cb), 'clearContact', { contactId: 'c-voice-1' }],
    ['complete', (c, cb) => c.complete(cb), 'completeContact', { contactId: 'c-voice-1' }],
    ['destroy (ends the agent connection)', (c, cb) => c.destroy(cb), 'destroyConnection', { contactId: 'c-voice-1', connectionId: 'conn-agent-1' }],
    ['notifyIssue', (c, cb) => c.notifyIssue('E1', 'no audio', cb), 'notifyContactIssue', { contactId: 'c-voice-1', issueCode: 'E1', description: 'no audio' }],
    ['addConnection', (c, cb) => c.addConnection(Endpoint.byPhoneNumber('+12065550111', 'Expert'), cb), 'createAdditionalConnection',
      { contactId: 'c-voice-1', endpoint: { type: 'phone_number', name: 'Expert', phoneNumber: '+12065550111' } }],
    ['toggleActiveConnections (picks the held connection)', (c, cb) => c.toggleActiveConnections(cb), 'toggleActiveConnections',
      { contactId: 'c-voice-1', connectionId: 'conn-cust-1' }],
    ['conferenceConnections', (c, cb) => c.conferenceConnections(cb), 'conferenceConnections', { contactId: 'c-voice-1' }],
    ['sendSoftphoneMetrics', (c, cb) => c.sendSoftphoneMetrics([{ a: 1 }], cb), 'sendSoftphoneCallMetrics',
      { contactId: 'c-voice-1', softphoneStreamStatistics: [{ a: 1 }] }],
    ['sendSoftphoneReport', (c, cb) => c.sendSoftphoneReport({ r: 1 }, cb), 'sendSoftphoneCallReport', { contactId: 'c-voice-1', report: { r: 1 } }],
  ];
  for (const [label, act, method, params] of cases) {
    test(`${label} → ${method}`, async () => {
      const { up } = freshContext('voice-connected-third-party');
      const o = outcome();
      act(new Contact('c-voice-1'), o.callbacks);
      assert.equal((await o.result).ok, true);
      assert.deepEqual(up.requests, [{ method, params }]);
    });
  }

  test('accept → acceptContact, then every tab (this one too) raises contact::accepted with a Contact', async () => {
    const { up } = freshContext('inbound-voice-connecting', { loopback: true });
    const c = new Contact('c-voice-1');
    const accepted: unknown[] = [];
    c.onAccepted((x) => accepted.push(x));
    const o = outcome();
    c.accept(o.callbacks);
    assert.equal((await o.result).ok, true);
    await flush();
    assert.deepEqual(up.requests, [{ method: 'acceptContact', params: { contactId: 'c-voice-1' } }]);
    assert.deepEqual(up.broadcasts.map((b) => b.event), ['contact::accepted', 'contact::accepted::c-voice-1']);
    assert.equal(accepted.length, 1);
    assert.ok(accepted[0] instanceof Contact);
    assert.equal((accepted[0] as Contact).getContactId(), 'c-voice-1');
  });

  test('actions on a contact that has gone fail with ContactNotFoundError and send nothing', async () => {
    const { ctx, up } = freshContext('inbound-voice-connecting');
    const c = new Contact('c-voice-1');
    ctx.state.apply(fixture('agent-available', { version: 5 }));
    for (const act of [(cb: never) => c.accept(cb), (cb: never) => c.clear(cb), (cb: never) => c.destroy(cb)]) {
      const o = outcome();
      act(o.callbacks as never);
      const r = await o.result;
      assert.equal(r.ok, false);
      assert.equal((r as { error: { type: string } }).error.type, ErrorType.CONTACT_GONE);
      assert.match((r as { error: { message: string } }).error.message, /no longer exists/);
    }
    assert.equal(up.requests.length, 0);
  });

  test('a backend error reaches failure as {type, message}; a throwing success callback is contained', async () => {
    const { up, ctx } = freshContext('inbound-voice-connecting');
    up.failWith('rejectContact', { type: 'InvalidStateException', message: 'too late' });
    const o = outcome();
    new Contact('c-voice-1').reject(o.callbacks);
    assert.deepEqual(await o.result, { ok: false, error: { type: 'InvalidStateException', message: 'too late' } });
    new Contact('c-voice-1').clear({ success: () => { throw new Error('user bug'); } });
    await flush();
    assert.ok(ctx.log.getLogs().some((e) => e.exception?.message === 'user bug'));
  });

  test('addConnection without an endpoint type fails validation', async () => {
    const { up } = freshContext('inbound-voice-connecting');
    const o = outcome();
    new Contact('c-voice-1').addConnection({ phoneNumber: '+1' }, o.callbacks);
    assert.equal(((await o.result) as { error: { type: string } }).error.type, ErrorType.VALIDATION);
    assert.equal(up.requests.length, 0);
  });
});

describe('Contact events', () => {
  test('onConnecting/onConnected/onACW/onRefresh get live Contacts; onEnded fires once; onDestroy a snapshot', () => {
    const { ctx } = freshContext('agent-available');
    const seen: string[] = [];
    let destroyed: unknown;
    ctx.bus.subscribe('contact::init', (c: Contact) => {
      c.onConnecting((x) => seen.push(`connecting:${x instanceof Contact}`));
      c.onConnected(() => seen.push('connected'));
      c.onACW(() => seen.push('acw'));
      c.onEnded(() => seen.push('ended'));
      c.onDestroy((s) => { destroyed = s; seen.push('destroyed'); });
      c.onRefresh(() => seen.push('refresh'));
    });
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 2 }));
    ctx.state.apply(fixture('voice-connected-third-party', { version: 3 }));
    ctx.state.apply(fixture('after-call-work', { version: 4 }));
    ctx.state.apply(withContacts('after-call-work', [], 5));
    assert.deepEqual(seen, ['connecting:true', 'refresh', 'connected', 'refresh', 'acw', 'ended', 'refresh', 'destroyed']);
    assert.ok(destroyed instanceof ContactSnapshot);
    assert.equal((destroyed as ContactSnapshot).getState().type, 'ended');
  });

  test('onEnded of a contact first seen in ACW fires once, on destroy', () => {
    const { ctx } = freshContext('after-call-work');
    const ended: unknown[] = [];
    new Contact('c-voice-1').onEnded((x) => ended.push(x));
    ctx.state.apply(withContacts('after-call-work', [], 10));
    assert.equal(ended.length, 1);
    assert.ok(ended[0] instanceof ContactSnapshot);
  });

  test('a contact vanishing while connected: onEnded gets a snapshot of its last data', () => {
    const { ctx } = freshContext('voice-connected-third-party');
    const ended: unknown[] = [];
    new Contact('c-voice-1').onEnded((x) => ended.push(x));
    ctx.state.apply(withContacts('voice-connected-third-party', [], 8));
    assert.equal(ended.length, 1);
    assert.ok(ended[0] instanceof ContactSnapshot);
    assert.equal((ended[0] as ContactSnapshot).getState().type, 'connected');
  });

  test('missed: incoming → missed raises onEnded, then onMissed (the genuine 2.28.2 order)', () => {
    const { ctx } = freshContext('chat-callback-task');
    const seen: string[] = [];
    const c = new Contact('c-cb-1');
    c.onMissed(() => seen.push('missed'));
    c.onEnded(() => seen.push('ended'));
    c.onError(() => seen.push('error'));
    const next = fixture('chat-callback-task', { version: 13 });
    next.data!.snapshot.contacts[1]!.state = { type: 'missed', timestamp: 1 };
    ctx.state.apply(next);
    assert.deepEqual(seen, ['ended', 'missed']);
  });
});
