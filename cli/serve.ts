/**
 * `connect-sync serve`: the CTI simulator with the CCP, the sync inspector and the bundles (one origin), and the demo
 * CRM (another origin). The same code runs `npm start` in the repository (scripts/start.ts) and
 * `npx connect-sync serve` in a project that installed the package (compiled to dist/node: no TypeScript at run time).
 *
 * @example
 * npx connect-sync serve --port 9080 --crm-port 9081 --approved-origins http://localhost:3000
 */
import { configFromEnv, type BackendConfig } from '../backend/config';
import { controlBanner } from '../backend/control';
import { startCrmServer, type RunningCrmServer } from '../backend/crm-server';
import { startBackend } from '../backend/server';

export const SERVE_USAGE = `usage: connect-sync serve [--port N] [--crm-port N] [--approved-origins ORIGIN,…] [--control-api auto|on|off]
  --port              the CTI simulator, CCP (/ccp), inspector (/inspector) and bundles (default: $CTI_PORT or 8080)
  --crm-port          the demo CRM, on another origin (default: $CRM_PORT or 8081)
  --approved-origins  origins that may embed the CCP and call the API (default: $APPROVED_ORIGINS, else the demo
                      CRM's http://127.0.0.1:<crm-port> and http://localhost:<crm-port>)
  --control-api       the /sim/* control API: auto (loopback only; default), on (token), off
Other settings come from the environment (see the README: RING_TIMEOUT_MS, LOG_LEVEL, …).`;

/** A bad flag or a port in use: the message is for the person who typed the command (no stack). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ServeOptions {
  port: number;
  crmPort: number;
  approvedOrigins: string[];
  controlApi: BackendConfig['controlApi'];
}

type Env = Record<string, string | undefined>;

/** The settings from `argv` (flags win over the environment); throws a `UsageError` naming the bad flag. */
export function parseServeOptions(argv: string[], env: Env = process.env): ServeOptions {
  const flags: Record<string, string> = {};
  const known = ['--port', '--crm-port', '--approved-origins', '--control-api'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new UsageError(SERVE_USAGE);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(name)) throw new UsageError(`unknown option ${arg}\n${SERVE_USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value\n${SERVE_USAGE}`);
    flags[name] = value;
  }
  const read = <T>(flag: string, variable: string, raw: string | undefined, pick: (c: Partial<BackendConfig>) => T | undefined): T | undefined => {
    try {
      return pick(configFromEnv({ [variable]: raw }));
    } catch (e) {
      const label = flags[flag] !== undefined ? flag : variable;
      const why = (e as Error).message.replace(new RegExp(`^${variable}:? ?`), '');
      throw new UsageError(why.startsWith('must') ? `${label} ${why}` : `${label}: ${why}`);
    }
  };
  const port = (flag: string, variable: string): number => {
    const raw = flags[flag] ?? env[variable];
    if (raw === undefined || raw.trim() === '') return variable === 'CTI_PORT' ? 8080 : 8081;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UsageError(`${flags[flag] !== undefined ? flag : variable} must be a port number from 0 to 65535, got "${raw}"`);
    }
    return n;
  };
  const ctiPort = port('--port', 'CTI_PORT');
  const crmPort = port('--crm-port', 'CRM_PORT');
  const origins = flags['--approved-origins'] ?? env.APPROVED_ORIGINS;
  const approvedOrigins = origins !== undefined
    ? read('--approved-origins', 'APPROVED_ORIGINS', origins, (c) => c.approvedOrigins) ?? []
    : [`http://127.0.0.1:${crmPort}`, `http://localhost:${crmPort}`];
  const controlApi = read('--control-api', 'CONTROL_API', flags['--control-api'] ?? env.CONTROL_API ?? 'auto', (c) => c.controlApi)!;
  return { port: ctiPort, crmPort, approvedOrigins, controlApi };
}

export interface Served {
  ctiUrl: string;
  crmUrl: string;
  close(): Promise<void>;
}

/** Binds `port`, turning "in use" into a `UsageError` that says which flag picks another. */
async function bind<T>(what: string, flag: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${port} is in use (${what}): stop what holds it, or choose another with ${flag}`);
    }
    throw e;
  }
}

/** Starts both servers and prints where they are; resolves once both listen. */
export async function serve(o: ServeOptions): Promise<Served> {
  const backend = await bind('CTI simulator', '--port', o.port,
    () => startBackend({ port: o.port, approvedOrigins: o.approvedOrigins, controlApi: o.controlApi }));
  let crm: RunningCrmServer;
  try {
    crm = await bind('demo CRM', '--crm-port', o.crmPort, () => startCrmServer({ port: o.crmPort, ccpUrl: backend.url }));
  } catch (e) {
    await backend.close();
    throw e;
  }
  console.log(`CTI simulator and CCP: ${backend.url}/ccp   (logins agent1…agent${backend.config.agentCount}, password "${backend.config.agentPassword}")`);
  console.log(`Sync inspector:        ${backend.url}/inspector`);
  console.log(`Library bundles:       ${backend.url}/connect-streams.js, ${backend.url}/connect-shared-worker.js`);
  console.log(`Demo CRM:              ${crm.url}`);
  console.log(`Genuine Streams CRM:   ${crm.url}/genuine.html   (the unmodified amazon-connect-streams release, when installed)`);
  console.log(`Approved origins:      ${o.approvedOrigins.join(', ') || '(none)'}`);
  const banner = controlBanner(backend.controlToken);
  if (banner) console.log(banner);
  return {
    ctiUrl: backend.url,
    crmUrl: crm.url,
    close: async () => { await Promise.all([backend.close(), crm.close()]); },
  };
}

/** Serves until SIGINT or SIGTERM. */
export async function serveUntilStopped(o: ServeOptions): Promise<void> {
  const served = await serve(o);
  const stop = (): void => {
    served.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
