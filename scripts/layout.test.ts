/**
 * The house rules of the layout (docs/architecture.md), checked on the tracked files so a move that breaks them fails
 * `npm test`: product folders hold product code only, `client/` is the library only and leans on no app, no import
 * circle in product code (type imports included), and no top-level folder holds more than 35 % of the source lines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..');
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)
  .filter((f) => existsSync(path.join(ROOT, f)));
const read = (f: string): string => readFileSync(path.join(ROOT, f), 'utf8');

/** Folders whose files ship or run as the product (colocated `*.test.ts` files are allowed). */
const PRODUCT = ['client', 'worker', 'shared', 'backend', 'apps', 'cli'];
const isTest = (f: string): boolean => /\.test\.ts$/.test(f);
const topOf = (f: string): string => f.split('/')[0]!;

/** Relative specifiers of static imports and re-exports (`import type` included when `withTypes`). */
function importsOf(file: string, withTypes: boolean): string[] {
  const re = withTypes
    ? /^\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/gm
    : /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s*['"](\.[^'"]+)['"]/gm;
  const out: string[] = [];
  for (const m of read(file).matchAll(re)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!));
    const hit = [`${base}.ts`, `${base}/index.ts`, base].find((c) => tracked.includes(c));
    if (hit) out.push(hit);
  }
  return out;
}

const productCode = tracked.filter((f) => PRODUCT.includes(topOf(f)) && f.endsWith('.ts') && !isTest(f));

test('no product file imports test fakes, harnesses or fixtures', () => {
  const bad = productCode.flatMap((f) => importsOf(f, true).filter((d) => topOf(d) === 'testing' || topOf(d) === 'e2e')
    .map((d) => `${f} -> ${d}`));
  assert.deepEqual(bad, []);
});

test('product folders hold no test-only folders or files', () => {
  const bad = tracked.filter((f) => PRODUCT.includes(topOf(f)))
    .filter((f) => /\/(testing|fixtures|fakes?)\//.test(f) || /(^|\/)(fake-|test-kit)[^/]*\.ts$/.test(f));
  assert.deepEqual(bad, []);
});

test('client/ is the library only: it imports no app, and its only outside imports are shared/ and the engine chunk', () => {
  const bad = tracked.filter((f) => topOf(f) === 'client' && f.endsWith('.ts') && !isTest(f))
    .flatMap((f) => importsOf(f, true).filter((d) => !['client', 'shared'].includes(topOf(d))).map((d) => `${f} -> ${d}`));
  assert.deepEqual(bad, []);
  const html = tracked.filter((f) => topOf(f) === 'client' && !f.endsWith('.ts'));
  assert.deepEqual(html, [], 'pages, styles and JSON live in apps/ or testing/');
});

test('no import circle (type imports included; a dynamic import() of a chunk is not an edge)', () => {
  const graph = new Map(productCode.map((f) => [f, importsOf(f, true)]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (u: string): void => {
    state.set(u, 1);
    stack.push(u);
    for (const v of graph.get(u) ?? []) {
      if (state.get(v) === 1) cycles.push([...stack.slice(stack.indexOf(v)), v].join(' -> '));
      else if (!state.has(v)) visit(v);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('the largest top-level folder holds under 35 % of the source lines', () => {
  const source = tracked.filter((f) => /\.(ts|mjs|js|html|css)$/.test(f) && f.includes('/'));
  const lines = new Map<string, number>();
  let total = 0;
  for (const f of source) {
    const n = read(f).split('\n').length;
    total += n;
    lines.set(topOf(f), (lines.get(topOf(f)) ?? 0) + n);
  }
  const [largest, n] = [...lines].sort((a, b) => b[1] - a[1])[0]!;
  assert.ok(n / total < 0.35, `${largest}/ holds ${(100 * n / total).toFixed(1)} % of ${total} source lines`);
});

test('worker/README.md names every engine file', () => {
  const readme = read('worker/README.md');
  const unnamed = tracked.filter((f) => /^worker\/[^/]+\.ts$/.test(f) && !isTest(f))
    .filter((f) => !readme.includes('`' + path.posix.basename(f) + '`'));
  assert.deepEqual(unnamed, []);
});
