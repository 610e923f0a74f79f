/**
 * Benchmark harness: a backend in a child process (so the driver's own work does not slow it), one headless
 * Chromium, and bench tabs — minimal pages on the CCP origin that load the library and record when events arrive.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright';
import { launchChromium, startBackendProcess, type BackendProcess } from '../e2e/fixtures/processes';
import { BENCH_DIST, BENCH_WORKER_FILE } from './webpack.config';

import { TARGET_HEADER } from '../shared/cti';
import { SHARED_WORKER_NAME } from '../client/sharedworker/shared-worker';
export { ROOT } from '../e2e/fixtures/processes';
/** Its own worker (URL and name), so a bench tab never meets a product worker. */
export const BENCH_WORKER_NAME = `${SHARED_WORKER_NAME}:bench`;

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export type Backend = BackendProcess;

/** The backend for the benchmark: rings never time out during a run. */
export function startBackend(port: number, env: Record<string, string> = {}): Promise<Backend> {
  return startBackendProcess(port, { RING_TIMEOUT_MS: '600000', ...env });
}

export const launch = launchChromium;

/** Worker names: the benchmark's own worker bundle (instruments on), started under a `…:bench` name, or
 * `…:baseline:bench` (the engine with the original design's strategy, see bench/baseline.ts). */
export const BASELINE_WORKER_NAME = 'connect-sync-v1:baseline:bench';

/** Where bench tabs find the benchmark's worker bundle: a path on the CCP origin (a SharedWorker must be same-origin)
 * that the backend does not serve; each bench context answers it from `bench/dist/`. */
export const BENCH_WORKER_PATH = `/bench/${BENCH_WORKER_FILE}`;

/** An empty page on the CCP origin that each bench context serves. */
export const BLANK_PATH = '/bench-blank';

export interface BenchPageOptions {
  /** `auto`, `sharedworker`, `broadcast`, … (forced with `initSharedWorker({transport})`). */
  transport?: string;
  workerName?: string;
}

/**
 * The bench page: the library on the CCP origin, plus the raw floors — a port to the same worker (SharedWorker
 * path) and a BroadcastChannel every bench tab listens on (fallback path: the leader tab posts) — and recorders of
 * `agent::refresh`, `master_changed` and `transport` events.
 */
function benchPage(url: string, o: BenchPageOptions): string {
  const transport = o.transport ?? 'auto';
  const workerName = o.workerName ?? BENCH_WORKER_NAME;
  const rawWorker = transport === 'broadcast' ? '' : `
  const ch = new MessageChannel();
  const w = new SharedWorker('${url}${BENCH_WORKER_PATH}', { name: '${workerName}' });
  w.port.start();
  // Speak Comlink's wire format directly: hand the worker one end of a raw channel.
  w.port.postMessage({ id: 'bench-attach', type: 'APPLY', path: ['benchAttach'], argumentList: [{ type: 'RAW', value: ch.port2 }] }, [ch.port2]);
  ch.port1.onmessage = (e) => {
    const d = e.data;
    if (d.kind === 'fanout') {
      if (d.mode === 'json') JSON.parse(d.payload);
      window.__floor.push({ seq: d.seq, t0: d.t0, t: performance.timeOrigin + performance.now() });
    } else if (d.kind === 'arrivals') window.__arrivals = d.arrivals;
  };
  window.__bench = ch.port1;`;
  // The fallback's engine runs in this page: note when it has read each long-poll answer's body — the point the
  // SharedWorker's probe notes (bench-probe.ts) — by wrapping fetch before the library loads. Not shipped.
  const answerProbe = transport !== 'broadcast' ? '' : `<script>
  window.__answers = [];
  const pageFetch = window.fetch;
  window.fetch = (input, init) => {
    const target = init && init.headers && init.headers['${TARGET_HEADER}'];
    const p = pageFetch(input, init);
    if (typeof target !== 'string' || !target.endsWith('.GetAgentSnapshot')) return p;
    return p.then((res) => {
      const text = res.text.bind(res);
      res.text = () => text().then((t) => { window.__answers.push(performance.timeOrigin + performance.now()); return t; });
      return res;
    });
  };
</script>`;
  return `<!doctype html><meta charset="utf-8"><title>bench</title>${answerProbe}
<script src="${url}/connect-streams.js"></script>
<script>
  // Start-up (bench/startup.ts): the first connect.agent callback, registered as soon as the library is loaded, and
  // the first state confirmed by the engine; performance.now() counts from the navigation's start.
  window.__libraryAt = performance.now(); window.__agentAt = null; window.__confirmedAt = null;
  connect.agent(() => { if (window.__agentAt === null) window.__agentAt = performance.now(); });
  // No event marks persisted data confirmed unchanged: look every 5 ms (≪ the start's hundreds of ms) until it is,
  // for 15 s at most; later phases find the loop ended.
  const confirmStarted = performance.now();
  const confirmLoop = setInterval(() => {
    const s = connect.core.getState();
    if (window.__confirmedAt === null && s.data && !s.stale) window.__confirmedAt = performance.now();
    if (window.__confirmedAt !== null || performance.now() - confirmStarted > 15000) clearInterval(confirmLoop);
  }, 5);
  window.__refresh = []; window.__floor = []; window.__arrivals = null; window.__master = []; window.__transport = [];
  performance.setResourceTimingBufferSize(100000);
  ${rawWorker}
  // The fallback's floor: a raw BroadcastChannel post of the same payload from the leader tab (which does not hear it).
  const bc = new BroadcastChannel('connect-sync-bench-floor');
  bc.onmessage = (e) => { JSON.parse(e.data.payload); window.__floor.push({ seq: e.data.seq, t0: e.data.t0, t: performance.timeOrigin + performance.now() }); };
  let bcSeq = 0;
  window.__bcFanout = (json) => { const t0 = performance.timeOrigin + performance.now(); bc.postMessage({ seq: ++bcSeq, t0, payload: json }); return t0; };
  connect.core.getEventBus().subscribe('agent::refresh', () => {
    const s = connect.core.getState();
    if (window.__confirmedAt === null && s.data && !s.stale) window.__confirmedAt = performance.now();
    window.__refresh.push({ v: connect.core.getState().version, t: performance.timeOrigin + performance.now() });
  });
  connect.core.getEventBus().subscribe('master_changed', (d) => {
    window.__master.push({ d, t: performance.timeOrigin + performance.now() });
  });
  connect.core.getEventBus().subscribe('transport', (d) => {
    window.__transport.push({ epoch: d && d.epoch, t: performance.timeOrigin + performance.now() });
  });
  connect.core.initSharedWorker({ role: 'page', workerUrl: '${url}${BENCH_WORKER_PATH}', workerName: '${workerName}', transport: '${transport}' });
</script>`;
}

/** A browser context logged in as `username`, whose `/bench` URL serves the bench page. */
export async function benchContext(browser: Browser, backend: Backend, username: string, o: BenchPageOptions | string = {}): Promise<BrowserContext> {
  const options = typeof o === 'string' ? { transport: o } : o;
  const context = await browser.newContext();
  await context.request.post(`${backend.url}/sim/login`, { data: { username } });
  await context.route(`${backend.url}/bench`, (route) => route.fulfill({ contentType: 'text/html', body: benchPage(backend.url, options) }));
  // An empty page on the CCP origin, for reaching its storage without the library (bench/startup.ts).
  await context.route(`${backend.url}${BLANK_PATH}`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await context.route(`${backend.url}${BENCH_WORKER_PATH}`, (route) => route.fulfill({
    contentType: 'application/javascript; charset=utf-8', path: join(BENCH_DIST, BENCH_WORKER_FILE),
  }));
  return context;
}

export async function openBenchTabs(context: BrowserContext, url: string, n: number): Promise<Page[]> {
  const pages: Page[] = [];
  // Open in small batches: 20 renderers starting at once on 2 cores only make each slower.
  for (let i = 0; i < n; i += 5) {
    const batch = await Promise.all(Array.from({ length: Math.min(5, n - i) }, () => context.newPage()));
    await Promise.all(batch.map((p) => p.goto(`${url}/bench`)));
    pages.push(...batch);
  }
  await Promise.all(pages.map((p) => p.waitForFunction(() => {
    const s = window.connect?.core?.getState?.();
    return !!s && !!s.data && !s.stale;
  }, null, { timeout: 30_000 })));
  return pages;
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))));
  return s[i]!;
}

export const median = (xs: number[]): number => quantile(xs, 0.5);

/** Prints a one-line progress update in place. */
export function progress(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${text}`);
  else console.log(text);
}
