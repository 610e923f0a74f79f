/**
 * Firefox: a CRM page embeds the CCP. On an approved origin of the same site it sees what a CCP tab sees; a page on a
 * non-approved origin gets nothing; on another site (`localhost` embedding `127.0.0.1`, a third-party frame under
 * Firefox's storage partitioning) two CRM tabs sign in through one popup and stay in sync.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Page, Target } from 'puppeteer-core';
import {
  CALL_MS, CRM_URL, CROSS_SITE_CRM_URL, CTI_URL, launchFirefox, sleep, startServers, TEST_TIMEOUT_MS, until, withDeadline,
  type Firefox, type Servers,
} from './harness';
import {
  accept, ccpFrame, expectConsistent, isMaster, killTab, expectContactEverywhere, openCcpTabs, openTab, recordedStreams, recordStreams,
  singleLeader, waitForAgent,
} from './tabs';

/** A topic of the test's own, so library features that use real topics (ringtone, login popup) do not interfere. */
const TOPIC = 'e2e::firefox-topic';

/** How long a page that must get nothing is watched: several engine beats and ACK periods (1–3 s). */
const NOTHING_MS = 5000;

/** Every `message` the top-level CRM page (on `hostname`) receives, as JSON, in `window.__crmMessages`. */
async function recordCrmMessages(page: Page, hostname: string): Promise<void> {
  await page.evaluateOnNewDocument((host: string) => {
    if (window.top !== window || location.hostname !== host) return;
    const w = window as unknown as { __crmMessages: string[] };
    w.__crmMessages = [];
    addEventListener('message', (e) => { w.__crmMessages.push(JSON.stringify(e.data)); });
  }, hostname);
}

function crmMessages(page: Page): Promise<string[]> {
  return withDeadline(page.evaluate(() => (window as unknown as { __crmMessages?: string[] }).__crmMessages ?? []), CALL_MS, 'CRM messages');
}

/**
 * Opens `n` CRM tabs on the other site, the first alone until its CCP frame has opened the login popup, and signs in
 * there. The frames are third-party: the session cookie does not reach them, so one CCP frame opens the popup.
 */
async function crossSiteTabs(ff: Firefox, n: number): Promise<{ tabs: Page[]; popups: Target[] }> {
  const popups: Target[] = [];
  ff.browser.on('targetcreated', (t: Target) => { if (t.type() === 'page') popups.push(t); });
  const prepare = (p: Page): Promise<void> => recordCrmMessages(p, 'localhost');
  const tabs = [await openTab(ff, CROSS_SITE_CRM_URL, prepare)];
  let popup: Page | null = null;
  await until(async () => {
    const opened = popups.filter((t) => t.url().startsWith(`${CTI_URL}/login`));
    if (opened.length !== 1) return `${opened.length} login popups`;
    popup = await opened[0]!.page();
    return !!popup;
  }, 'a login popup opens');
  for (let i = 1; i < n; i++) tabs.push(await openTab(ff, CROSS_SITE_CRM_URL, prepare));
  await popup!.waitForSelector('#username');
  await popup!.type('#username', 'agent1');
  await popup!.type('#password', 'connect');
  await popup!.click('button[type=submit]');
  await Promise.all(tabs.map((t) => waitForAgent(t)));
  await expectConsistent(tabs);
  return { tabs, popups };
}

describe('Firefox: the CCP embedded in a CRM', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  let servers: Servers;
  let ff: Firefox | undefined;
  before(async () => { servers = await startServers(); });
  after(async () => { await servers?.stop(); });
  beforeEach(async () => {
    await servers.backend.reset();
    await servers.backend.resetStats();
    ff = await launchFirefox();
  });
  afterEach(async () => { await ff?.close(); ff = undefined; });

  test('a CRM on an approved origin sees the same agent, contacts and events as a CCP tab', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [ccp] = await openCcpTabs(ff!, 1);
    const crm = await openTab(ff!, CRM_URL);
    await waitForAgent(crm);
    assert.equal(await crm.evaluate(() => window.connect.core.getTransportKind()), 'iframe');
    await expectConsistent([ccp!, crm]);
    await recordStreams(ccp!);
    await recordStreams(crm);

    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'voice', attributes: { customerName: 'Ada Lovelace' } });
    await expectContactEverywhere([ccp!, crm], contactId, (v) => v.startsWith('connecting'), 'both see the call ringing');
    await accept(crm, contactId);
    await expectContactEverywhere([ccp!, crm], contactId, (v) => v.startsWith('connected'), 'both see it connected');
    await expectConsistent([ccp!, crm], { contacts: 1 });
    const [fromCcp, fromCrm] = await Promise.all([recordedStreams(ccp!), recordedStreams(crm)]);
    assert.ok(fromCrm.includes(`contact::connected::${contactId}`), fromCrm.join(','));
    assert.deepEqual(fromCrm, fromCcp, 'the same events in the same order');
  });

  test('a page on a non-approved origin cannot embed the CCP and gets no data', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [ccp] = await openCcpTabs(ff!, 1); // signed in: the CCP would show the agent if it rendered
    const html = `<!doctype html><div id="c"></div><script src="${CTI_URL}/connect-streams.js"></script>
      <script>window.__events = []; connect.core.initCCP(document.getElementById('c'), { ccpUrl: '${CTI_URL}/ccp' });
      connect.core.getEventBus().subscribeAll((d, n) => window.__events.push(n));</script>`;
    const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const page = await openTab(ff!, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await until(() => page.evaluate(() => !!window.connect), 'the library loaded');
      await sleep(NOTHING_MS);
      // The CSP frame-ancestors header stops Firefox from rendering the CCP in the frame…
      const frame = page.frames().find((f) => f.url().startsWith(`${CTI_URL}/ccp`));
      const framedText = frame ? await withDeadline(frame.evaluate(() => document.body?.innerText ?? ''), CALL_MS, 'frame').catch(() => '') : '';
      assert.doesNotMatch(framedText, /agent1|Available|Offline/);
      // …and the page receives no agent data through the API.
      assert.equal(await page.evaluate(() => window.connect.core.getState().data), null);
      const events = await page.evaluate(() => (window as unknown as { __events: string[] }).__events);
      assert.deepEqual(events.filter((e) => e.startsWith('agent::') || e.startsWith('contact::')), []);
      // The CCP tab beside it is undisturbed.
      await expectConsistent([ccp!]);
    } finally {
      server.close();
    }
  });

  test('a CRM on another site: two tabs sign in through one popup and stay in sync', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { tabs, popups } = await crossSiteTabs(ff!, 2);
    const [, second] = tabs as [Page, Page];
    await Promise.all(tabs.map(recordStreams));
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'voice' });
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connecting'), 'both tabs see the call');
    await accept(second, contactId);
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connected'), 'both tabs see it connected');
    assert.equal((await servers.backend.agent('agent1')).contacts.find((c) => c.contactId === contactId)?.state.type, 'connected');
    const [a, b] = await Promise.all(tabs.map(recordedStreams));
    assert.deepEqual(b, a, 'the same events in the same order');
    const logins = popups.filter((t) => t.url().includes('/login'));
    assert.equal(logins.length, 1, 'one popup for both tabs');

    // One engine for both tabs: the frames run the BroadcastChannel fallback over the CRM pages' locks (not the
    // partitioned SharedWorker Firefox would let them start: see the killed-tab test below).
    const frames = await Promise.all(tabs.map((t) => ccpFrame(t)));
    for (const f of frames) assert.equal(await f.evaluate(() => window.connect.core.getTransportKind()), 'broadcast');
    await singleLeader(frames);
    const stats = await servers.backend.stats() as unknown as { pollers: Record<string, Record<string, unknown>> };
    assert.equal(Object.keys(stats.pollers.agent1 ?? {}).length, 1, 'one engine polled the backend');
    // The token went from the popup to the CCP frame (both on the CCP origin), never to the CRM page.
    for (const t of tabs) {
      const messages = await crmMessages(t);
      assert.ok(messages.length > 0, 'the recorder saw the bridge traffic');
      assert.deepEqual(messages.filter((m) => m.includes('accessToken') || m.includes('connect-sync:login')), []);
    }
  });

  test('a CRM on another site: a killed CRM tab frees its master topic and leaves the count', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { tabs } = await crossSiteTabs(ff!, 3);
    const [a, b, c] = tabs as [Page, Page, Page];
    // The middle tab takes the topic (not the first: whatever the first tab's frame hosts is not what is tested).
    assert.equal(await isMaster(b, TOPIC), true);
    assert.equal(await isMaster(a, TOPIC), false);
    const before = await a.evaluate(() => window.connect.core.getNumberOfConnectedCCPs());
    // The CRM page's content process ends at once: no pagehide in the page; its CCP frame (another site, so another
    // process) loses its embedder.
    await killTab(ff!, b);
    const survivors = [a, c];
    await until(async () => (await Promise.all(survivors.map((p) => isMaster(p, TOPIC)))).some(Boolean), 'a survivor takes the topic');
    assert.equal((await Promise.all(survivors.map((p) => isMaster(p, TOPIC)))).filter(Boolean).length, 1, 'exactly one survivor holds it');
    await until(async () => {
      const now = await a.evaluate(() => window.connect.core.getNumberOfConnectedCCPs());
      return now < before ? 'ok' : `still ${now} connected (was ${before})`;
    }, 'the killed tab leaves the count');
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'chat' });
    await expectContactEverywhere(survivors, contactId, (v) => v !== 'gone', 'the survivors see a new chat');
  });
});
