/**
 * CPU time per change, summed over the engine and every tab (see cpu-per-change.ts for what is read where): K changes
 * made through the backend's control API, spaced so that each is its own long-poll answer, with nothing else touching
 * the tabs in the window (no CDP evaluation: reading the tabs would cost CPU in them); the samples are taken just
 * before and after. Next to it, in the same run and on the same tabs, the floor: K raw posts of the whole state (JSON,
 * parsed by each tab) from the same worker (SharedWorker paths) or from the leader tab over BroadcastChannel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright';
import { cpuPerChange, schedstatNs, targetMetrics, type CpuPerChange, type CpuSample } from './cpu-per-change';
import { progress, type Backend } from './harness';
import type { Path } from './latency';
import { agentStats, loadRow, type LoadRow } from './load';

export interface CpuCell {
  path: Path;
  tabs: number;
  contacts: number;
  /** State versions the window delivered (the divisor). */
  changes: number;
  engine: CpuPerChange;
  /** The raw floor (null for the baseline, which is compared with ours', and for a fallback of one tab). */
  floor: CpuPerChange | null;
  /** The agent's CTI requests over the window's changes (when asked for: `loadOf`). */
  load?: LoadRow;
}

/** 150 ms between changes: above the original design's 100 ms re-poll pause, so that its changes do not coalesce into
 * one answer where ours would not (each change is its own fan-out on every path). */
export const CPU_GAP_MS = 150;
/** After the last change, before the second sample: the fan-out of the last change is over well within this. */
const SETTLE_MS = 300;

type W = Record<string, unknown>;

/** Threads of every Chromium process of `browser`, by `pid/tid`, and the SharedWorker threads' sum. */
function chromiumThreads(pids: number[]): { all: Map<string, number>; workerNs: number } {
  const all = new Map<string, number>();
  let workerNs = 0;
  for (const pid of pids) {
    let tids: string[];
    try { tids = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const ns = schedstatNs(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
        all.set(`${pid}/${tid}`, ns);
        // Chromium names the thread a SharedWorker runs on "SharedWorker thread" (comm keeps 15 characters).
        if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('SharedWorker')) workerNs += ns;
      } catch { /* the thread ended */ }
    }
  }
  return { all, workerNs };
}

/** Page sessions with `Performance` on, plus the browser session that lists Chromium's processes. */
export class CpuSampler {
  private constructor(private readonly browserCdp: CDPSession, private readonly pages: Map<string, CDPSession>, private readonly worker: boolean) {}

  static async open(browser: Browser, tabs: Page[], worker: boolean): Promise<CpuSampler> {
    const browserCdp = await browser.newBrowserCDPSession();
    const pages = new Map<string, CDPSession>();
    await Promise.all(tabs.map(async (t, i) => {
      const s = await t.context().newCDPSession(t);
      await s.send('Performance.enable');
      pages.set(`tab${i}`, s);
    }));
    return new CpuSampler(browserCdp, pages, worker);
  }

  async sample(): Promise<CpuSample> {
    const entries = await Promise.all([...this.pages].map(async ([k, s]) => [k, targetMetrics(await s.send('Performance.getMetrics'))] as const));
    const { processInfo } = await this.browserCdp.send('SystemInfo.getProcessInfo') as { processInfo: { id: number }[] };
    const threads = chromiumThreads(processInfo.map((p) => p.id));
    return { tabs: new Map(entries), workerNs: this.worker ? threads.workerNs : null, chromiumNs: threads.all };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pages.values(), this.browserCdp].map((s) => s.detach().catch(() => undefined)));
  }
}

const version = (p: Page): Promise<number> => p.evaluate(() => window.connect.core.getState().version);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CpuOptions {
  path: Path;
  changes: number;
  label: string;
  /** The fallback's leader (hosts the engine, sends the floor). */
  leader?: Page;
  /** Measure the raw floor too. */
  floor: boolean;
  /** Count this agent's CTI requests over the window's changes (the backend load rows). */
  loadOf?: string;
}

export async function measureCpu(browser: Browser, backend: Backend, tabs: Page[], contactIds: string[], o: CpuOptions): Promise<CpuCell> {
  const sampler = await CpuSampler.open(browser, tabs, o.path !== 'broadcast');
  const engineTab = o.leader ? `tab${tabs.indexOf(o.leader)}` : undefined;
  try {
    progress(`${o.label}: CPU over ${o.changes} changes`);
    const v0 = await version(tabs[0]!);
    await sleep(SETTLE_MS);
    const before = await sampler.sample();
    // The backend's counters are read over HTTP (another process): nothing in the tabs or the engine runs for it.
    const statsBefore = o.loadOf !== undefined ? await agentStats(backend, o.loadOf) : null;
    const started = Date.now();
    for (let i = 0; i < o.changes; i++) {
      const t = Date.now();
      await backend.control('POST', `/sim/contacts/${contactIds[0]}/message`, { text: `cpu ${i}` });
      await sleep(Math.max(0, t + CPU_GAP_MS - Date.now()));
    }
    await sleep(SETTLE_MS);
    const after = await sampler.sample();
    const load = statsBefore && o.loadOf !== undefined
      ? loadRow(o.path, tabs.length, o.changes, statsBefore, await agentStats(backend, o.loadOf), Date.now() - started)
      : undefined;
    const delivered = await version(tabs[0]!) - v0;
    const engine = cpuPerChange(before, after, delivered, engineTab);
    let floor: CpuPerChange | null = null;
    const receivers = o.leader ? tabs.length - 1 : tabs.length;
    if (o.floor && receivers > 0) {
      progress(`${o.label}: CPU of the raw floor`);
      const json = await tabs[0]!.evaluate(() => JSON.stringify({ type: 'state', ...window.connect.core.getState() }));
      await sleep(SETTLE_MS);
      const fb = await sampler.sample();
      // One call starts all K posts, spaced as the changes were, from inside the sender (the worker's probe, or the
      // leader page); nothing else is evaluated in the window.
      if (o.leader) {
        // (No named functions inside: the evaluated source would refer to tsx's `__name` helper, absent in the page.)
        await o.leader.evaluate(([j, k, gap]) => new Promise<void>((resolve) => {
          for (let i = 0; i < k; i++) setTimeout(() => ((window as unknown as W).__bcFanout as (j: string) => number)(j), i * gap);
          setTimeout(resolve, (k - 1) * gap);
        }), [json, o.changes, CPU_GAP_MS] as const);
      } else {
        await tabs[0]!.evaluate(([j, k, gap]) => ((window as unknown as W).__bench as MessagePort)
          .postMessage({ cmd: 'fanout', json: j, mode: 'json', count: k, gapMs: gap }), [json, o.changes, CPU_GAP_MS] as const);
        await sleep(o.changes * CPU_GAP_MS);
      }
      await sleep(SETTLE_MS);
      const fa = await sampler.sample();
      floor = cpuPerChange(fb, fa, o.changes, engineTab);
    }
    return { path: o.path, tabs: tabs.length, contacts: contactIds.length, changes: delivered, engine, floor, ...(load ? { load } : {}) };
  } finally {
    await sampler.close();
  }
}
