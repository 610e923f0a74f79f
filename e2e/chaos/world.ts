/**
 * The tabs of a chaos run: open, close, crash, freeze and thaw them, and read what each one holds. Every change is
 * written to the timeline.
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineInfo } from '../../shared/protocol';
import { ROOT, type BackendProcess } from '../fixtures/processes';
import { freezeTab, resumeTab } from '../fixtures/cdp';
import { startStreamRecording } from './streams';
import type { Timeline } from './timeline';

/**
 * A genuine tab's view, through the genuine Streams API only: the agent's state and its contacts with their
 * statuses. Runs in the page.
 */
function readGenuine(): TabView {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const c = (window as any).connect;
  const agent = new c.Agent();
  return {
    version: null, stale: false,
    stateName: agent.getState().name,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    contacts: agent.getContacts().map((x: any) => `${x.getContactId()}:${x.getStatus().type}`),
    events: (window as unknown as { __chaosEvents?: number }).__chaosEvents ?? -1,
    transport: 'genuine-streams', epoch: null, leader: false,
  };
}

/** `ccp`: our CCP page (our `connect`). `genuine`: a CRM page on the genuine amazon-connect-streams release embedding
 * our CCP in a frame (the genuine library's `connect`, observed only through its public API). */
export type TabKind = 'ccp' | 'genuine';

export interface Tab {
  id: number;
  kind: TabKind;
  page: Page;
  alive: boolean;
  frozen: boolean;
  /** Bus events counted in this tab at the last read. */
  events: number;
  /** Page errors (uncaught exceptions) seen in this tab. */
  errors: string[];
}

export interface TabView {
  /** Null in a genuine tab: the genuine API has no snapshot version. */
  version: number | null;
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
/** A genuine tab's first agent data: the library's frame load (its own timeout is 5 s) plus the CCP's engine
 * start; on 2 shared cores under chaos, up to tens of seconds. */
const GENUINE_READY_MS = 30_000;
/**
 * The version the genuine release bundle declares (`connect.version`), read from the installed devDependency's file:
 * amazon-connect-streams@2.28.2's release still says "2.28.1", so the package version cannot be compared.
 */
function genuineVersion(): string {
  const file = join(ROOT, 'node_modules', 'amazon-connect-streams', 'release', 'connect-streams.js');
  const m = /connect\.version = "([^"]+)"/.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file}: no connect.version in the genuine release (is amazon-connect-streams installed?)`);
  return m[1]!;
}

export class World {
  readonly tabs: Tab[] = [];
  private nextId = 1;

  private constructor(readonly browser: Browser, readonly context: BrowserContext, readonly backend: BackendProcess,
    private readonly timeline: Timeline, private readonly crmUrl: string | null,
    private readonly pageUrl = '/ccp') {}

  /** `crmUrl`: the CRM server that serves `genuine.html` (null when the run has no genuine tabs); `pageUrl`: the page
   * the other tabs open, a path on the simulator or an absolute URL (the consumer's own pages). */
  static async create(browser: Browser, backend: BackendProcess, username: string, fallback: boolean, timeline: Timeline,
    crmUrl: string | null = null, pageUrl = '/ccp'): Promise<World> {
    const context = await browser.newContext();
    // tsx (esbuild, keepNames) wraps named functions in `__name(...)`; functions sent to `page.evaluate` from this
    // script carry that call into the page, so the page gets a no-op of it.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    if (fallback) {
      await context.addInitScript(() => { delete (window as unknown as { SharedWorker?: unknown }).SharedWorker; });
    }
    await context.request.post(`${backend.url}/sim/login`, { data: { username } });
    return new World(browser, context, backend, timeline, crmUrl, pageUrl);
  }

  live(): Tab[] {
    return this.tabs.filter((t) => t.alive);
  }

  /** Alive and not frozen: tabs that can act and be read. */
  active(): Tab[] {
    return this.tabs.filter((t) => t.alive && !t.frozen);
  }

  async open(kind: TabKind = 'ccp'): Promise<Tab> {
    if (kind === 'genuine' && !this.crmUrl) throw new Error('a genuine tab needs the CRM server (World.create crmUrl)');
    const page = await this.context.newPage();
    const tab: Tab = { id: this.nextId++, kind, page, alive: true, frozen: false, events: 0, errors: [] };
    page.on('pageerror', (e) => tab.errors.push(String(e)));
    page.on('crash', () => { tab.alive = false; });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && tab.events > 0) this.timeline.add('tab', `tab ${tab.id} navigated to ${f.url()}`, tab.id);
    });
    this.tabs.push(tab);
    if (kind === 'genuine') {
      await page.goto(`${this.crmUrl}/genuine.html?loginPopup=0`);
      await page.waitForFunction(() => {
        try {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          return !!new (window as any).connect.Agent().getState().name;
        } catch {
          return false;
        }
      }, null, { timeout: GENUINE_READY_MS });
      // The page must run the genuine release, not our library: a genuine tab that is not genuine proves nothing.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const got = await page.evaluate(() => ({ version: String((window as any).connect.version),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        ours: typeof (window as any).connect.core.getTransportKind === 'function' }));
      const expected = genuineVersion();
      if (got.version !== expected || got.ours) {
        throw new Error(`tab ${tab.id}: genuine.html runs connect ${got.version}${got.ours ? ' (connect-sync)' : ''}, not the genuine release (${expected})`);
      }
    } else {
      await page.goto(new URL(this.pageUrl, this.backend.url).href);
      await page.waitForFunction(() => !!window.connect?.core?.getState?.().data, null, { timeout: 30_000 });
    }
    await page.evaluate(() => {
      const w = window as unknown as { __chaosEvents: number };
      w.__chaosEvents = 0;
      window.connect.core.getEventBus().subscribeAll(() => { w.__chaosEvents++; });
    });
    await startStreamRecording(page);
    this.timeline.add('tab', `tab ${tab.id}${kind === 'genuine' ? ' (genuine)' : ''} opened`, tab.id);
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

  /** The engine's own picture, through the first CCP tab that answers in time (for a failure report), else null. */
  async engineInfo(): Promise<EngineInfo | null> {
    for (const tab of this.active().filter((t) => t.kind === 'ccp')) {
      const info = await Promise.race([
        tab.page.evaluate(() => window.connect.core.inspect()),
        new Promise<null>((r) => setTimeout(() => r(null), READ_TIMEOUT_MS)),
      ]).catch(() => null);
      if (info) return info;
    }
    return null;
  }

  /** What a tab holds now, or null when it does not answer in time. */
  async read(tab: Tab): Promise<TabView | null> {
    if (!tab.alive || tab.frozen) return null;
    const view = await Promise.race([
      tab.kind === 'genuine' ? tab.page.evaluate(readGenuine) : tab.page.evaluate(() => {
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
