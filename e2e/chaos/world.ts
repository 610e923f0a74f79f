/**
 * The tabs of a chaos run: open, close, crash, freeze and thaw them, and read what each one holds. Every change is
 * written to the timeline.
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import type { BackendProcess } from '../fixtures/processes';
import { freezeTab, resumeTab } from '../fixtures/cdp';
import type { Timeline } from './timeline';

export interface Tab {
  id: number;
  page: Page;
  alive: boolean;
  frozen: boolean;
  /** Bus events counted in this tab at the last read. */
  events: number;
  /** Page errors (uncaught exceptions) seen in this tab. */
  errors: string[];
}

export interface TabView {
  version: number;
  stale: boolean;
  stateName: string | null;
  contacts: string[];
  events: number;
  transport: string | null;
  epoch: number | null;
  leader: boolean;
}

/** A tab slower than this to answer a read is treated as not answering (it may be frozen by the OS, or dying). */
const READ_TIMEOUT_MS = 3000;

export class World {
  readonly tabs: Tab[] = [];
  private nextId = 1;

  private constructor(readonly browser: Browser, readonly context: BrowserContext, readonly backend: BackendProcess,
    private readonly timeline: Timeline, private readonly pageUrl = '/ccp') {}

  static async create(browser: Browser, backend: BackendProcess, username: string, fallback: boolean, timeline: Timeline,
    pageUrl = '/ccp'): Promise<World> {
    const context = await browser.newContext();
    // tsx (esbuild, keepNames) wraps named functions in `__name(...)`; functions sent to `page.evaluate` from this
    // script carry that call into the page, so the page gets a no-op of it.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    if (fallback) {
      await context.addInitScript(() => { delete (window as unknown as { SharedWorker?: unknown }).SharedWorker; });
    }
    await context.request.post(`${backend.url}/sim/login`, { data: { username } });
    return new World(browser, context, backend, timeline, pageUrl);
  }

  live(): Tab[] {
    return this.tabs.filter((t) => t.alive);
  }

  /** Alive and not frozen: tabs that can act and be read. */
  active(): Tab[] {
    return this.tabs.filter((t) => t.alive && !t.frozen);
  }

  async open(): Promise<Tab> {
    const page = await this.context.newPage();
    const tab: Tab = { id: this.nextId++, page, alive: true, frozen: false, events: 0, errors: [] };
    page.on('pageerror', (e) => tab.errors.push(String(e)));
    page.on('crash', () => { tab.alive = false; });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && tab.events > 0) this.timeline.add('tab', `tab ${tab.id} navigated to ${f.url()}`, tab.id);
    });
    this.tabs.push(tab);
    await page.goto(new URL(this.pageUrl, this.backend.url).href);
    await page.waitForFunction(() => !!window.connect?.core?.getState?.().data, null, { timeout: 30_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __chaosEvents: number };
      w.__chaosEvents = 0;
      window.connect.core.getEventBus().subscribeAll(() => { w.__chaosEvents++; });
    });
    this.timeline.add('tab', `tab ${tab.id} opened`, tab.id);
    return tab;
  }

  async close(tab: Tab): Promise<void> {
    tab.alive = false;
    this.timeline.add('tab', `tab ${tab.id} closed`, tab.id);
    await tab.page.close({ runBeforeUnload: true }).catch(() => undefined);
  }

  async crash(tab: Tab): Promise<void> {
    tab.alive = false;
    this.timeline.add('tab', `tab ${tab.id} crashed`, tab.id);
    const cdp = await this.context.newCDPSession(tab.page).catch(() => null);
    if (!cdp) return;
    const crashed = tab.page.waitForEvent('crash', { timeout: 10_000 }).catch(() => undefined);
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    await tab.page.close().catch(() => undefined);
  }

  async freeze(tab: Tab): Promise<void> {
    await freezeTab(tab.page);
    tab.frozen = true;
    this.timeline.add('tab', `tab ${tab.id} frozen`, tab.id);
  }

  async thaw(tab: Tab): Promise<void> {
    if (!tab.frozen) return;
    await resumeTab(tab.page);
    tab.frozen = false;
    this.timeline.add('tab', `tab ${tab.id} thawed`, tab.id);
  }

  /** What a tab holds now, or null when it does not answer in time. */
  async read(tab: Tab): Promise<TabView | null> {
    if (!tab.alive || tab.frozen) return null;
    const view = await Promise.race([
      tab.page.evaluate(() => {
        const s = window.connect.core.getState();
        const core = window.connect.core as unknown as { getTransportInfo?: () => { transport: string; epoch?: number; leader?: boolean } };
        const info = core.getTransportInfo?.() ?? null;
        return {
          version: s.version, stale: !!s.stale,
          stateName: s.data?.snapshot.state.name ?? null,
          contacts: (s.data?.snapshot.contacts ?? []).map((c) => `${c.contactId}:${c.state.type}`),
          events: (window as unknown as { __chaosEvents?: number }).__chaosEvents ?? -1,
          transport: info?.transport ?? window.connect.core.getTransportKind(),
          epoch: info?.epoch ?? null,
          leader: !!info?.leader,
        };
      }),
      new Promise<null>((r) => setTimeout(() => r(null), READ_TIMEOUT_MS)),
    ]).catch(() => null);
    if (view && view.events >= 0) tab.events = view.events;
    return view;
  }
}
