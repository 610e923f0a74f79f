/**
 * Static files: the CCP page and inspector (with the approved-origins CSP), the webpack bundles from `dist/`, and
 * the CCP's assets. Paths are matched against fixed patterns and resolved inside their folder, so `..`, encoded
 * separators and the like never reach the file system outside it.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ServiceException } from '../shared/cti';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/** A top-level bundle name: letters, digits, dot, dash, underscore; ends in .js or .map. */
const BUNDLE_PATH = /^\/([A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:js|map))$/;
/** Asset paths: the same safe characters per segment, slash-separated. */
const ASSET_PATH = /^\/assets\/((?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*)$/;

export interface StaticRoots {
  distDir: string;
  ccpDir: string;
  /** CSP for pages that may be framed (CCP, inspector). */
  framePolicy: string;
}

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** `relative` inside `root`, or undefined when it would escape it. */
export function resolveInside(root: string, relative: string): string | undefined {
  const resolved = path.resolve(root, relative);
  const base = path.resolve(root) + path.sep;
  return resolved.startsWith(base) ? resolved : undefined;
}

function notFound(res: ServerResponse): void {
  const body = JSON.stringify({ __type: ServiceException.RESOURCE_NOT_FOUND, type: ServiceException.RESOURCE_NOT_FOUND, message: 'not found' });
  res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string | undefined,
  headers: Record<string, string> = {}): Promise<void> {
  if (!file) return notFound(res);
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return notFound(res);
    size = stat.size;
  } catch {
    return notFound(res);
  }
  res.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Content-Length': size,
    // Bundles keep stable names across deploys, so caches must revalidate every time.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Serves a static route; false when `pathname` is not one. Expects GET or HEAD. */
export async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string, roots: StaticRoots):
  Promise<boolean> {
  const framed = { 'Content-Security-Policy': roots.framePolicy };
  if (pathname === '/ccp' || pathname === '/ccp/' || pathname === '/ccp.html') {
    await sendFile(req, res, path.join(roots.ccpDir, 'ccp.html'), framed);
    return true;
  }
  if (pathname === '/inspector' || pathname === '/inspector.html') {
    await sendFile(req, res, path.join(roots.ccpDir, 'inspector.html'), framed);
    return true;
  }
  const bundle = BUNDLE_PATH.exec(pathname);
  if (bundle) {
    await sendFile(req, res, resolveInside(roots.distDir, bundle[1]!));
    return true;
  }
  if (pathname.startsWith('/assets/')) {
    // No segment may start with a dot (the pattern), so `.`/`..` never get here; resolveInside double-checks.
    const asset = ASSET_PATH.exec(pathname);
    await sendFile(req, res, asset ? resolveInside(path.join(roots.ccpDir, 'assets'), asset[1]!) : undefined);
    return true;
  }
  return false;
}
