/**
 * Footprint: bundle sizes (minified and gzip) and, for the client bundle, which modules weigh what — minified bytes
 * attributed to source files through the bundle's source map (no rebuild needed), grouped by package/folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize { file: string; minBytes: number; gzipBytes: number }
export interface ModuleWeight { module: string; minBytes: number; gzipAlone: number }
export interface Footprint { bundles: BundleSize[]; clientModules: ModuleWeight[]; clientGroups: ModuleWeight[] }

/** The client first, then the chunks it loads on demand (embedding, frame relay, ringtone, fallback, engine), the worker
 * and the CCP page. Chunks webpack splits out for code several of them share (`connect-<id>.js`) are added. */
export const BUNDLES = ['connect-streams-min.js', 'connect-embed.js', 'connect-relay.js', 'connect-ringtone.js', 'connect-fallback.js',
  'connect-engine.js', 'connect-shared-worker.js', 'ccp.js'];

/** A chunk of shared code, named by its id. */
const SHARED_CHUNK = /^connect-\d+\.js$/;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one source-map segment's base64 VLQ fields. */
function vlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Generated text attributed to each source (each mapped segment runs to the next segment or line end). */
function textBySource(code: string, map: { sources: string[]; mappings: string }): Map<string, string> {
  const lines = code.split('\n');
  const out = new Map<string, string[]>();
  let source = 0;
  map.mappings.split(';').forEach((lineMap, li) => {
    const line = lines[li] ?? '';
    let col = 0;
    const segs: { col: number; src: number }[] = [];
    for (const seg of lineMap.split(',')) {
      if (!seg) continue;
      const f = vlq(seg);
      col += f[0]!;
      if (f.length >= 4) source += f[1]!;
      segs.push({ col, src: f.length >= 4 ? source : -1 });
    }
    segs.forEach((s, i) => {
      const end = i + 1 < segs.length ? segs[i + 1]!.col : line.length;
      const name = s.src >= 0 ? map.sources[s.src]! : '(unmapped)';
      (out.get(name) ?? out.set(name, []).get(name)!).push(line.slice(s.col, end));
    });
  });
  return new Map([...out].map(([k, v]) => [k, v.join('')]));
}

function moduleName(source: string): string {
  const s = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^\.\//, '');
  return s;
}

function groupOf(module: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  if (nm) return `npm: ${nm[1]}`;
  const parts = module.split('/');
  if (parts[0] === 'client' && parts.length > 2) return `client/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : module;
}

export function measureFootprint(dist: string): Footprint {
  const shared = readdirSync(dist).filter((f) => SHARED_CHUNK.test(f)).sort();
  const bundles = [...BUNDLES, ...shared].filter((f) => existsSync(join(dist, f))).map((file) => {
    const buf = readFileSync(join(dist, file));
    return { file, minBytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
  });
  const code = readFileSync(join(dist, 'connect-streams-min.js'), 'utf8');
  const map = JSON.parse(readFileSync(join(dist, 'connect-streams-min.js.map'), 'utf8')) as { sources: string[]; mappings: string };
  const texts = textBySource(code, map);
  const weigh = (entries: [string, string][]): ModuleWeight[] => entries
    .map(([module, text]) => ({ module, minBytes: Buffer.byteLength(text), gzipAlone: gzipSync(text, { level: 9 }).length }))
    .sort((a, b) => b.minBytes - a.minBytes);
  const modules = [...texts].map(([k, v]) => [moduleName(k), v] as [string, string]);
  const groups = new Map<string, string>();
  for (const [m, t] of modules) groups.set(groupOf(m), (groups.get(groupOf(m)) ?? '') + t);
  return { bundles, clientModules: weigh(modules), clientGroups: weigh([...groups]) };
}

if (process.argv[1]?.endsWith('footprint.ts')) {
  const f = measureFootprint(join(__dirname, '..', 'dist'));
  console.log(f.bundles, f.clientGroups, f.clientModules.slice(0, 25));
}
