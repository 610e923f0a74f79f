/**
 * Helpers for the backend's tests: a backend on a free port, and small clients for the CTI API and the control
 * API over real HTTP. Not a test file itself.
 */
import http from 'node:http';
import { CTI_CONTENT_TYPE, CTI_TARGET_PREFIX } from '../../shared/cti';
import type { BackendConfig } from '../../backend/config';
import { startBackend, type RunningBackend } from '../../backend/server';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CtiCallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** Raw body text instead of JSON of `body`. */
  raw?: string;
  signal?: AbortSignal;
}

export interface Harness {
  backend: RunningBackend;
  url: string;
  /** Control-API login; returns the access token. */
  login(username?: string): Promise<string>;
  /** Seed state, zeroed stats, `username` logged in: the start of a test that counts what it causes. */
  fresh(username?: string): Promise<string>;
  /** A CTI call as `username` (logged in on first use) unless `opts.token` says otherwise. */
  cti<T = any>(op: string, body?: unknown, opts?: CtiCallOptions & { as?: string }): Promise<HttpAnswer<T>>;
  control<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer<T>>;
  /** `GET /sim/agents/:username`. */
  truth(username?: string): Promise<any>;
  /** `POST /sim/contacts`; returns the contact id (throws unless 201). */
  inbound(spec?: Record<string, unknown>): Promise<string>;
  /** Polls the agent's truth until `check` passes (or throws after `timeoutMs`). */
  waitFor(check: (truth: any) => boolean, username?: string, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

/** A CRM page origin the suites approve: same site as the backend under test (127.0.0.1), another port. */
export const CRM_ORIGIN = 'http://127.0.0.1:8081';
/** A CRM page origin of another site (`localhost` is not the same site as `127.0.0.1`). */
export const CROSS_SITE_CRM_ORIGIN = 'http://localhost:8081';

/** Test defaults: quiet, free port, quick dialling, a ring timeout no test step reaches by accident. */
export const TEST_CONFIG: Partial<BackendConfig> = { port: 0, logLevel: 'silent', dialDelayMs: 20, ringTimeoutMs: 5000 };

async function answerOf<T>(res: Response): Promise<HttpAnswer<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: body as T, headers: res.headers };
}

export async function startHarness(opts: Partial<BackendConfig> = {}): Promise<Harness> {
  const backend = await startBackend({ ...TEST_CONFIG, ...opts });
  const tokens = new Map<string, string>();
  const control = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    answerOf<T>(await fetch(backend.url + path, {
      method, headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
  const login = async (username = 'agent1'): Promise<string> => {
    const res = await control<{ token: string }>('POST', '/sim/login', { username });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(username, res.body.token);
    return res.body.token;
  };
  const harness: Harness = {
    backend,
    url: backend.url,
    login,
    fresh: async (username = 'agent1') => {
      await control('POST', '/sim/reset');
      await control('POST', '/sim/stats/reset');
      return login(username);
    },
    control,
    async cti(op, body = {}, opts = {}) {
      const as = opts.as ?? 'agent1';
      const token = opts.token === undefined ? tokens.get(as) ?? await login(as) : opts.token;
      const headers: Record<string, string> = {
        'Content-Type': CTI_CONTENT_TYPE, 'X-Amz-Target': `${CTI_TARGET_PREFIX}.${op}`, ...(opts.headers ?? {}),
      };
      if (token !== null) headers['X-Amz-Bearer'] = token;
      return answerOf(await fetch(`${backend.url}/api`, {
        method: 'POST', headers, body: opts.raw ?? JSON.stringify(body), signal: opts.signal,
      }));
    },
    async truth(username = 'agent1') {
      const res = await control('GET', `/sim/agents/${username}`);
      if (res.status !== 200) throw new Error(`truth ${username}: ${res.status}`);
      return res.body;
    },
    async inbound(spec = {}) {
      const res = await control<{ contactId: string }>('POST', '/sim/contacts', { type: 'voice', username: 'agent1', ...spec });
      if (res.status !== 201) throw new Error(`inbound: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.contactId;
    },
    async waitFor(check, username = 'agent1', timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const truth = await harness.truth(username);
        if (check(truth)) return truth;
        if (Date.now() > deadline) throw new Error(`waitFor timed out; last truth: ${JSON.stringify(truth)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => backend.close(),
  };
  return harness;
}

/** The agent's truth without the fields that move with the clock, for before/after comparisons. */
export function stableTruth(truth: any): unknown {
  const { snapshotTimestamp: _ts, longPolls: _lp, ...rest } = truth;
  return rest;
}

export function contactIn(truth: any, contactId: string): any {
  return truth.contacts.find((c: any) => c.contactId === contactId);
}

export function connectionOfType(contact: any, type: string): any {
  return contact.connections.find((c: any) => c.type === type);
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any;
}

/**
 * One HTTP request with the headers sent exactly as given — `Host` included, which fetch will not let a test
 * choose (the DNS-rebinding tests need it).
 */
export function rawRequest(base: string, path: string, opts: { method?: string; headers?: Record<string, string>;
  body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request({ hostname: hostname.replace(/^\[|\]$/g, ''), port, path, method: opts.method ?? 'GET',
      headers: opts.headers ?? {}, setHost: !(opts.headers && Object.keys(opts.headers).some((k) => k.toLowerCase() === 'host')) },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => {
        let json: any;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
