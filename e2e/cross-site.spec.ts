/**
 * A CRM on another *site* (`http://localhost:<port>` embedding the CCP of `http://127.0.0.1:<port>`): the CCP frame
 * is third-party — no cookies, no SharedWorker, Web Locks and IndexedDB denied, BroadcastChannel partitioned under the
 * CRM's site. The frames borrow the CRM pages' Web Locks over the bridge and run the BroadcastChannel fallback: one
 * engine for all CRM tabs. The agent signs in once, through the login popup (a first-party window), which hands the
 * token to the frame that opened it; the token never reaches the CRM page.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, expectConsistent, waitForAgent, type BackendControl } from './fixtures';
import { closeTab } from './fixtures/cdp';
import { CRM_PORT } from '../playwright.config';
import { act, backendContact, expectContactEverywhere, record, recording } from './api-helpers';

const siteUrl = `http://localhost:${CRM_PORT}/`;

interface PollerRecord { first: number; last: number }

/** Per engine, the GetAgentSnapshot calls it started (backend truth). */
async function pollers(backend: BackendControl): Promise<[string, PollerRecord][]> {
  const stats = await backend.stats() as unknown as { pollers: Record<string, Record<string, PollerRecord>> };
  return Object.entries(stats.pollers.agent1 ?? {}).sort((a, b) => a[1].first - b[1].first);
}

/** Every `message` the CRM pages (top-level, localhost) receive, as JSON, in `window.__crmMessages`. */
async function recordCrmMessages(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    if (window.top !== window || location.hostname !== 'localhost') return;
    const w = window as unknown as { __crmMessages: string[] };
    w.__crmMessages = [];
    addEventListener('message', (e) => { w.__crmMessages.push(JSON.stringify(e.data)); });
  });
}

function ccpFrameOf(page: Page, ccpOrigin: string) {
  const frame = page.frames().find((f) => f.url().startsWith(`${ccpOrigin}/ccp`));
  if (!frame) throw new Error('no CCP frame');
  return frame;
}

async function openCrmTabs(context: BrowserContext, n: number): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < n; i++) {
    const p = await context.newPage();
    await p.goto(siteUrl);
    tabs.push(p);
  }
  return tabs;
}

/** The bearer tokens the engine sent to the backend, as the browser saw them. */
function recordBearerTokens(context: BrowserContext): Set<string> {
  const tokens = new Set<string>();
  context.on('request', (r) => {
    const token = r.headers()['x-amz-bearer'];
    if (token) tokens.add(token);
  });
  return tokens;
}

/** Waits until the login popup (and nothing else) has opened beside `tabs`. */
async function waitForPopup(popups: Page[], tabs: Page[]): Promise<Page> {
  const opened = () => popups.filter((p) => !tabs.includes(p));
  await expect.poll(() => opened().length, { message: 'a login popup opens' }).toBe(1);
  return opened()[0]!;
}

/**
 * Opens `n` CRM tabs, the first one alone until its CCP frame has opened the login popup.
 *
 * Why not all at once: under Playwright's instrumentation, a popup that a CCP frame opens while another CRM tab's CCP
 * frame (same site, so the same renderer process) is still loading sometimes leaves that frame's subresources
 * undelivered for good — its `load` never fires although the network log shows every response complete. Measured on
 * this Chromium: about 1 round in 10 with Playwright; 0 in 30 with the popup suppressed; 0 in 40 with a bare CDP
 * client (no auto-attach) opening the same tabs with popups. It is the harness, not the product; the later tabs
 * still join the same auth episode, and the test checks that they open no popup of their own.
 */
async function openCrmTabsAroundPopup(context: BrowserContext, popups: Page[], n: number): Promise<Page[]> {
  const tabs = await openCrmTabs(context, 1);
  await waitForPopup(popups, tabs);
  tabs.push(...await openCrmTabs(context, n - 1));
  return tabs;
}

/** Signs in as agent1 in the one login popup. */
async function signInThroughPopup(popups: Page[], tabs: Page[], ccpOrigin: string): Promise<void> {
  const popup = await waitForPopup(popups, tabs);
  await popup.waitForLoadState();
  expect(new URL(popup.url()).origin).toBe(ccpOrigin);
  await popup.locator('#username').fill('agent1');
  await popup.locator('#password').fill('connect');
  await popup.locator('button[type=submit]').click();
}

/** The CRM tab whose CCP frame leads (exactly one). */
async function leaderTab(tabs: Page[], ccpOrigin: string): Promise<Page> {
  let leaders: Page[] = [];
  await expect.poll(async () => {
    const infos = await Promise.all(tabs.map((t) => ccpFrameOf(t, ccpOrigin).evaluate(() => window.connect.core.getTransportInfo())));
    leaders = tabs.filter((_, i) => infos[i]?.leader === true);
    return leaders.length;
  }, { message: 'exactly one CCP frame leads' }).toBe(1);
  return leaders[0]!;
}

test.describe('a CRM on another site (localhost embedding the CCP of 127.0.0.1)', () => {
  test('two CRM tabs sign in through one popup and stay in sync with each other and with the backend', async ({ context, backend }) => {
    // The frame is third-party here: the session cookie (SameSite=Lax) is not sent to it, so the engine starts
    // without a session and the CCP frame that wins `connect::loginPopup` opens the popup.
    await backend.resetStats(); // pollers are counted per backend run, not per test
    const popups: Page[] = [];
    context.on('page', (p) => { popups.push(p); });
    await recordCrmMessages(context);
    const tokens = recordBearerTokens(context);
    const tabs = await openCrmTabsAroundPopup(context, popups, 2);
    await signInThroughPopup(popups, tabs, backend.baseURL);

    await Promise.all(tabs.map((p) => waitForAgent(p, 20_000)));
    await expectConsistent(tabs);
    await record(tabs);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connecting'), 'both tabs see the call');
    await act(tabs[1]!, contactId, 'contact', 'accept');
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connected'), 'both tabs see it connected');
    expect((await backendContact(backend, contactId))!.state.type).toBe('connected');
    const recs = await Promise.all(tabs.map(recording));
    expect(recs[1]!.streams).toEqual(recs[0]!.streams);
    expect(popups.filter((p) => !tabs.includes(p)), 'one popup for both tabs').toHaveLength(1);

    // One engine for both tabs: the frames run the BroadcastChannel fallback over the CRM pages' locks.
    for (const t of tabs) expect(await ccpFrameOf(t, backend.baseURL).evaluate(() => window.connect.core.getTransportKind())).toBe('broadcast');
    await leaderTab(tabs, backend.baseURL);
    expect(await pollers(backend), 'one engine polled the backend').toHaveLength(1);
    // The token went from the popup to the CCP frame (both on the CCP origin), never to the CRM page.
    expect(tokens.size, 'the engine used the popup\'s token').toBeGreaterThan(0);
    for (const t of tabs) {
      const messages = await t.evaluate(() => (window as unknown as { __crmMessages: string[] }).__crmMessages);
      expect(messages.length, 'the recorder saw the bridge traffic').toBeGreaterThan(0);
      expect(messages.filter((m) => [...tokens].some((token) => m.includes(token)))).toEqual([]);
    }
  });

  test('closing the CRM tab whose frame leads hands the engine to another tab, with the session and without a new popup', async ({ context, backend }) => {
    await backend.resetStats(); // pollers are counted per backend run, not per test
    const popups: Page[] = [];
    context.on('page', (p) => { popups.push(p); });
    const first = await openCrmTabsAroundPopup(context, popups, 2);
    await signInThroughPopup(popups, first, backend.baseURL);
    await Promise.all(first.map((p) => waitForAgent(p, 20_000)));
    // A tab opened after the login only learns the session from the page that leads.
    const [late] = await openCrmTabs(context, 1);
    const tabs = [...first, late!];
    await waitForAgent(late!, 20_000);
    await expectConsistent(tabs);

    let alive = tabs;
    for (let round = 0; round < 2; round++) {
      const leader = await leaderTab(alive, backend.baseURL);
      await closeTab(leader);
      alive = alive.filter((t) => t !== leader);
      await leaderTab(alive, backend.baseURL);
      const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
      await expectContactEverywhere(alive, contactId, (v) => v !== 'gone', `round ${round}: the survivors see the chat`);
      await expectConsistent(alive, { contacts: round + 1 });
    }
    expect(popups.filter((p) => !tabs.includes(p)), 'no second login popup').toHaveLength(1);
    // One engine at a time: each new leader's first poll came after the previous one's last.
    const engines = await pollers(backend);
    expect(engines).toHaveLength(3);
    for (let i = 1; i < engines.length; i++) expect(engines[i]![1].first).toBeGreaterThanOrEqual(engines[i - 1]![1].last);
  });
});
