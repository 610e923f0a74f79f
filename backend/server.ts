/**
 * The CTI backend service: `node:http`, no framework. Routes:
 *   POST /api, /connect/api           CTI operations (api.ts)
 *   GET/POST /login, GET /auth/authorize, POST /logout   sessions and tokens, same origin only (auth-routes.ts)
 *   /sim/*                            control API (control.ts): loopback, or CONTROL_API=on with a token
 *   GET /ccp, /inspector, /*.js, /*.map, /assets/*  static files (static-files.ts)
 *   GET /approved-origins, /healthz, / (→ /ccp)
 * Every request whose Host is not one this server is configured for is refused first (421, host-policy.ts); stalled
 * requests, connection floods and held long polls are bounded (limits.ts).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CtiApi, type RequestInfo } from './api';
import { AuthService } from './auth';
import { handleAuthRoute } from './auth-routes';
import { ControlApiMode, resolveConfig, type BackendConfig } from './config';
import { controlEnabled, handleControl, type ControlAccess, type ControlDeps } from './control';
import { misdirected } from './errors';
import { FaultInjector } from './faults';
import { HostPolicy, isLoopbackBind } from './host-policy';
import { redirect, sameSecret, sendError, sendJson } from './http';
import { IdempotencyStore } from './idempotency';
import { createLogger } from './log';
import { LoginLimiter } from './login-limiter';
import { LongPollLimiter } from './long-poll-limiter';
import { ApprovedOrigins } from './origins';
import { Simulation } from './sim/simulation';
import { handleStatic } from './static-files';
import { BackendStats } from './stats';
import { ServiceException } from '../shared/cti';

export interface RunningBackend {
  /** Base URL, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  url: string;
  port: number;
  config: BackendConfig;
  sim: Simulation;
  auth: AuthService;
  stats: BackendStats;
  faults: FaultInjector;
  /**
   * The control token, when the control API is open beyond loopback (`CONTROL_API=on` on another interface or with
   * PUBLIC_ORIGIN): every `/sim/*` call must carry it in `X-Control-Token`. Printed at start-up by backend/main.ts.
   */
  controlToken?: string;
  close(): Promise<void>;
}

function parseUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://backend.invalid');
  } catch {
    return undefined;
  }
}

/** Everything a request may need: what the control API needs, plus the configuration. */
interface Services extends ControlDeps {
  config: BackendConfig;
  limiter: LoginLimiter;
}

/** Who may reach the control API, and its token when one is needed (see ControlAccess). */
function controlAccess(config: BackendConfig): ControlAccess {
  const local = isLoopbackBind(config.host) && config.publicOrigin === undefined;
  // 32 random bytes: not guessable, and long enough that a timing-safe compare is all the check needs.
  const token = !local && config.controlApi === ControlApiMode.ON ? randomBytes(32).toString('base64url') : undefined;
  return { mode: config.controlApi, local, token };
}

function createServices(config: BackendConfig, hosts: HostPolicy): Services {
  const logger = createLogger(config.logLevel);
  const sim = new Simulation({ agentCount: config.agentCount, agentPassword: config.agentPassword,
    ringTimeoutMs: config.ringTimeoutMs, dialDelayMs: config.dialDelayMs });
  const auth = new AuthService(config.tokenTtlSeconds * 1000, sim.clock, config.sessionTtlSeconds * 1000);
  const stats = new BackendStats();
  const faults = new FaultInjector();
  const idempotency = new IdempotencyStore(sim.clock, undefined, config.limits.idempotencyKeysPerAgent);
  const origins = new ApprovedOrigins(config.approvedOrigins, () => hosts);
  const limiter = new LoginLimiter(config.limits, sim.clock);
  const longPolls = new LongPollLimiter(config.limits.maxLongPollsPerToken);
  // "Back to the seed state": contacts and agents, and also sessions, faults and remembered outcomes.
  sim.onReset(() => {
    idempotency.clear();
    faults.clear();
    auth.clear();
    limiter.clear();
  });
  const api = new CtiApi({ sim, auth, stats, faults, idempotency, origins, logger, longPolls });
  const cookie = { secure: config.publicOrigin?.startsWith('https:') ?? false, maxAgeSeconds: config.sessionTtlSeconds };
  return { config, sim, auth, stats, faults, origins, api, logger, hosts, limiter, cookie,
    control: controlAccess(config) };
}

async function route(req: IncomingMessage, res: ServerResponse, s: Services, info: RequestInfo): Promise<void> {
  if (s.hosts.ownOrigin(req) === undefined) {
    return sendError(res, misdirected(`this server does not answer for Host "${String(req.headers.host ?? '').slice(0, 200)}"; `
      + 'set PUBLIC_ORIGIN when it sits behind a proxy'));
  }
  const url = parseUrl(req);
  if (!url) return sendJson(res, 400, { __type: ServiceException.VALIDATION, type: ServiceException.VALIDATION, message: 'bad URL' });
  const pathname = url.pathname;
  if (pathname === '/api' || pathname === '/connect/api') return s.api.handle(req, res, info);
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (pathname === '/healthz' && isRead) return sendJson(res, 200, { ok: true });
  if (pathname === '/approved-origins' && isRead) return sendJson(res, 200, { origins: s.origins.origins, loginOrigins: s.config.loginOrigins });
  if (pathname === '/' && isRead) return redirect(res, '/ccp');
  // Browsers ask for a favicon on every page; answering "no content" keeps their consoles free of 404 noise.
  if (pathname === '/favicon.ico' && isRead) { res.writeHead(204, { 'Cache-Control': 'max-age=86400' }); res.end(); return; }
  const checkCredentials = (username: string, password: string): boolean => {
    const agent = s.sim.agent(username);
    return agent !== undefined && sameSecret(agent.password, password);
  };
  if (await handleAuthRoute(req, res, url, { auth: s.auth, origins: s.origins, hosts: s.hosts, limiter: s.limiter,
    secureCookie: s.cookie.secure, checkCredentials })) return;
  if (await handleControl(req, res, url, s)) return;
  if (isRead && await handleStatic(req, res, pathname, {
    distDir: path.join(s.config.rootDir, 'dist'),
    ccpDir: path.join(s.config.rootDir, 'apps', 'ccp'),
    framePolicy: s.origins.contentSecurityPolicy(),
  })) return;
  sendJson(res, 404, { __type: ServiceException.RESOURCE_NOT_FOUND, type: ServiceException.RESOURCE_NOT_FOUND, message: `no route ${pathname}` });
}

/**
 * Starts the CTI backend. Options override the environment (see {@link BackendConfig}); port 0 picks a free port.
 * @example
 *   const backend = await startBackend({ port: 0, ringTimeoutMs: 500, logLevel: 'silent' });
 *   await fetch(`${backend.url}/healthz`);
 *   await backend.close();
 */
export async function startBackend(opts: Partial<BackendConfig> = {}): Promise<RunningBackend> {
  const config = resolveConfig(opts);
  // Services need the bound port (the Host names served); no request arrives before listen's callback sets them.
  let services: Services | undefined;
  const server = http.createServer({
    headersTimeout: config.limits.headersTimeoutMs,
    requestTimeout: config.limits.requestTimeoutMs,
    connectionsCheckingInterval: config.limits.timeoutCheckIntervalMs,
  }, (req, res) => {
    if (!services) { res.destroy(); return; }
    const s = services;
    const started = performance.now();
    const info: RequestInfo = {};
    res.on('close', () => {
      s.logger.request({
        op: info.op ?? `${req.method} ${(req.url ?? '').split('?')[0]}`,
        ...(info.agent ? { agent: info.agent } : {}),
        status: res.writableFinished ? res.statusCode : 0,
        ms: Math.round(performance.now() - started),
      });
    });
    route(req, res, s, info).catch((err: unknown) => {
      s.logger.error('request failed', { error: String(err) });
      sendJson(res, 500, { __type: ServiceException.INTERNAL_SERVICE, type: ServiceException.INTERNAL_SERVICE, message: 'internal error' });
    });
  });
  // headersTimeout and requestTimeout bound how long a client may take to *send* its request (a stalled upload or
  // header block is cut); a held long poll is a response being held, which they do not count.
  server.maxConnections = config.limits.maxConnections;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  services = createServices(config, new HostPolicy({ bind: config.host, port, publicOrigin: config.publicOrigin }));
  // A wildcard bind is reachable on loopback; a URL with 0.0.0.0 would not work as a page origin.
  const reachable = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const host = reachable.includes(':') ? `[${reachable}]` : reachable;
  const url = `http://${host}:${port}`;
  const s = services;
  const control = controlEnabled(s.control) ? (s.control.local ? 'on (loopback)' : 'on (token)') : 'off';
  s.logger.info('CTI backend listening', { url, controlApi: control, ...(config.publicOrigin ? { publicOrigin: config.publicOrigin } : {}) });
  return {
    url, port, config, sim: s.sim, auth: s.auth, stats: s.stats, faults: s.faults,
    ...(s.control.token ? { controlToken: s.control.token } : {}),
    close: () => new Promise<void>((resolve) => {
      s.sim.dispose();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
