/**
 * Benchmark harness: a backend in a child process (so the driver's own work does not slow it), one headless
 * Chromium, and bench tabs — minimal pages on the CCP origin that load the library and record when events arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';

export const ROOT = join(__dirname, '..');
export const BENCH_WORKER_NAME = 'connect-sync-v1:bench';

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_BIN ?? ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
}

export interface Backend {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  control<T = unknown>(method: string, path: string, body?: unknown, cookie?: string): Promise<T>;
}

export async function startBackend(port: number, env: Record<string, string> = {}): Promise<Backend> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'backend/main.ts')], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CTI_PORT: String(port), LOG_LEVEL: 'silent', RING_TIMEOUT_MS: '600000', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (i > 200) throw new Error('backend did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, proc,
    stop: () => new Promise((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); }),
    async control<T>(method: string, path: string, body?: unknown, cookie?: string): Promise<T> {
      const res = await fetch(url + path, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

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
