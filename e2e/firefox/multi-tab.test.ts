/**
 * Firefox: CCP tabs of one browser share one SharedWorker and converge on every change; a closed or a killed tab
 * frees its master topics; the CCP page's accept button works by clicking.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { CALL_MS, launchFirefox, startServers, TEST_TIMEOUT_MS, until, withDeadline, type Firefox, type Servers } from './harness';
import {
  accept, cardButton, killTab, contactView, expectConsistent, expectContactEverywhere, isMaster, openCcpTabs, recordedStreams,
  recordStreams, setState, tabState, transportInfo,
} from './tabs';

/** A topic of the test's own, so library features that use real topics (ringtone, login popup) do not interfere. */
const TOPIC = 'e2e::firefox-topic';

describe('Firefox: CCP tabs over one SharedWorker', { timeout: TEST_TIMEOUT_MS * 7 }, () => {
  let servers: Servers;
  let ff: Firefox | undefined;
  before(async () => { servers = await startServers(); });
  after(async () => { await servers?.stop(); });
  beforeEach(async () => {
    await servers.backend.reset();
    ff = await launchFirefox();
  });
  afterEach(async () => { await ff?.close(); ff = undefined; });

  test('three tabs share one engine and converge on every change, from the backend and from a tab', { timeout: TEST_TIMEOUT_MS }, async () => {
    const tabs = await openCcpTabs(ff!, 3);
    for (const t of tabs) assert.deepEqual(await transportInfo(t), { transport: 'shared-worker' });
    const engines = await Promise.all(tabs.map((t) => withDeadline(t.evaluate(async () => (await window.connect.core.inspect()).engineId), CALL_MS, 'inspect')));
    assert.equal(new Set(engines).size, 1, `one engine for three tabs: ${engines.join(',')}`);
    await until(async () => (await tabs[0]!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())) === 3, 'three connected CCPs');
    await expectConsistent(tabs);
    for (const t of tabs) await recordStreams(t);

    await setState(tabs[1]!, 'Available');
    await expectConsistent(tabs, { stateName: 'Available' });
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'voice', from: '+15550100' });
    const s = await expectConsistent(tabs, { contacts: 1 });
    assert.equal(s.data!.snapshot.contacts[0]!.contactId, contactId);
    await accept(tabs[2]!, contactId);
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connected'), 'every tab sees the call connected');
    await servers.backend.hangup(contactId);
    await expectConsistent(tabs, { stateName: 'AfterCallWork' });

    const truth = await servers.backend.agent('agent1');
    const final = await tabState(tabs[0]!);
    assert.equal(final.data!.snapshot.state.name, truth.state.name);
    assert.deepEqual(final.data!.snapshot.contacts.map((c) => c.contactId), truth.contacts.map((c) => c.contactId));
    // The same agent and contact events, in the same order, in every tab.
    const streams = await Promise.all(tabs.map(recordedStreams));
    assert.ok(streams[0]!.includes(`contact::connected::${contactId}`), streams[0]!.join(','));
    for (const e of streams) assert.deepEqual(e, streams[0]);
  });

  for (const how of ['closed', 'killed'] as const) {
    test(`a master topic held by a ${how} tab is freed and another tab takes it`, { timeout: TEST_TIMEOUT_MS }, async () => {
      // The middle tab takes the topic: the SharedWorker lives in the process of the tab that started it (the
      // first), and this test is about a tab's death, not the worker's.
      const [a, b, c] = await openCcpTabs(ff!, 3);
      assert.equal(await isMaster(b!, TOPIC), true);
      assert.equal(await isMaster(a!, TOPIC), false);
      assert.equal(await isMaster(c!, TOPIC), false);
      await until(async () => (await a!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())) === 3, 'three connected CCPs');
      if (how === 'closed') {
        await b!.close({ runBeforeUnload: true });
      } else {
        await killTab(ff!, b!); // no pagehide: only the release of the tab's Web Locks tells the worker
      }
      const survivors = [a!, c!];
      await until(async () => (await Promise.all(survivors.map((p) => isMaster(p, TOPIC)))).some(Boolean), 'a survivor takes the topic');
      const holders = await Promise.all(survivors.map((p) => isMaster(p, TOPIC)));
      assert.equal(holders.filter(Boolean).length, 1, 'exactly one survivor holds it');
      await until(async () => (await a!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())) === 2, 'two connected CCPs');
      // The survivors still receive changes.
      const contactId = await servers.backend.inbound({ username: 'agent1', type: 'chat' });
      await expectContactEverywhere(survivors, contactId, (v) => v !== 'gone', 'the survivors see a new chat');
    });
  }

  test('the tab whose process hosts the SharedWorker is killed: the worker dies with it, the others start a new one', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Firefox runs a SharedWorker in a content process of its site, the one of the tab that started it: the first.
    const [first, ...others] = await openCcpTabs(ff!, 3);
    const engineOf = (p: typeof first) => withDeadline(p!.evaluate(async () => (await window.connect.core.inspect()).engineId), CALL_MS, 'inspect');
    const before = await engineOf(others[0]);
    await until(async () => (await others[0]!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())) === 3, 'three connected CCPs');
    await killTab(ff!, first!);
    await until(async () => {
      const engines = await Promise.all(others.map((p) => engineOf(p).catch(() => 'no answer')));
      return engines.every((e) => e !== before && e === engines[0] && e !== 'no answer') ? 'ok' : engines.join(',');
    }, 'the survivors share a new engine');
    await until(async () => (await others[0]!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())) === 2, 'two connected CCPs');
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'chat' });
    const s = await expectConsistent(others, { contacts: 1 });
    assert.equal(s.data!.snapshot.contacts[0]!.contactId, contactId);
    await setState(others[1]!, 'Available');
    await expectConsistent(others, { stateName: 'Available' });
  });

  test('the CCP page: an inbound call rings in every tab and a click on Accept connects it everywhere', { timeout: TEST_TIMEOUT_MS }, async () => {
    const tabs = await openCcpTabs(ff!, 3);
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'voice', attributes: { customerName: 'Ada Lovelace' } });
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connecting'), 'every tab sees the call ringing');
    for (const t of tabs) await cardButton(t, 'Ada Lovelace', 'Accept'); // rendered in each tab
    await (await cardButton(tabs[1]!, 'Ada Lovelace', 'Accept')).click();
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connected'), 'every tab sees the call connected');
    await until(async () => (await servers.backend.agent('agent1')).contacts.find((c) => c.contactId === contactId)?.state.type === 'connected',
      'the backend has the call connected');
    // Every CCP page now offers the connected call's controls instead of Accept.
    for (const t of tabs) await cardButton(t, 'Ada Lovelace', 'Hang up');
    assert.match(await contactView(tabs[0]!, contactId), /^connected/);
  });
});
