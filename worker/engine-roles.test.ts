import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DownType, ENGINE_EVENTS, ErrorType, TabRole, type EngineInfo, type LogDown, type MasterResult, type Response,
} from '../shared/protocol';
import { AgentEvents, ConfigurationEvents, ContactEvents, EventType, MasterTopics as Topic } from '../shared/enums';
import { contactEventName } from '../shared/events';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { contact } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';

const NOW = 1_700_000_000_000;

/** Every event name the engine emits itself: no tab may raise one on the other tabs. */
const ENGINE_OWNED = [
  EventType.ACKNOWLEDGE, EventType.ACK_TIMEOUT, EventType.AUTH_FAIL, EventType.ACCESS_DENIED, EventType.TERMINATED,
  EventType.UPDATE_CONNECTED_CCPS, ENGINE_EVENTS.MASTER_CHANGED, EventType.LOG, EventType.INIT, EventType.TRANSPORT,
  EventType.API_RESPONSE, EventType.MASTER_RESPONSE,
];

const crmTab = (id = 'crm') => new FakeTab(id, 'auto', TabRole.CRM);

function isForbidden(r: unknown): boolean {
  const res = r as Response | undefined;
  return !!res && res.type === DownType.RESPONSE && !res.ok && res.error.type === ErrorType.FORBIDDEN;
}

describe('Engine: authorisation by role', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('no tab of any role may broadcast an engine event name: ForbiddenError, nothing reaches the other tabs', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'));
    const other = await h.connect(new FakeTab('other'));
    const crm = await h.connect(crmTab());
    const page = await h.connect(new FakeTab('page', 'auto', TabRole.PAGE));
    const inspector = await h.connect(new FakeTab('insp', 'auto', TabRole.INSPECTOR));
    for (const t of [ccp, other, crm, page, inspector]) t.clear();
    for (const sender of ['ccp', 'crm', 'page', 'insp']) {
      for (const event of ENGINE_OWNED) {
        const r = await h.engine.handle(sender, { type: 'broadcast', event, data: { forged: true }, requestId: 'b' });
        assert.ok(isForbidden(r), `${sender} broadcasting ${event} must be forbidden, got ${JSON.stringify(r)}`);
      }
    }
    await flush();
    for (const t of [ccp, other, crm, page, inspector]) assert.deepEqual(t.events(), [], `${t.tabId} got a forged event`);
  });

  test('a CRM may broadcast only what a CRM page raises across tabs', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'));
    await h.connect(crmTab());
    ccp.clear();
    const allowed: [string, unknown][] = [
      [ContactEvents.ACCEPTED, { contactId: 'c1' }],
      [contactEventName(ContactEvents.ACCEPTED, 'c1'), { contactId: 'c1' }],
      [ContactEvents.VIEW, { contactId: 'c1' }],
      [EventType.MUTE, { mute: true }],
      [AgentEvents.MUTE_TOGGLE, { muted: true }],
      [ConfigurationEvents.SET_SPEAKER_DEVICE, { deviceId: 'd' }],
      [ConfigurationEvents.SET_MICROPHONE_DEVICE, { deviceId: 'd' }],
      [ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd' }],
    ];
    for (const [event, data] of allowed) assert.equal(await h.engine.handle('crm', { type: 'broadcast', event, data }), undefined, event);
    assert.deepEqual(ccp.events().map((e) => e.event), allowed.map(([e]) => e));
    ccp.clear();
    const refused = [ContactEvents.INCOMING, contactEventName(ContactEvents.CONNECTED, 'c1'), AgentEvents.ROUTABLE,
      AgentEvents.SOFTPHONE_ERROR, 'login_popup::signed_in', 'anything::else', contactEventName(ContactEvents.VIEW, 'a::b')];
    for (const event of refused) assert.ok(isForbidden(await h.engine.handle('crm', { type: 'broadcast', event })), event);
    await flush();
    assert.deepEqual(ccp.events(), []);
  });

  test('a CCP tab still broadcasts its own events (softphone, login popup, mute) to every tab', async () => {
    const h = harness();
    const a = await h.connect(new FakeTab('a'));
    const crm = await h.connect(crmTab());
    for (const event of [AgentEvents.SOFTPHONE_ERROR, 'login_popup::signed_in', EventType.MUTE]) {
      assert.equal(await h.engine.handle('a', { type: 'broadcast', event, data: { x: 1 } }), undefined);
    }
    for (const t of [a, crm]) assert.equal(t.events().filter((e) => e.event !== EventType.UPDATE_CONNECTED_CCPS).length, 3);
  });

  test('a CRM cannot supply a session: ForbiddenError, the engine keeps its token', async () => {
    const h = harness();
    await h.connect(new FakeTab('ccp'));
    await h.connect(crmTab());
    await h.engine.start();
    await flush();
    const tokenBefore = h.cti.token;
    const r = await h.engine.handle('crm', { type: 'session', authToken: 'forged-token', requestId: 's' });
    assert.ok(isForbidden(r), JSON.stringify(r));
    await flush();
    assert.equal(h.cti.token, tokenBefore, 'the forged token never reached the CTI client');
    // A CCP tab may (the login popup's path).
    assert.equal(await h.engine.handle('ccp', { type: 'session', authToken: 'real-token' }), undefined);
    await flush();
    assert.equal(h.cti.token, 'real-token');
    await h.engine.stop();
  });

  test('a CRM cannot hold connect::ringtone / loginPopup / softphone; checkMaster never makes it master; its own topics work', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'));
    await h.connect(crmTab());
    for (const topic of [Topic.RINGTONE, Topic.LOGIN_POPUP, Topic.SOFTPHONE]) {
      // Free topic: a check by the CRM must not grab it.
      const check = await h.engine.handle('crm', { type: 'master', requestId: 'm', method: 'checkMaster', topic }) as MasterResult;
      assert.equal(check.isMaster, false, `check ${topic}`);
      const take = await h.engine.handle('crm', { type: 'master', requestId: 'm', method: 'becomeMaster', topic });
      assert.ok(isForbidden(take), `become ${topic}: ${JSON.stringify(take)}`);
    }
    assert.deepEqual(h.engine.inspect().topics, {});
    // The CCP gets the ringtone as usual, and the CRM cannot take it over.
    const ring = await h.engine.handle('ccp', { type: 'master', requestId: 'm', method: 'checkMaster', topic: Topic.RINGTONE }) as MasterResult;
    assert.equal(ring.isMaster, true);
    ccp.clear();
    assert.ok(isForbidden(await h.engine.handle('crm', { type: 'master', requestId: 'm', method: 'becomeMaster', topic: Topic.RINGTONE })));
    assert.deepEqual(h.engine.inspect().topics, { [Topic.RINGTONE]: 'ccp' });
    assert.deepEqual(ccp.events(ENGINE_EVENTS.MASTER_CHANGED), []);
    // A topic of the CRM's own.
    const own = await h.engine.handle('crm', { type: 'master', requestId: 'm', method: 'becomeMaster', topic: 'crm::screenpop' }) as MasterResult;
    assert.deepEqual(own, { topic: 'crm::screenpop', masterId: 'crm', isMaster: true, takeOver: false });
  });

  test('a CRM hello cannot take over a connected tab of another role (and so inherit its topics)', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'));
    await h.engine.handle('ccp', { type: 'master', requestId: 'm', method: 'becomeMaster', topic: Topic.RINGTONE });
    const impostor = new FakeTab('ccp', 'auto', TabRole.CRM);
    const welcome = await h.engine.connectTab(impostor.hello(), impostor.push);
    assert.ok('error' in welcome && welcome.error.type === ErrorType.FORBIDDEN, JSON.stringify(welcome));
    assert.deepEqual(impostor.messages, []);
    assert.deepEqual(h.engine.inspect().tabs.map((t) => [t.tabId, t.role]), [['ccp', TabRole.CCP]]);
    await h.engine.start();
    await flush();
    ccp.clear();
    await h.answerPoll([contact('c1')]);
    assert.equal(ccp.ofType(DownType.DELTA).length + ccp.ofType(DownType.STATE).length > 0, true, 'the CCP tab still receives');
    await h.engine.stop();
  });

  test('inspect gives a CRM counts only: no other tab, URL, topic holder or recent event', async () => {
    const h = harness();
    await h.connect(new FakeTab('ccp'), { url: 'https://ccp.example/secret-path?agent=42' });
    await h.connect(crmTab(), { url: 'https://crm.example/page' });
    await h.engine.handle('ccp', { type: 'master', requestId: 'm', method: 'becomeMaster', topic: Topic.RINGTONE });
    const info = await h.engine.handle('crm', { type: 'inspect' }) as EngineInfo;
    assert.equal(info.tabCount, 2);
    assert.deepEqual(info.tabs.map((t) => t.tabId), ['crm']);
    assert.equal(JSON.stringify(info).includes('secret-path'), false);
    assert.equal(JSON.stringify(info).includes('"ccp"'), false, 'no other tab id');
    assert.deepEqual(info.topics, {});
    assert.deepEqual(info.recentEvents, []);
    // A CCP tab (and the inspector) still sees everything.
    const full = await h.engine.handle('ccp', { type: 'inspect' }) as EngineInfo;
    assert.deepEqual(full.tabs.map((t) => t.tabId), ['ccp', 'crm']);
    assert.equal(full.tabs[0]!.url, 'https://ccp.example/secret-path?agent=42');
    assert.deepEqual(full.topics, { [Topic.RINGTONE]: 'ccp' });
  });

  test('a CRM gets no other tab\'s log entries (its own and the engine\'s only), even asking for logs', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'), { wantsLogs: true });
    await h.engine.handle('ccp', { type: 'log', entries: [{ level: 'INFO', time: NOW, text: 'ccp secret line', source: 'x' }] });
    await advance(mock.timers, 2_000);
    const crm = await h.connect(crmTab(), { wantsLogs: true });
    await h.engine.handle('crm', { type: 'log', entries: [{ level: 'INFO', time: NOW, text: 'crm own line', source: 'x' }] });
    await h.engine.handle('ccp', { type: 'log', entries: [{ level: 'INFO', time: NOW, text: 'ccp later line', source: 'x' }] });
    await advance(mock.timers, 2_000);
    const crmLines = crm.ofType(DownType.LOG).flatMap((m: LogDown) => m.entries);
    assert.ok(crmLines.some((e) => e.text === 'crm own line'));
    assert.ok(crmLines.some((e) => e.source === 'engine'), 'engine lines still reach the CRM');
    assert.ok(crmLines.every((e) => e.source === 'crm' || e.source === 'engine'), JSON.stringify(crmLines.map((e) => e.source)));
    const ccpLines = ccp.ofType(DownType.LOG).flatMap((m: LogDown) => m.entries);
    assert.ok(ccpLines.some((e) => e.text === 'crm own line'), 'the CCP (inspector-like) still sees every line');
  });

  test('a CRM may log out (a CRM sign-out button): every tab gets terminated', async () => {
    const h = harness();
    const ccp = await h.connect(new FakeTab('ccp'));
    await h.connect(crmTab());
    await h.engine.start();
    await flush();
    assert.equal(await h.engine.handle('crm', { type: 'terminate' }), undefined);
    assert.equal(ccp.events(EventType.TERMINATED).length, 1);
    assert.equal(h.engine.inspect().polling, 'stopped');
    await h.engine.stop();
  });

  test('requests, resync, reload, synchronize still work for a CRM', async () => {
    const h = harness();
    const crm = await h.connect(crmTab());
    await h.engine.start();
    await flush();
    h.cti.on('AcceptContact', () => ({}));
    const r = await h.engine.handle('crm', { type: 'request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c1' } });
    assert.deepEqual(r, { type: DownType.RESPONSE, requestId: 'r1', ok: true, data: {} });
    assert.equal(await h.engine.handle('crm', { type: 'synchronize', seq: 1 }), undefined);
    assert.equal(crm.ofType(DownType.ACKNOWLEDGE).length, 1);
    assert.equal(await h.engine.handle('crm', { type: 'reload_configuration' }), undefined);
    assert.equal(await h.engine.handle('crm', { type: 'resync' }), undefined);
    await h.engine.stop();
  });
});
