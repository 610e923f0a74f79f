import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType, ENGINE_EVENTS, ErrorType, MAX_UP_MESSAGE_CHARS, TabRole, type MasterResult, type Response } from '../shared/protocol';
import { EventType, MasterTopics as Topic } from '../shared/enums';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { contact } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';

const NOW = 1_700_000_000_000;

describe('Engine: tabs', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('SYNCHRONIZE is acknowledged to that tab only, with its id, seq and the engine\'s version', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    await advance(mock.timers, 1_000);
    assert.equal(await h.engine.handle('a', { type: 'synchronize', seq: 7 }), undefined);
    const version = h.engine.state.version;
    assert.deepEqual(a.ofType(DownType.ACKNOWLEDGE), [{ type: DownType.ACKNOWLEDGE, tabId: 'a', seq: 7, version }]);
    assert.deepEqual(b.ofType(DownType.ACKNOWLEDGE), []);
    const info = h.engine.inspect().tabs.find((t) => t.tabId === 'a')!;
    assert.equal(info.lastSynchronize, NOW + 1_000);
    assert.equal(info.lastAcknowledge, NOW + 1_000);
  });

  test('the connected count is published on every change', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    await h.connect(new FakeTab('b'));
    const c = await h.connect(new FakeTab('c'));
    assert.deepEqual(a.events(EventType.UPDATE_CONNECTED_CCPS).map((e) => e.data), [{ length: 1 }, { length: 2 }, { length: 3 }]);
    await h.engine.handle('b', { type: 'bye' });
    assert.deepEqual(c.events(EventType.UPDATE_CONNECTED_CCPS).map((e) => e.data), [{ length: 3 }, { length: 2 }]);
  });

  test('a dead tab is dropped at once: topics handed over, count published, deliveries dropped', async () => {
    const h = harness();
    const dead = await h.connect(new FakeTab('dead', 'never'));
    const live = await h.connect(new FakeTab('live'));
    await h.engine.handle('dead', { type: 'master', requestId: 'm1', method: 'checkMaster', topic: Topic.SOFTPHONE });
    await h.engine.handle('live', { type: 'master', requestId: 'm2', method: 'checkMaster', topic: Topic.SOFTPHONE });
    await h.engine.handle('dead', { type: 'master', requestId: 'm3', method: 'checkMaster', topic: Topic.RINGTONE });
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    assert.ok(h.engine.inspect().tabs.some((t) => t.tabId === 'dead'));
    live.clear();
    h.liveness.kill('dead');
    await flush();
    assert.deepEqual(h.engine.inspect().tabs.map((t) => t.tabId), ['live']);
    assert.deepEqual(live.events(ENGINE_EVENTS.MASTER_CHANGED).map((e) => e.data), [
      { topic: Topic.SOFTPHONE, masterId: 'live', isMaster: true },
      { topic: Topic.RINGTONE, masterId: null, isMaster: false },
    ]);
    assert.deepEqual(live.events(EventType.UPDATE_CONNECTED_CCPS).map((e) => e.data), [{ length: 1 }]);
    const deadCount = dead.messages.length;
    await h.answerPoll([contact('c2')]);
    await advance(mock.timers, 10_000);
    assert.equal(dead.messages.length, deadCount, 'nothing more is sent to the dead tab');
    assert.deepEqual(h.engine.inspect().topics, { [Topic.SOFTPHONE]: 'live' });
    await h.engine.stop();
  });

  test('each tab id is watched once; a reconnect of the same tab keeps its topics', async () => {
    const h = harness();
    await h.connect(new FakeTab('a'));
    await h.engine.handle('a', { type: 'master', requestId: 'm', method: 'becomeMaster', topic: Topic.SOFTPHONE });
    const again = await h.connect(new FakeTab('a'));
    assert.deepEqual(h.liveness.watches, ['a']);
    assert.deepEqual(h.engine.inspect().topics, { [Topic.SOFTPHONE]: 'a' });
    assert.equal(again.events(EventType.UPDATE_CONNECTED_CCPS).length, 0, 'the count did not change');
  });

  test('master topics: first asker wins, take-over is announced to every tab', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    const check = (tab: string) => h.engine.handle(tab, { type: 'master', requestId: 'r', method: 'checkMaster', topic: Topic.RINGTONE });
    assert.deepEqual(await check('a'), { topic: Topic.RINGTONE, masterId: 'a', isMaster: true });
    assert.deepEqual(await check('b'), { topic: Topic.RINGTONE, masterId: 'a', isMaster: false });
    const take = await h.engine.handle('b', { type: 'master', requestId: 'r', method: 'becomeMaster', topic: Topic.RINGTONE }) as MasterResult;
    assert.deepEqual(take, { topic: Topic.RINGTONE, masterId: 'b', isMaster: true, takeOver: true });
    assert.deepEqual(a.events(ENGINE_EVENTS.MASTER_CHANGED).map((e) => e.data),
      [{ topic: Topic.RINGTONE, masterId: 'b', takeOver: true, isMaster: false }]);
    assert.deepEqual(b.events(ENGINE_EVENTS.MASTER_CHANGED).map((e) => e.data),
      [{ topic: Topic.RINGTONE, masterId: 'b', takeOver: true, isMaster: true }]);
    const release = await h.engine.handle('b', { type: 'master', requestId: 'r', method: 'releaseMaster', topic: Topic.RINGTONE });
    assert.deepEqual(release, { topic: Topic.RINGTONE, masterId: 'a', isMaster: false });
  });

  test('broadcast goes to every tab, the sender included', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    await h.engine.handle('a', { type: 'broadcast', event: 'mute', data: { muted: true } });
    for (const t of [a, b]) assert.deepEqual(t.events('mute'), [{ type: DownType.EVENT, event: 'mute', data: { muted: true } }]);
  });

  test('requests are answered to the asking tab; setConfiguration success triggers a configuration round', async () => {
    const h = harness();
    await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    h.cti.on('UpdateAgentConfiguration', () => ({}));
    const rounds = h.cti.callsOf('GetAgentConfiguration').length;
    const res = await h.engine.handle('a', {
      type: 'request', requestId: 'r1', method: 'updateAgentConfiguration',
      params: { configuration: { name: 'x', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', routingProfile: {} } },
    });
    assert.deepEqual(res, { type: DownType.RESPONSE, requestId: 'r1', ok: true, data: {} });
    await flush();
    assert.equal(h.cti.callsOf('GetAgentConfiguration').length, rounds + 1);
    await h.engine.handle('a', { type: 'reload_configuration' });
    await flush();
    assert.equal(h.cti.callsOf('GetAgentConfiguration').length, rounds + 2);
    await h.engine.stop();
  });

  test('resync pushes the full state to that tab only', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    a.clear();
    b.clear();
    await h.engine.handle('a', { type: 'resync' });
    assert.deepEqual(a.messages.map((m) => m.type), [DownType.STATE]);
    assert.deepEqual(b.messages, []);
  });

  test('terminate stops polling, tells every tab and clears the data', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const b = await h.connect(new FakeTab('b'));
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    await h.engine.handle('a', { type: 'terminate' });
    await flush();
    for (const t of [a, b]) assert.equal(t.events(EventType.TERMINATED).length, 1);
    assert.equal(h.engine.state.data, null);
    assert.equal(b.state?.data, null);
    assert.equal(h.engine.inspect().polling, 'stopped');
    const polls = h.cti.callsOf('GetAgentSnapshot').length;
    await advance(mock.timers, 120_000);
    assert.equal(h.cti.callsOf('GetAgentSnapshot').length, polls);
    // a new session (after a new login) resumes polling
    await h.engine.handle('b', { type: 'session', authToken: 'tok-2' });
    await flush();
    assert.equal(h.cti.callsOf('GetAgentSnapshot').at(-1)!.token, 'tok-2');
    await h.engine.stop();
  });

  test('inspect reports polls per minute, tabs, topics and recent events', async () => {
    const h = harness();
    await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    await h.answerPoll([contact('c2')]);
    await h.engine.handle('a', { type: 'broadcast', event: 'contact::view' });
    const info = await h.engine.handle('a', { type: 'inspect' });
    assert.ok(info && 'pollsPerMinute' in info);
    assert.equal(info.pollsPerMinute, 3);
    assert.equal(info.polling, 'running');
    assert.deepEqual(info.tabs.map((t) => [t.tabId, t.role, t.alive]), [['a', TabRole.CCP, true]]);
    assert.ok(info.recentEvents.some((e) => e.event === 'contact::view'));
    await h.engine.stop();
  });
});

describe('Engine: malformed input', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  const table: [string, unknown, string, RegExp][] = [
    ['non-object', 42, ErrorType.VALIDATION, /must be an object/],
    ['missing type', { requestId: 'r9' }, ErrorType.VALIDATION, /type must be a string/],
    ['unknown type', { type: 'format_disk', requestId: 'r9' }, ErrorType.VALIDATION, /unknown message type/],
    ['wrong field type', { type: 'request', requestId: 'r9', method: 7, params: {} }, ErrorType.VALIDATION, /request\.method must be a string/],
    ['oversized', { type: 'broadcast', requestId: 'r9', event: 'x', data: 'z'.repeat(MAX_UP_MESSAGE_CHARS + 1) }, ErrorType.VALIDATION, /limit/],
    ['hello after hello', { type: 'hello', requestId: 'r9', tabId: 'other', protocol: 1, role: 'ccp' }, ErrorType.VALIDATION, /already connected as bad/],
    ['unknown method', { type: 'request', requestId: 'r9', method: 'launchRocket', params: {} }, ErrorType.UNKNOWN_METHOD, /no such method/],
    ['bad params', { type: 'request', requestId: 'r9', method: 'acceptContact', params: { contactId: 3 } }, ErrorType.VALIDATION, /contactId/],
  ];

  for (const [name, msg, type, re] of table) {
    test(`${name} → typed ${type}, the other tab unaffected`, async () => {
      const h = harness();
      await h.connect(new FakeTab('bad'));
      const good = await h.connect(new FakeTab('good'));
      const res = await h.engine.handle('bad', msg) as Response;
      assert.equal(res.type, DownType.RESPONSE);
      assert.ok(!res.ok);
      assert.equal(res.error.type, type);
      assert.match(res.error.message, re);
      if (typeof msg === 'object' && name !== 'missing type' && name !== 'non-object') assert.equal(res.requestId, 'r9');
      await h.engine.handle('good', { type: 'synchronize', seq: 1 });
      assert.equal(good.ofType(DownType.ACKNOWLEDGE).length, 1);
      assert.deepEqual(h.engine.inspect().tabs.map((t) => t.tabId), ['bad', 'good']);
    });
  }

  test('a message from a tab that is not connected → NotConnectedError', async () => {
    const h = harness();
    const res = await h.engine.handle('ghost', { type: 'synchronize', seq: 1 }) as Response;
    assert.ok(!res.ok && res.error.type === ErrorType.NOT_CONNECTED);
  });

  test('a bad hello is refused with a typed error; another protocol version too', async () => {
    const h = harness();
    const tab = new FakeTab('x');
    const bad = await h.engine.connectTab({ type: 'hello', tabId: '', protocol: 1, role: 'ccp' }, tab.push);
    assert.ok('error' in bad && bad.error.type === ErrorType.VALIDATION);
    const notHello = await h.engine.connectTab({ type: 'synchronize', seq: 1 }, tab.push);
    assert.ok('error' in notHello && /first message must be hello/.test(notHello.error.message));
    const old = await h.engine.connectTab({ ...tab.hello(), protocol: 0 }, tab.push);
    assert.ok('error' in old && old.error.type === ErrorType.PROTOCOL);
    assert.equal(h.engine.inspect().tabs.length, 0);
  });
});
