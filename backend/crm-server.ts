/**
 * The demo CRM's server: static files from `apps/crm/` on another origin than the CCP (port 8081 by default), and
 * `GET /config.js`, which tells the page where the CCP lives. Works with an empty or missing `apps/crm/` (404s).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultConfig } from './config';
import { GuardErrorType } from './errors';
import { sendJson } from './http';
import { resolveInside } from './static-files';
import { createReadStream, promises as fs } from 'node:fs';
import { ServiceException } from '../shared/cti';

export interface CrmServerOptions {
  /** Env `CRM_PORT`, default 8081; 0 picks a free port. */
  port?: number;
  /** Default `CTI_HOST` or 127.0.0.1. */
  host?: string;
  /** The CTI backend's base URL; the page embeds `<ccpUrl>/ccp`. */
  ccpUrl: string;
  /** Default `<repo>/client/crm`. */
  crmDir?: string;
}

export interface RunningCrmServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
};
/** Where the page of a CRM built on the genuine library finds it: the npm package's release bundle, served from
 * `node_modules` when the (dev) dependency is installed, 404 otherwise. */
export const GENUINE_STREAMS_PATH = '/vendor/amazon-connect-streams.js';
const GENUINE_STREAMS_FILE = path.join('node_modules', 'amazon-connect-streams', 'release', 'connect-streams.js');

const SAFE_PATH = /^\/((?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*)$/;

function configScript(ccpUrl: string): string {
  const ccp = `${ccpUrl.replace(/\/+$/, '')}/ccp`;
  return `window.CRM_CONFIG = ${JSON.stringify({ ccpUrl: ccp }).replace(/</g, '\\u003c')};\n`;
}

async function serveFile(res: http.ServerResponse, file: string | undefined, head: boolean): Promise<void> {
  const stat = file ? await fs.stat(file).catch(() => undefined) : undefined;
  if (!file || !stat?.isFile()) return sendJson(res, 404, { type: ServiceException.RESOURCE_NOT_FOUND, message: 'not found' });
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': stat.size, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  if (head) return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/**
 * Starts the demo CRM server.
 * @example
 *   const crm = await startCrmServer({ port: 0, ccpUrl: backend.url });
 *   // open `${crm.url}/` in a browser; it frames `${backend.url}/ccp`
 */
export async function startCrmServer(opts: CrmServerOptions): Promise<RunningCrmServer> {
  const port = opts.port ?? (process.env.CRM_PORT ? Number(process.env.CRM_PORT) : 8081);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CRM_PORT must be 0..65535, got ${port}`);
  const host = opts.host ?? (process.env.CTI_HOST || '127.0.0.1');
  const rootDir = defaultConfig().rootDir;
  const crmDir = opts.crmDir ?? path.join(rootDir, 'apps', 'crm');
  const script = configScript(opts.ccpUrl);
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://crm.invalid').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { type: GuardErrorType.METHOD_NOT_ALLOWED, message: 'GET only' });
    if (pathname === '/config.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-cache',
        'Content-Length': Buffer.byteLength(script) });
      return void res.end(req.method === 'HEAD' ? undefined : script);
    }
    if (pathname === GENUINE_STREAMS_PATH) {
      return void serveFile(res, path.join(rootDir, GENUINE_STREAMS_FILE), req.method === 'HEAD').catch(() => res.destroy());
    }
    const relative = pathname === '/' ? 'index.html' : SAFE_PATH.exec(pathname)?.[1];
    serveFile(res, relative ? resolveInside(crmDir, relative) : undefined, req.method === 'HEAD')
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
