/**
 * A new tab's start: from its navigation's start to its first `connect.agent` callback (the bench page registers it
 * as soon as the library has loaded) and to the first state the engine confirmed, for ours and the original design,
 * in three cases:
 * - cold: a fresh browser context (empty IndexedDB and HTTP cache, no engine);
 * - warm, engine running: another tab of the origin is open (what a user meets opening the CCP again beside it);
 * - warm, no engine: the origin's last tab closed and its SharedWorker ended; IndexedDB keeps what the engine persisted.
 * The original design persisted nothing: for it the engine's record is deleted before each warm navigation, so its
 * tab and its engine find what the original's did (nothing), while the HTTP cache is as warm as ours.
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import { PERSIST_DB_NAME, PERSIST_STATE_KEY, PERSIST_STORE_NAME } from '../shared/protocol';
import { benchContext, BLANK_PATH, median, openBenchTabs, progress, quantile, type Backend } from './harness';
import type { Path } from './latency';

export type StartCase = 'cold' | 'warm-engine' | 'warm-idb';

export interface StartupRow {
  path: Path;
  case: StartCase;
  runs: number;
  /** Navigation start → first `connect.agent` callback, ms. */
  agentMedian: number;
  agentP95: number;
  /** Navigation start → first state the engine confirmed (not restored), ms; NaN where no run saw one. */
  confirmedMedian: number;
  /** Navigation start → the library loaded, ms. */
  libraryMedian: number;
}

interface Stamps { agentAt: number | null; confirmedAt: number | null; libraryAt: number | null }
type W = Record<string, unknown>;

/** The persisted record is written at most every 250 ms (worker/timings.ts `persistThrottleMs`): wait past it. */
const PERSIST_WAIT_MS = 600;
/** A callback later than this is a failure, not a figure. */
const START_TIMEOUT_MS = 15_000;

async function openAndTime(context: BrowserContext, url: string): Promise<{ page: Page; stamps: Stamps }> {
  const page = await context.newPage();
  await page.goto(`${url}/bench`);
  await page.waitForFunction(() => (window as unknown as W).__agentAt !== null, null, { timeout: START_TIMEOUT_MS });
  // The confirmed state follows within a poll's round trip; a run that never sees one records null.
  await page.waitForFunction(() => (window as unknown as W).__confirmedAt !== null, null, { timeout: 5_000 }).catch(() => undefined);
  const stamps = await page.evaluate(() => {
    const w = window as unknown as W;
    return { agentAt: w.__agentAt as number | null, confirmedAt: w.__confirmedAt as number | null, libraryAt: w.__libraryAt as number | null };
  });
  return { page, stamps };
}

/** Deletes the engine's persisted state record, from a blank page of the origin (no library, no engine). */
async function dropPersisted(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`${url}${BLANK_PATH}`);
    await page.evaluate(async ([db, store, key]) => {
      // Open only a database that exists: opening a missing one would create it without its store.
      if (!(await indexedDB.databases()).some((d) => d.name === db)) return;
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(db);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const conn = req.result;
          if (!conn.objectStoreNames.contains(store)) { conn.close(); resolve(); return; }
          const tx = conn.transaction(store, 'readwrite');
          tx.objectStore(store).delete(key);
          tx.oncomplete = () => { conn.close(); resolve(); };
          tx.onerror = () => { conn.close(); reject(tx.error); };
        };
      });
    }, [PERSIST_DB_NAME, PERSIST_STORE_NAME, PERSIST_STATE_KEY] as const);
  } finally {
    await page.close();
  }
}

/** Waits until no SharedWorker of that name runs (the last tab closed). */
async function workerGone(browser: Browser, workerName: string): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const end = Date.now() + 10_000;
    for (;;) {
      const { targetInfos } = await cdp.send('Target.getTargets') as { targetInfos: { type: string; title: string }[] };
      if (!targetInfos.some((t) => t.type === 'shared_worker' && t.title.includes(workerName))) return;
      if (Date.now() > end) throw new Error(`the SharedWorker ${workerName} still runs 10 s after its last tab closed`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

function row(path: Path, c: StartCase, runs: Stamps[]): StartupRow {
  const agent = runs.map((r) => r.agentAt!).filter(Number.isFinite);
  const confirmed = runs.flatMap((r) => (r.confirmedAt === null ? [] : [r.confirmedAt]));
  return {
    path, case: c, runs: runs.length, agentMedian: median(agent), agentP95: quantile(agent, 0.95),
    confirmedMedian: median(confirmed), libraryMedian: median(runs.flatMap((r) => (r.libraryAt === null ? [] : [r.libraryAt]))),
  };
}

/** One path of the start-up comparison: its agent and its bench worker. */
export interface StartPath { path: 'ours' | 'baseline'; username: string; workerName: string }

/**
 * The three cases for each path, `runs` tabs each, the paths taking turns run by run (ours, original, ours, …) so that
 * both meet the same machine: measured one path after the other, a warm-case median moved by tens of ms with the
 * order alone (the same library bundle "loaded" 35 ms later on the path measured first).
 */
export async function measureStartup(browser: Browser, backend: Backend, paths: StartPath[], runs: number): Promise<StartupRow[]> {
  const stamps = new Map<string, Stamps[]>();
  const add = (p: StartPath, c: StartCase, s: Stamps) => {
    const k = `${p.path}/${c}`;
    stamps.set(k, [...stamps.get(k) ?? [], s]);
  };
  const label = (p: StartPath, c: string, i: number) => progress(`start-up (${p.path}, ${c}): ${i + 1}/${runs}`);
  for (let i = 0; i < runs; i++) {
    for (const p of paths) {
      label(p, 'cold', i);
      const context = await benchContext(browser, backend, p.username, { transport: 'shared-worker', workerName: p.workerName });
      try {
        add(p, 'cold', (await openAndTime(context, backend.url)).stamps);
      } finally {
        await context.close();
      }
    }
  }
  const contexts: BrowserContext[] = [];
  try {
    for (const p of paths) contexts.push(await benchContext(browser, backend, p.username, { transport: 'shared-worker', workerName: p.workerName }));
    const anchors: Page[] = [];
    for (const context of contexts) anchors.push(...await openBenchTabs(context, backend.url, 1));
    await new Promise((r) => setTimeout(r, PERSIST_WAIT_MS));
    for (let i = 0; i < runs; i++) {
      for (const [k, p] of paths.entries()) {
        label(p, 'engine running', i);
        if (p.path === 'baseline') await dropPersisted(contexts[k]!, backend.url);
        const { page, stamps: s } = await openAndTime(contexts[k]!, backend.url);
        add(p, 'warm-engine', s);
        await page.close();
      }
    }
    // The anchors go; each measured tab then is its origin's only one, and the next run starts after it closed.
    await new Promise((r) => setTimeout(r, PERSIST_WAIT_MS));
    for (const a of anchors) await a.close();
    for (let i = 0; i < runs; i++) {
      for (const [k, p] of paths.entries()) {
        label(p, 'no engine, IndexedDB kept', i);
        await workerGone(browser, p.workerName);
        if (p.path === 'baseline') await dropPersisted(contexts[k]!, backend.url);
        const { page, stamps: s } = await openAndTime(contexts[k]!, backend.url);
        add(p, 'warm-idb', s);
        await new Promise((r) => setTimeout(r, PERSIST_WAIT_MS));
        await page.close();
      }
    }
  } finally {
    for (const c of contexts) await c.close();
  }
  return paths.flatMap((p) => (['cold', 'warm-engine', 'warm-idb'] as StartCase[]).map((c) => row(p.path, c, stamps.get(`${p.path}/${c}`) ?? [])));
}
