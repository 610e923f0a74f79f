/**
 * The Firefox harness: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi, against the real backend
 * (`scripts/start.ts --no-build`: CTI backend + demo CRM), for node's test runner.
 *
 * Why puppeteer-core and not Playwright: Playwright's own Firefox build cannot be downloaded here, and its
 * `moz-firefox` channel (BiDi) stops on ESR at `emulation.setMediaFeaturesOverride` (unknown command). puppeteer-core
 * needs no browser download and speaks plain BiDi, which firefox-esr implements.
 *
 * Every browser gets a fresh profile directory, every wait has a deadline, and every process is ended on the way out
 * (even when a test fails or the runner is interrupted).
 *
 * @example
 * const servers = await startServers();
 * const ff = await launchFirefox();
 * const tabs = await openCcpTabs(ff, 3);
 * await expectConsistent(tabs);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { BackendControl, type ControlRequests } from '../fixtures/backend';
import { ROOT } from '../fixtures/processes';

/** This suite's ports, apart from the Playwright suite's (18080/18081) so both can run on one machine. */
export const CTI_PORT = Number(process.env.FIREFOX_CTI_PORT ?? 18480);
export const CRM_PORT = Number(process.env.FIREFOX_CRM_PORT ?? 18481);
export const CTI_URL = `http://127.0.0.1:${CTI_PORT}`;
/** The demo CRM on an approved origin of the same site as the CCP (another port). */
export const CRM_URL = `http://127.0.0.1:${CRM_PORT}/`;
/** The same CRM server under another site (`localhost` is not `127.0.0.1`): the CCP frame there is third-party. */
export const CROSS_SITE_CRM_URL = `http://localhost:${CRM_PORT}/`;

export const FIREFOX_BIN = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';

/** Convergence waits: generous, because the machine's 2 cores are shared with other suites; a pass is usually far
 * quicker. A wait ends as soon as its condition holds, so the size of the deadline costs nothing when all is well. */
export const CONVERGE_MS = 30_000;
/** The deadline of one test: a few tabs, a login and several convergences, on a loaded machine. */
export const TEST_TIMEOUT_MS = 180_000;
/** Polling interval of convergence waits: often enough to see a change soon, rarely enough to leave the CPU alone. */
const POLL_MS = 100;
/** One call into a page: it answers at once unless the page is gone, and then it never does. */
export const CALL_MS = 10_000;
/** Starting Firefox with a fresh profile, or the backend (tsx compiles on start), takes seconds on a loaded machine. */
const START_MS = 60_000;
/** A browser or backend asked to stop that has not after this long is hung: it is killed. */
const STOP_MS = 15_000;

const children = new Set<ChildProcess>();
const killChildren = (): void => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); };
// A runner interrupted mid-test still leaves no backend or browser behind.
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { killChildren(); process.exit(1); });
}

/** Rejects with `what` unless `promise` settles within `ms` (a call to a dead tab never settles on its own). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns `'ok'` (or `true`), or throws with `message` and the last answer at the deadline.
 * A probe that throws counts as a "not yet" (a page still loading).
 */
export async function until(probe: () => Promise<string | boolean>, message: string, timeoutMs = CONVERGE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'never answered';
  for (;;) {
    try {
      // Each probe may use what is left of the deadline, and at least a second (so the last one can answer).
      last = await withDeadline(probe(), Math.max(1000, deadline - Date.now()), message);
      if (last === 'ok' || last === true) return;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`${message} (within ${timeoutMs} ms; last: ${String(last)})`);
    await sleep(POLL_MS);
  }
}

export interface Servers {
  backend: BackendControl;
  stop(): Promise<void>;
}

async function ends(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return true;
  return withDeadline(new Promise<boolean>((r) => proc.once('exit', () => r(true))), ms, 'exit').catch(() => false);
}

/** Starts the CTI backend and the demo CRM on this suite's ports, as playwright.config.ts's webServer does. */
export async function startServers(): Promise<Servers> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts'), '--no-build'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, CTI_PORT: String(CTI_PORT), CRM_PORT: String(CRM_PORT), LOG_LEVEL: 'silent',
      APPROVED_ORIGINS: `http://127.0.0.1:${CRM_PORT},http://localhost:${CRM_PORT}`,
      // An offered call keeps ringing while a slow machine gets round to accepting it.
      RING_TIMEOUT_MS: '60000',
    },
  });
  children.add(proc);
  const stop = async (): Promise<void> => {
    proc.kill('SIGTERM');
    if (!await ends(proc, STOP_MS)) proc.kill('SIGKILL');
    children.delete(proc);
  };
  try {
    await until(async () => {
      if (proc.exitCode !== null) throw new Error(`start.ts exited with ${proc.exitCode}`);
      const [cti, crm] = await Promise.all([fetch(`${CTI_URL}/healthz`), fetch(CRM_URL)]);
      return cti.ok && crm.ok;
    }, `the backend on ports ${CTI_PORT}/${CRM_PORT} is up`, START_MS);
  } catch (e) {
    await stop();
    throw e;
  }
  return { backend: new BackendControl(fetchRequests, CTI_URL), stop };
}

/**
 * The control API over node's `fetch`. Not Playwright's request context: that one reuses a kept-alive socket the
 * server has already closed after a quiet spell (tabs opening for more than the server's 5 s keep-alive), and the
 * next POST fails with ECONNRESET; node's fetch drops such sockets before the server's announced timeout.
 */
const fetchRequests: ControlRequests = {
  async fetch(url, { method, data, headers }) {
    const res = await fetch(url, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
    const text = await res.text();
    return { ok: () => res.ok, status: () => res.status, text: async () => text };
  },
};

export interface Firefox {
  browser: Browser;
  /** A new tab, ready for the suite's page functions (see `NAME_SHIM`). */
  newPage(): Promise<Page>;
  /** The pids of the browser's content processes that host web pages (`… tab` on their command line). */
  tabProcesses(): Set<number>;
  /** Resident memory (MB) of each of those processes. */
  tabProcessMemory(): Map<number, number>;
  close(): Promise<void>;
}

/**
 * Launches firefox-esr headless with a fresh profile. Preferences:
 * - no preallocated content process, and room for one process per tab of a site (Fission puts a site's tabs in up to
 *   `dom.ipc.processCount.webIsolated` processes): a new tab of the CCP gets a process of its own, so a test can find
 *   it and kill it alone;
 * - autoplay allowed, as the Chromium suite does (the ringtone would otherwise be blocked without a gesture);
 * - popups allowed from script (the login popup of a third-party CCP frame opens without a click).
 */
export async function launchFirefox(): Promise<Firefox> {
  const profile = mkdtempSync(join(tmpdir(), 'connect-sync-firefox-'));
  const browser = await withDeadline(puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX_BIN, headless: true, userDataDir: profile,
    extraPrefsFirefox: {
      'dom.ipc.processPrelaunch.enabled': false,
      'dom.ipc.processCount.webIsolated': 32,
      'media.autoplay.default': 0,
      'dom.disable_open_during_load': false,
    },
  }), START_MS, 'firefox-esr launch');
  const proc = browser.process();
  if (proc) children.add(proc);
  return {
    browser,
    async newPage() {
      const page = await browser.newPage();
      await page.evaluateOnNewDocument(NAME_SHIM);
      return page;
    },
    tabProcesses: () => tabProcesses(proc?.pid),
    tabProcessMemory: () => new Map([...tabProcesses(proc?.pid)].flatMap((pid) => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return kb ? [[pid, Number(kb) / 1024] as [number, number]] : [];
      } catch {
        return []; // ended meanwhile
      }
    })),
    async close() {
      await withDeadline(browser.close(), STOP_MS, 'firefox close').catch(() => undefined);
      if (proc && !await ends(proc, STOP_MS)) proc.kill('SIGKILL');
      if (proc) children.delete(proc);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * tsx compiles the tests with esbuild's `keepNames`, which wraps named functions (even `{ success: () => … }`) in a
 * `__name(…)` helper; puppeteer sends a page function's source as it is, where that helper does not exist. A no-op
 * `__name`, set before any page script (in every frame of the tab), keeps the page functions readable.
 */
const NAME_SHIM = 'globalThis.__name ??= (f) => f;';

/** Content processes of the browser `pid` (children of its fork server) whose role is `tab`. */
function tabProcesses(pid: number | undefined): Set<number> {
  if (pid === undefined) return new Set();
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // A forked content process shows its arguments as one string: split on both NULs and spaces.
      const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
      return [{ pid: Number(d), ppid, args }];
    } catch {
      return []; // ended meanwhile
    }
  });
  const descendants = new Set<number>([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (descendants.has(p.ppid) && !descendants.has(p.pid)) { descendants.add(p.pid); grew = true; }
  }
  return new Set(all.filter((p) => p.pid !== pid && descendants.has(p.pid) && p.args.includes('-contentproc')
    && p.args[p.args.length - 1] === 'tab').map((p) => p.pid));
}
