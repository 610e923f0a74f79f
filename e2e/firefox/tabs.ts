/**
 * Tabs of the Firefox suite: sign in, open CCP tabs (each with the pid of its content process), and read or drive a
 * tab through the public `connect` API — the puppeteer counterparts of e2e/fixtures/index.ts; and find the content
 * process of a tab, to kill it.
 *
 * @example
 * const tabs = await openCcpTabs(ff, 3);
 * await setState(tabs[0]!, 'Available');
 * await expectConsistent(tabs, { stateName: 'Available' });
 */
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import type { TabSnapshot } from '../fixtures';
import { CALL_MS, CONVERGE_MS, CTI_URL, until, withDeadline, type Firefox } from './harness';

export type Context = Page | Frame;

/** Signs in as `username` through the login form, first party, in `page`; the page ends on the CCP. */
export async function signIn(page: Page, username = 'agent1'): Promise<void> {
  await page.goto(`${CTI_URL}/login?redirect=/ccp`);
  await page.type('#username', username);
  await page.type('#password', 'connect');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** Opens a tab on `url`; `before` runs first (to add init scripts). */
export async function openTab(ff: Firefox, url: string, before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await ff.newPage();
  if (before) await before(page);
  await page.goto(url);
  return page;
}

/** Signs in in the first tab, then opens `n - 1` more CCP tabs; waits until each has agent data. */
export async function openCcpTabs(ff: Firefox, n: number, before?: (page: Page) => Promise<void>): Promise<Page[]> {
  const first = await ff.newPage();
  if (before) await before(first);
  await signIn(first);
  const tabs = [first];
  for (let i = 1; i < n; i++) tabs.push(await openTab(ff, `${CTI_URL}/ccp`, before));
  await Promise.all(tabs.map((t) => waitForAgent(t)));
  return tabs;
}

/** How much a tab grows its process's resident memory to be found (far above the noise of the other tabs). */
const BALLAST_MB = 160;

/**
 * The content process that hosts `page`. Nothing in a page tells its pid, and the process a new tab starts in is not
 * always the one its first page ends up in; so the page allocates and touches `BALLAST_MB` MB, and the tab process
 * whose resident memory grew by most of that is the one.
 */
export async function contentProcessOf(ff: Firefox, page: Page): Promise<number> {
  const before = ff.tabProcessMemory();
  await withDeadline(page.evaluate((mb) => {
    (globalThis as unknown as { __ballast: Uint8Array }).__ballast = new Uint8Array(mb * 1024 * 1024).fill(1);
  }, BALLAST_MB), CALL_MS, 'ballast');
  const after = ff.tabProcessMemory();
  const grown = [...after].filter(([pid, mb]) => mb - (before.get(pid) ?? mb) > BALLAST_MB * 0.75).map(([pid]) => pid);
  await withDeadline(page.evaluate(() => { (globalThis as unknown as { __ballast: null }).__ballast = null; }), CALL_MS, 'ballast');
  if (grown.length !== 1) throw new Error(`expected one content process to grow by ${BALLAST_MB} MB, found ${grown.length}`);
  return grown[0]!;
}

/**
 * Kills the tab's content process (SIGKILL: no pagehide, no unload, nothing sent anywhere) and waits until it is gone
 * and the page no longer answers as itself (no answer, or Firefox's crashed-tab page).
 */
export async function killTab(ff: Firefox, page: Page): Promise<void> {
  const url = await withDeadline(page.evaluate(() => location.href), CALL_MS, 'the tab\'s URL');
  const pid = await contentProcessOf(ff, page);
  process.kill(pid, 'SIGKILL');
  await until(async () => !ff.tabProcesses().has(pid), 'the content process is gone');
  const where = await withDeadline(page.evaluate(() => location.href), CALL_MS, 'the killed tab').catch(() => 'gone');
  if (where === url) throw new Error(`the killed tab still shows ${where}`);
}

/** A tab's state, as `connect.core.getState()` returns it. */
export function tabState(where: Context): Promise<TabSnapshot> {
  return withDeadline(where.evaluate(() => {
    const s = window.connect.core.getState();
    return { version: s.version, stale: !!s.stale, skew: s.skew, data: s.data } as unknown as TabSnapshot;
  }), CALL_MS, 'getState');
}

/** Waits until the page (or frame) has the library and non-stale agent data. */
export function waitForAgent(where: Context, timeoutMs = CONVERGE_MS): Promise<void> {
  return until(() => where.evaluate(() => {
    const s = window.connect?.core?.getState?.();
    return !!s && !!s.data && !s.stale;
  }), 'the tab has agent data', timeoutMs);
}

/**
 * Waits until every tab holds the same version and data, and matches `expected` (agent state, number of contacts).
 * Returns the agreed state.
 */
export async function expectConsistent(where: Context[], expected: { stateName?: string; contacts?: number } = {}): Promise<TabSnapshot> {
  let agreed: TabSnapshot | undefined;
  await until(async () => {
    const all = await Promise.all(where.map(tabState));
    const [first] = all;
    if (!first?.data) return 'no data';
    for (const s of all) {
      if (s.version !== first.version) return `versions differ: ${all.map((x) => x.version).join(',')}`;
      if (JSON.stringify(s.data) !== JSON.stringify(first.data)) return 'data differs';
    }
    if (expected.stateName && first.data.snapshot.state.name !== expected.stateName) return `state ${first.data.snapshot.state.name}`;
    if (expected.contacts !== undefined && first.data.snapshot.contacts.length !== expected.contacts) return `contacts ${first.data.snapshot.contacts.length}`;
    agreed = first;
    return 'ok';
  }, `tabs converge on ${JSON.stringify(expected)}`);
  return agreed!;
}

/** Changes the agent's state from `where` through the public API; rejects with the typed error's type. */
export async function setState(where: Context, name: string): Promise<void> {
  const outcome = await withDeadline(where.evaluate((stateName) => new Promise<string>((resolve) => {
    const agent = new window.connect.Agent();
    const target = agent.getAgentStates().find((s) => s.name === stateName);
    if (!target) { resolve(`no state ${stateName}`); return; }
    agent.setState(target, { success: () => resolve('ok'), failure: (e) => resolve(e.type) });
  }), name), CONVERGE_MS, `setState ${name}`);
  if (outcome !== 'ok') throw new Error(`setState ${name}: ${outcome}`);
}

/** Accepts a contact from `where` through the public API. */
export async function accept(where: Context, contactId: string): Promise<void> {
  await withDeadline(where.evaluate((id) => new Promise<void>((resolve, reject) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id);
    if (!c) { reject(new Error(`no contact ${id}`)); return; }
    c.accept({ success: () => resolve(), failure: (e) => reject(new Error(`${e.type}: ${e.message}`)) });
  }), contactId), CONVERGE_MS, `accept ${contactId}`);
}

/** Whether `where` is the master of `topic` (`connect.ifMaster`). */
export function isMaster(where: Context, topic: string): Promise<boolean> {
  return withDeadline(where.evaluate((t) => new Promise<boolean>((resolve) => {
    window.connect.ifMaster(t, () => resolve(true), () => resolve(false));
  }), topic), CALL_MS, `ifMaster ${topic}`);
}

export interface TransportInfo { transport: string; epoch?: number; leader?: boolean }

export function transportInfo(where: Context): Promise<TransportInfo | null> {
  return withDeadline(where.evaluate(() => window.connect.core.getTransportInfo() as TransportInfo | null), CALL_MS, 'getTransportInfo');
}

/** Waits until exactly one of `where` leads, all under one epoch above `after`; returns its index and the epoch. */
export async function singleLeader(where: Context[], after = 0): Promise<{ index: number; epoch: number }> {
  let found: { index: number; epoch: number } | undefined;
  await until(async () => {
    const infos = await Promise.all(where.map(transportInfo));
    const epochs = new Set(infos.map((i) => i?.epoch));
    const leaders = infos.flatMap((i, n) => (i?.leader ? [n] : []));
    if (epochs.size !== 1 || leaders.length !== 1) return `epochs ${[...epochs].join(',')}, leaders ${leaders.length}`;
    const epoch = infos[0]?.epoch ?? 0;
    if (epoch <= after) return `still epoch ${epoch}`;
    found = { index: leaders[0]!, epoch };
    return 'ok';
  }, `one leader under one epoch above ${after}`);
  return found!;
}

/** Starts recording the names of the agent and contact events the tab's bus raises, in order. */
export async function recordStreams(where: Context): Promise<void> {
  await withDeadline(where.evaluate(() => {
    const w = window as unknown as { __streams?: string[] };
    w.__streams = [];
    window.connect.core.getEventBus().subscribeAll((_d: unknown, name: string) => {
      if (/^(agent|contact)::/.test(name)) w.__streams!.push(name);
    });
  }), CALL_MS, 'record events');
}

export function recordedStreams(where: Context): Promise<string[]> {
  return withDeadline(where.evaluate(() => (window as unknown as { __streams?: string[] }).__streams ?? []), CALL_MS, 'recorded events');
}

/** Every tab's view of one contact: its state and its connections' states. */
export function contactView(where: Context, contactId: string): Promise<string> {
  return withDeadline(where.evaluate((id) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id);
    if (!c) return 'gone';
    return `${c.getState().type} ${c.getConnections().map((x) => `${x.getType()}:${x.getStatus().type}`).join(',')}`;
  }, contactId), CALL_MS, 'contact view');
}

/** Waits until every one of `where` shows the contact in a state that `expected` accepts, and they agree. */
export async function expectContactEverywhere(where: Context[], contactId: string, expected: (view: string) => boolean, what: string): Promise<void> {
  await until(async () => {
    const views = await Promise.all(where.map((w) => contactView(w, contactId)));
    return views.every(expected) && new Set(views).size === 1 ? 'ok' : views.join(' | ');
  }, what);
}

/** The button labelled `label` in the contact card (an `article`) that mentions `text`, once it is there. */
export async function cardButton(where: Context, text: string, label: string): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await where.waitForFunction((t, l) => {
    const card = [...document.querySelectorAll('article')].find((a) => a.textContent?.includes(t));
    return [...card?.querySelectorAll('button') ?? []].find((b) => b.textContent?.trim() === l && !b.disabled && b.checkVisibility()) ?? false;
  }, { timeout: CONVERGE_MS }, text, label);
  return handle as unknown as ElementHandle<HTMLButtonElement>;
}

/** The CCP frame (`<ccpOrigin>/ccp`) of a CRM page. */
export async function ccpFrame(page: Page, ccpOrigin = CTI_URL): Promise<Frame> {
  let frame: Frame | undefined;
  await until(async () => {
    frame = page.frames().find((f) => f.url().startsWith(`${ccpOrigin}/ccp`));
    return !!frame;
  }, 'the CRM page has its CCP frame');
  return frame!;
}
