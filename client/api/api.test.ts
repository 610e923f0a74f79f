import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MasterMethod } from '../../shared/protocol';
import { Agent } from './agent';
import { agent, becomeMaster, connectApi, contact, coreApi, getContactEventName, ifMaster } from './api';
import { VoiceConnection } from './connection';
import { Contact } from './contact';
import { getContext } from '../tab/context';
import { Endpoint } from './endpoint';
import { ContactNotFoundError, SoftphoneError, ValueError } from './errors';
import { Subscription } from './event-bus';
import { freshContext } from '../../testing/client/context';
import { flush } from '../../testing/client/fake-upstream';
import { fixture } from '../../testing/client/fixtures';

describe('connect.agent', () => {
  test('called once at initialisation; synchronously when already initialised', () => {
    const { ctx } = freshContext();
    const calls: unknown[] = [];
    const sub = agent((a) => calls.push(a));
    assert.ok(sub instanceof Subscription);
    assert.equal(calls.length, 0);
    ctx.state.apply(fixture('agent-available'));
    assert.equal(calls.length, 1);
    assert.ok(calls[0] instanceof Agent);
    ctx.state.apply(fixture('inbound-voice-connecting'));
    assert.equal(calls.length, 1, 'agent::init only once');
    const late: unknown[] = [];
    agent((a) => late.push(a));
    assert.equal(late.length, 1, 'synchronous for a late subscriber');
  });

  test('a throwing callback does not break the library', () => {
    freshContext('agent-available');
    assert.doesNotThrow(() => agent(() => { throw new Error('user bug'); }));
  });
});

describe('connect.contact', () => {
  test('replays known contacts synchronously in snapshot order, then each new one once', () => {
    const { ctx } = freshContext('chat-callback-task');
    const seen: string[] = [];
    contact((c) => seen.push(c.getContactId()));
    assert.deepEqual(seen, ['c-chat-1', 'c-cb-1', 'c-task-1']);
    const next = fixture('chat-callback-task', { version: 13 });
    next.data!.snapshot.contacts.push({ ...next.data!.snapshot.contacts[0]!, contactId: 'c-new' });
    ctx.state.apply(next);
    assert.deepEqual(seen, ['c-chat-1', 'c-cb-1', 'c-task-1', 'c-new']);
  });

  test('subscribing inside agent::init during the first update sees every contact exactly once', () => {
    const { ctx } = freshContext();
    const seen: string[] = [];
    agent(() => { contact((c) => seen.push(c.getContactId())); });
    ctx.state.apply(fixture('chat-callback-task'));
    assert.deepEqual(seen, ['c-chat-1', 'c-cb-1', 'c-task-1']);
  });

  test('subscriptions made in the callback receive the same update\'s transition events', () => {
    const { ctx } = freshContext('agent-available');
    const seen: string[] = [];
    contact((c) => c.onConnecting(() => seen.push(`connecting ${c.getContactId()}`)));
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 2 }));
    assert.deepEqual(seen, ['connecting c-voice-1']);
  });

  test('contacts that left are not replayed', () => {
    const { ctx } = freshContext('inbound-voice-connecting');
    ctx.state.apply(fixture('agent-available', { version: 3 }));
    const seen: string[] = [];
    contact((c) => seen.push(c.getContactId()));
    assert.deepEqual(seen, []);
  });
});

describe('ifMaster / becomeMaster', () => {
  test('ifMaster runs the branch the engine decides', async () => {
    const { up } = freshContext('agent-available');
    const calls: string[] = [];
    ifMaster('connect::ringtone', () => calls.push('master'), () => calls.push('not'));
    up.masterAnswer = (_m, topic) => ({ topic, masterId: 'other', isMaster: false });
    ifMaster('connect::ringtone', () => calls.push('master'), () => calls.push('not'));
    up.masterAnswer = () => ({ type: 'TimeoutError', message: 'slow' });
    ifMaster('connect::ringtone', () => calls.push('master'), () => calls.push('not (error)'));
    await flush();
    assert.deepEqual(calls, ['master', 'not', 'not (error)']);
    assert.deepEqual(up.masterCalls.map((c) => c.method), [MasterMethod.CHECK, MasterMethod.CHECK, MasterMethod.CHECK]);
  });

  test('without an engine, ifMaster takes the else branch and becomeMaster fails typed', async () => {
    freshContext('agent-available', { connected: false });
    const calls: unknown[] = [];
    ifMaster('t', () => calls.push('master'), () => calls.push('else'));
    becomeMaster('t', () => calls.push('ok'), (e) => calls.push(e.type));
    await flush();
    assert.deepEqual(calls, ['else', 'NotConnectedError']);
  });

  test('becomeMaster: ok on success, typed failure otherwise', async () => {
    const { up } = freshContext('agent-available');
    const calls: unknown[] = [];
    becomeMaster('connect::softphone', (r) => calls.push(['ok', r?.isMaster]));
    up.masterAnswer = () => ({ type: 'TimeoutError', message: 'slow' });
    becomeMaster('connect::softphone', undefined, (e) => calls.push(['fail', e.type]));
    await flush();
    assert.deepEqual(calls, [['ok', true], ['fail', 'TimeoutError']]);
    assert.equal(up.masterCalls[0]!.method, MasterMethod.BECOME);
  });
});

describe('connect.core members', () => {
  test('getContactEventName validates the event name', () => {
    assert.equal(getContactEventName('contact::ended', 'c1'), 'contact::ended::c1');
    assert.throws(() => getContactEventName('ended', 'c1'), ValueError);
  });

  test('event subscriptions, viewContact, getEventBus, getSkew', () => {
    const { ctx, up } = freshContext('inbound-voice-connecting');
    const got: string[] = [];
    coreApi.onAuthFail(() => got.push('auth_fail'));
    coreApi.onAccessDenied(() => got.push('access_denied'));
    coreApi.onInitialized(() => got.push('init'));
    coreApi.onViewContact((d: { contactId: string }) => got.push(`view ${d.contactId}`));
    ctx.bus.trigger('auth_fail');
    ctx.bus.trigger('access_denied');
    ctx.bus.trigger('init');
    ctx.bus.trigger('contact::view', { contactId: 'c9' });
    assert.deepEqual(got, ['auth_fail', 'access_denied', 'init', 'view c9']);
    coreApi.viewContact('c-voice-1');
    assert.deepEqual(up.broadcasts, [{ event: 'contact::view', data: { contactId: 'c-voice-1' } }]);
    assert.equal(coreApi.getEventBus(), getContext().bus);
    assert.equal(coreApi.getSkew(), 1500);
  });

  test('the agent data provider hands out copies and typed errors', () => {
    freshContext('inbound-voice-connecting');
    const p = coreApi.getAgentDataProvider();
    assert.equal(p.getAgentData()?.configuration.name, 'Agent One');
    assert.equal(p.getConnectionData('c-voice-1', 'conn-cust-1').type, 'inbound');
    p.getContactData('c-voice-1').state.type = 'hacked';
    assert.equal(p.getContactData('c-voice-1').state.type, 'connecting');
    assert.throws(() => p.getContactData('nope'), ContactNotFoundError);
  });

  test('agent::softphone_error data from another tab arrives as a SoftphoneError', () => {
    const { ctx } = freshContext('agent-available');
    let got: unknown;
    new Agent().onSoftphoneError((e) => { got = e; });
    ctx.bus.trigger('agent::softphone_error', { errorType: 'microphone_not_shared', errorMessage: 'denied', endPointUrl: 'wss://x' });
    assert.ok(got instanceof SoftphoneError);
    assert.equal((got as SoftphoneError).getErrorType(), 'microphone_not_shared');
    assert.equal((got as SoftphoneError).getEndPointUrl(), 'wss://x');
  });
});

describe('connectApi', () => {
  test('exposes the classes, aliases and exact enum values', () => {
    assert.equal(connectApi.Connection, VoiceConnection);
    assert.equal(connectApi.Address, Endpoint);
    assert.equal(connectApi.Contact, Contact);
    assert.equal(connectApi.AgentStateType.NOT_ROUTABLE, 'not_routable');
    assert.equal(connectApi.AgentStatusType, connectApi.AgentStateType);
    assert.equal(connectApi.ContactEvents.ACCEPTED, 'contact::accepted');
    assert.equal(connectApi.AgentEvents.MUTE_TOGGLE, 'agent::mute_toggle');
    assert.equal(connectApi.EventType.TERMINATED, 'terminated');
    assert.equal(connectApi.ContactStateType.MISSED, 'missed');
    assert.equal(connectApi.MasterTopics.RINGTONE, 'connect::ringtone');
    assert.deepEqual(connectApi.makeEnum(['not_routable', 'AfterCallWork']), { NOT_ROUTABLE: 'not_routable', AFTER_CALL_WORK: 'AfterCallWork' });
    assert.deepEqual(connectApi.makeNamespacedEnum('agent', ['refresh']), { REFRESH: 'agent::refresh' });
    const o = { n: 1, add(this: { n: number }, a: number, b: number) { return this.n + a + b; } };
    assert.equal(connectApi.hitch(o, o.add, 10)(100), 111);
    assert.equal(connectApi.hitch(o, 'add', 1, 2)(), 4);
    assert.equal(connectApi.getLog(), getContext().log);
  });
});
