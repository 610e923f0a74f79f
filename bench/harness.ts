/**
 * Benchmark harness: a backend in a child process (so the driver's own work does not slow it), one headless
 * Chromium, and bench tabs — minimal pages on the CCP origin that load the library and record when events arrive.
 */
import type { Browser, BrowserContext, Page } from 'playwright';
import { launchChromium, startBackendProcess, type BackendProcess } from '../e2e/fixtures/processes';

export { ROOT } from '../e2e/fixtures/processes';
export const BENCH_WORKER_NAME = 'connect-sync-v1:bench';

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export type Backend = BackendProcess;

/** The backend for the benchmark: rings never time out during a run. */
export function startBackend(port: number, env: Record<string, string> = {}): Promise<Backend> {
  return startBackendProcess(port, { RING_TIMEOUT_MS: '600000', ...env });
}

export const launch = launchChromium;

/** The bench page: the library on the CCP origin, plus a raw port to the same worker for the floor. */
function benchPage(url: string, transport: string): string {
  return `<!doctype html><meta charset="utf-8"><title>bench</title>
<script src="${url}/connect-streams.js"></script>
<script>
  window.__refresh = []; window.__floor = []; window.__arrivals = null; window.__master = [];
  const ch = new MessageChannel();
  const w = new SharedWorker('${url}/connect-shared-worker.js', { name: '${BENCH_WORKER_NAME}' });
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
  window.__bench = ch.port1;
  connect.core.getEventBus().subscribe('agent::refresh', () => {
    window.__refresh.push({ v: connect.core.getState().version, t: performance.timeOrigin + performance.now() });
  });
  connect.core.getEventBus().subscribe('master_changed', (d) => {
    window.__master.push({ d, t: performance.timeOrigin + performance.now() });
  });
  connect.core.initSharedWorker({ role: 'page', workerName: '${BENCH_WORKER_NAME}', transport: '${transport}' });
</script>`;
}

/** A browser context logged in as `username`, whose `/bench` URL serves the bench page. */
export async function benchContext(browser: Browser, backend: Backend, username: string, transport = 'auto'): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.request.post(`${backend.url}/sim/login`, { data: { username } });
  await context.route(`${backend.url}/bench`, (route) => route.fulfill({ contentType: 'text/html', body: benchPage(backend.url, transport) }));
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
