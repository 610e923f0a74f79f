/**
 * The CTI backend service: `node:http`, no framework. Routes:
 *   POST /api, /connect/api           CTI operations (api.ts)
 *   GET/POST /login, /auth/authorize, /logout      sessions and tokens (auth-routes.ts)
 *   /sim/*                            control API (control.ts), unless CONTROL_API=off
 *   GET /ccp, /inspector, /*.js, /*.map, /assets/*  static files (static-files.ts)
 *   GET /approved-origins, /healthz, / (→ /ccp)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CtiApi, type RequestInfo } from './api';
import { AuthService } from './auth';
import { handleAuthRoute } from './auth-routes';
import { resolveConfig, type BackendConfig } from './config';
import { handleControl, type ControlDeps } from './control';
import { FaultInjector } from './faults';
import { redirect, sendJson } from './http';
import { IdempotencyStore } from './idempotency';
import { createLogger } from './log';
import { ApprovedOrigins } from './origins';
import { Simulation } from './sim/simulation';
import { handleStatic } from './static-files';
import { BackendStats } from './stats';

export interface RunningBackend {
  /** Base URL, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  url: string;
  port: number;
  config: BackendConfig;
  sim: Simulation;
  auth: AuthService;
  stats: BackendStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
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
}

function createServices(config: BackendConfig): Services {
  const logger = createLogger(config.logLevel);
  const sim = new Simulation({ agentCount: config.agentCount, agentPassword: config.agentPassword,
    ringTimeoutMs: config.ringTimeoutMs, dialDelayMs: config.dialDelayMs });
  const auth = new AuthService(config.tokenTtlSeconds * 1000, sim.clock);
  const stats = new BackendStats();
  const faults = new FaultInjector();
  const idempotency = new IdempotencyStore(sim.clock);
  const origins = new ApprovedOrigins(config.approvedOrigins);
  // "Back to the seed state": contacts and agents, and also sessions, faults and remembered outcomes.
  sim.onReset(() => {
    idempotency.clear();
    faults.clear();
    auth.clear();
  });
  const api = new CtiApi({ sim, auth, stats, faults, idempotency, origins, logger });
  return { config, sim, auth, stats, faults, origins, api, logger };
}

async function route(req: IncomingMessage, res: ServerResponse, s: Services, info: RequestInfo): Promise<void> {
  const url = parseUrl(req);
  if (!url) return sendJson(res, 400, { __type: 'ValidationException', type: 'ValidationException', message: 'bad URL' });
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
  if (await handleAuthRoute(req, res, url, { auth: s.auth, origins: s.origins, checkCredentials })) return;
  if (s.config.controlApi && await handleControl(req, res, url, s)) return;
  if (isRead && await handleStatic(req, res, pathname, {
    distDir: path.join(s.config.rootDir, 'dist'),
    ccpDir: path.join(s.config.rootDir, 'client', 'ccp'),
    framePolicy: s.origins.contentSecurityPolicy(),
  })) return;
  sendJson(res, 404, { __type: 'ResourceNotFoundException', type: 'ResourceNotFoundException', message: `no route ${pathname}` });
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
  const services = createServices(config);
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const info: RequestInfo = {};
    res.on('close', () => {
      services.logger.request({
        op: info.op ?? `${req.method} ${(req.url ?? '').split('?')[0]}`,
        ...(info.agent ? { agent: info.agent } : {}),
        status: res.writableFinished ? res.statusCode : 0,
        ms: Math.round(performance.now() - started),
      });
    });
    route(req, res, services, info).catch((err: unknown) => {
      services.logger.error('request failed', { error: String(err) });
      sendJson(res, 500, { __type: 'InternalServiceException', type: 'InternalServiceException', message: 'internal error' });
    });
  });
  // Long polls hold requests for up to 30 s; the per-request timer must not cut them.
  server.requestTimeout = 0;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is reachable on loopback; a URL with 0.0.0.0 would not work as a page origin.
  const reachable = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const host = reachable.includes(':') ? `[${reachable}]` : reachable;
  const url = `http://${host}:${port}`;
  services.logger.info('CTI backend listening', { url, controlApi: config.controlApi });
  return {
    url, port, config, sim: services.sim, auth: services.auth, stats: services.stats, faults: services.faults,
    close: () => new Promise<void>((resolve) => {
      services.sim.dispose();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
