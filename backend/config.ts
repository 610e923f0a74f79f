/**
 * The CTI backend's configuration: defaults, environment variables, and the checks that make a bad value fail at
 * start-up with a message naming the variable (instead of a simulator that half works).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { DEFAULT_LIMITS, type BackendLimits } from './limits';

export type LogLevelSetting = 'silent' | 'info' | 'debug';

/**
 * `auto`: `/sim/*` answers on a loopback bind (no token) and is off otherwise. `on`: also on other interfaces, where
 * every call needs the start-up control token. `off`: never.
 */
export enum ControlApiMode {
  AUTO = 'auto',
  ON = 'on',
  OFF = 'off',
}

export interface BackendConfig {
  /** TCP port; 0 picks a free one (tests). Env `CTI_PORT`. */
  port: number;
  /** Interface to bind. Env `CTI_HOST`. */
  host: string;
  /** Origins allowed to frame the CCP and to call the API cross-origin. Env `APPROVED_ORIGINS` (comma-separated). */
  approvedOrigins: string[];
  /** Origins besides the CCP's own that a `loginUrl` may open (an SSO page); served to the CCP with the approved
   * origins. Env `LOGIN_ORIGINS` (comma-separated). Default none. */
  loginOrigins: string[];
  /** When `/sim/*` answers (see {@link ControlApiMode}). Env `CONTROL_API` (`auto`, `on`, `off`). */
  controlApi: ControlApiMode;
  /**
   * The origin browsers use when the backend sits behind a proxy or TLS terminator, e.g. `https://ccp.example.com`.
   * Its host is served besides the bind address, its scheme is the scheme of the server's own origin, and an
   * `https` one makes the session cookie `Secure`. Env `PUBLIC_ORIGIN`.
   */
  publicOrigin?: string;
  /** Lifetime of a login session (the cookie), in seconds; no token outlives it. Env `SESSION_TTL_SECONDS`. */
  sessionTtlSeconds: number;
  /** Resource limits (see backend/limits.ts); options only, for tests. */
  limits: BackendLimits;
  /** Lifetime of an access token, in seconds (fractions allowed, for tests). Env `TOKEN_TTL_SECONDS`. */
  tokenTtlSeconds: number;
  /** How long an inbound contact rings before it is missed. Env `RING_TIMEOUT_MS`. */
  ringTimeoutMs: number;
  /** How long an outbound leg (outbound call, callback, third party) stays `connecting`. Env `DIAL_DELAY_MS`. */
  dialDelayMs: number;
  /** Password of every seeded agent. Env `AGENT_PASSWORD`. */
  agentPassword: string;
  /** Number of seeded agents (`agent1`…`agentN`); benchmarks raise it. Env `SIM_AGENTS`. */
  agentCount: number;
  /** `info`: one JSON line per request; `silent`: nothing. Env `LOG_LEVEL`. */
  logLevel: LogLevelSetting;
  /** Repository root: static files come from `<rootDir>/dist` and `<rootDir>/client/ccp`. */
  rootDir: string;
}

/** Real contact centers ring an agent for about 20 s before they give up and mark the contact missed. */
export const DEFAULT_RING_TIMEOUT_MS = 20_000;
/** Long enough to see `connecting` in a UI or a test, short enough that a demo call feels immediate. */
export const DEFAULT_DIAL_DELAY_MS = 300;
/** One hour, like the hosted service's access tokens; the worker refreshes 30 min before expiry. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** A working shift: the cookie session outlives many access tokens but not the day. */
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 60 * 60;
/** The demo CRM's two spellings: same-site (127.0.0.1) and cross-site (localhost) embedding. */
export const DEFAULT_APPROVED_ORIGINS = ['http://127.0.0.1:8081', 'http://localhost:8081'];

/** The package root (where `dist/` and `apps/ccp/` are): the nearest folder above this file's with a
 * package.json — `backend/..` in the repository, `dist/node/backend/../../..` in an installed package. */
function packageRoot(): string {
  const start = path.resolve(__dirname, '..');
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export function defaultConfig(): BackendConfig {
  return {
    port: 8080,
    host: '127.0.0.1',
    approvedOrigins: [...DEFAULT_APPROVED_ORIGINS],
    loginOrigins: [],
    controlApi: ControlApiMode.AUTO,
    sessionTtlSeconds: DEFAULT_SESSION_TTL_SECONDS,
    limits: { ...DEFAULT_LIMITS },
    tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
    ringTimeoutMs: DEFAULT_RING_TIMEOUT_MS,
    dialDelayMs: DEFAULT_DIAL_DELAY_MS,
    agentPassword: 'connect',
    agentCount: 5,
    logLevel: 'info',
    rootDir: packageRoot(),
  };
}

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, min: number, integer: boolean): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
  }
  return value;
}

function originsFrom(raw: string, name = 'APPROVED_ORIGINS'): string[] {
  const origins = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`${name}: "${origin}" is not a URL`);
    }
    if (parsed.origin !== origin) throw new Error(`${name}: "${origin}" must be a bare origin like ${parsed.origin}`);
  }
  return origins;
}

function controlApiFrom(raw: string): ControlApiMode {
  const mode = raw.trim().toLowerCase();
  if (mode === '') return ControlApiMode.AUTO;
  for (const m of Object.values(ControlApiMode)) if (m === mode) return m;
  throw new Error(`CONTROL_API must be auto, on or off, got "${raw}"`);
}

function publicOriginFrom(raw: string, name = 'PUBLIC_ORIGIN'): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name}: "${raw}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${name} must be http or https`);
  if (parsed.origin !== raw) throw new Error(`${name}: "${raw}" must be a bare origin like ${parsed.origin}`);
  return raw;
}

function logLevelFrom(raw: string | undefined): LogLevelSetting | undefined {
  if (raw === undefined || raw === '') return undefined;
  const level = raw.toLowerCase();
  if (level === 'silent' || level === 'info' || level === 'debug') return level;
  throw new Error(`LOG_LEVEL must be silent, info or debug, got "${raw}"`);
}

/** Reads the variables documented on {@link BackendConfig}; absent ones keep their defaults. */
export function configFromEnv(env: Env = process.env): Partial<BackendConfig> {
  const out: Partial<BackendConfig> = {};
  const set = <K extends keyof BackendConfig>(key: K, value: BackendConfig[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set('port', numberFrom(env, 'CTI_PORT', 0, true));
  set('host', env.CTI_HOST || undefined);
  if (env.APPROVED_ORIGINS !== undefined) set('approvedOrigins', originsFrom(env.APPROVED_ORIGINS));
  if (env.LOGIN_ORIGINS !== undefined) set('loginOrigins', originsFrom(env.LOGIN_ORIGINS, 'LOGIN_ORIGINS'));
  if (env.CONTROL_API !== undefined) set('controlApi', controlApiFrom(env.CONTROL_API));
  if (env.PUBLIC_ORIGIN) set('publicOrigin', publicOriginFrom(env.PUBLIC_ORIGIN.trim()));
  set('sessionTtlSeconds', numberFrom(env, 'SESSION_TTL_SECONDS', 0.001, false));
  set('tokenTtlSeconds', numberFrom(env, 'TOKEN_TTL_SECONDS', 0.001, false));
  set('ringTimeoutMs', numberFrom(env, 'RING_TIMEOUT_MS', 1, true));
  set('dialDelayMs', numberFrom(env, 'DIAL_DELAY_MS', 0, true));
  set('agentPassword', env.AGENT_PASSWORD || undefined);
  set('agentCount', numberFrom(env, 'SIM_AGENTS', 1, true));
  set('logLevel', logLevelFrom(env.LOG_LEVEL));
  return out;
}

/** Defaults, then the environment, then explicit options (tests pass these). */
export function resolveConfig(opts: Partial<BackendConfig> = {}, env: Env = process.env): BackendConfig {
  const defaults = defaultConfig();
  const config = { ...defaults, ...configFromEnv(env), ...stripUndefined(opts),
    limits: { ...defaults.limits, ...(opts.limits ?? {}) } };
  if (config.publicOrigin !== undefined) publicOriginFrom(config.publicOrigin, 'publicOrigin');
  if (!(config.sessionTtlSeconds > 0)) throw new Error('sessionTtlSeconds must be > 0');
  if (config.port < 0 || config.port > 65535 || !Number.isInteger(config.port)) throw new Error('port must be 0..65535');
  if (!(config.tokenTtlSeconds > 0)) throw new Error('tokenTtlSeconds must be > 0');
  if (!(config.ringTimeoutMs > 0)) throw new Error('ringTimeoutMs must be > 0');
  if (!(config.agentCount >= 1)) throw new Error('agentCount must be >= 1');
  return config;
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
