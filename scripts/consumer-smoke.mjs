#!/usr/bin/env node
/**
 * `npm run test:consumer`: the package as a consumer gets it, end to end (README "Use it from your project").
 *   1. `npm pack` the built package (run `npm run build` first);
 *   2. a new project in a temporary folder installs the tarball, @playwright/test, webpack and typescript offline
 *      (from the tarball and the local npm cache: the repository's own install put them there);
 *   3. `tsc` type-checks the consumer's app (`import { connect } from 'connect-sync'`) and its Playwright test;
 *   4. webpack bundles the app, with no configuration for the library: the SharedWorker file and the on-demand chunks
 *      must come out beside the app's bundle;
 *   5. the consumer's Playwright test, with `webServer: { command: 'npx connect-sync serve …' }` and a static server
 *      for the app, uses `connect-sync/fixtures`: CCP tabs and tabs of the app (a CRM embedding the CCP) converge, and
 *      a crashed tab's master topic is freed.
 * Ports: free ones from the OS (never the demo's or the suite's). KEEP_CONSUMER=1 keeps the folder.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const step = (what) => console.log(`\n[consumer ${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

class SmokeFailure extends Error {}

function fail(message) {
  throw new SmokeFailure(message);
}

/** Runs a command; its output goes to ours; fails the test when it fails. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${[cmd, ...args].join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

/** A port the OS says is free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** What the consumer installs beside the package: its test runner (our fixtures' peer), its bundler, its compiler. */
const CONSUMER_DEPS = ['@playwright/test', 'webpack', 'typescript'];

/**
 * The consumer's lock file, cut from ours: the entries its dependencies reach (same versions and integrity, so the
 * cache has them all), plus the tarball. With it, `npm install --offline` needs no registry metadata: `npm ci` here
 * cached the packages' contents, not the registry's documents that a resolution from scratch would read.
 */
function consumerLock(deps, tarball) {
  const ours = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packages = {
    '': { name: 'consumer-app', version: '1.0.0', dependencies: deps },
    'node_modules/connect-sync': {
      version: manifest.version, resolved: deps['connect-sync'],
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta, bin: manifest.bin,
    },
  };
  /** Where node would find `name` from the package at `from` (nested first, then each folder up). */
  const locate = (from, name) => {
    for (let at = from; ; at = at.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const key = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (ours[key]) return key;
      if (!at) return null;
    }
  };
  const queue = [['', Object.keys(deps).filter((d) => d !== 'connect-sync')], ['node_modules/connect-sync', Object.keys(manifest.dependencies)]];
  while (queue.length) {
    const [from, names] = queue.shift();
    for (const name of names) {
      const key = locate(from.startsWith('node_modules/connect-sync') ? '' : from, name);
      if (!key) {
        if (ours[`${from}`]?.optionalDependencies?.[name]) continue;
        throw new SmokeFailure(`${name} (needed by ${from || 'the consumer'}) is not in package-lock.json`);
      }
      if (packages[key]) continue;
      const { dev, devOptional, peer, ...entry } = ours[key];
      packages[key] = entry;
      queue.push([key, Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })
        .filter((d) => !(entry.optionalDependencies?.[d] && !locate(key, d)))]);
    }
  }
  return { name: 'consumer-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

for (const f of ['connect-streams.js', 'connect-shared-worker.js', 'esm/client/module.js', 'node/cli/connect-sync.js']) {
  if (!existsSync(join(root, 'dist', f))) {
    console.error(`consumer smoke test: dist/${f} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}
const chromium = [process.env.CHROMIUM_BIN, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && existsSync(p));
if (!chromium) {
  console.error('consumer smoke test: no Chromium (sudo apt-get install chromium, or set CHROMIUM_BIN)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'connect-sync-consumer-'));
// The repository's node_modules/.bin (npm run puts it on PATH) must not stand in for the consumer's own.
const env = { ...process.env, PATH: (process.env.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(root)).join(delimiter) };
delete env.npm_config_prefix;
let ok = false;
try {
  step(`npm pack → ${dir}`);
  const packed = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, encoding: 'utf8', env });
  if (packed.status !== 0) fail(`npm pack failed:\n${packed.stderr}`);
  const tarball = join(dir, packed.stdout.trim().split('\n').pop());

  const [ctiPort, crmPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const app = join(dir, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  mkdirSync(join(app, 'tests'), { recursive: true });
  const tgz = `file:../${basename(tarball)}`;
  const deps = { 'connect-sync': tgz, ...Object.fromEntries(CONSUMER_DEPS.map((d) => [d, versionOf(d)])) };
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumerLock(deps, tarball), null, 2));

  step('npm install --offline (the tarball, @playwright/test, webpack, typescript)');
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, env });

  // The consumer's files, as the README shows them.
  writeFileSync(join(app, 'src', 'config.js'), `export const CCP_URL = 'http://127.0.0.1:${ctiPort}/ccp';\n`);
  writeFileSync(join(app, 'src', 'app.js'), `// @ts-check
import { connect } from 'connect-sync';
import { CCP_URL } from './config.js';

/** Tests (connect-sync/fixtures) read the page's library as window.connect. */
/** @type {any} */ (window).connect = connect;

const container = /** @type {HTMLElement} */ (document.getElementById('ccp'));
connect.core.initCCP(container, { ccpUrl: CCP_URL });
connect.agent((agent) => {
  /** @type {HTMLElement} */ (document.getElementById('agent')).textContent = agent.getName();
});
`);
  writeFileSync(join(app, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Consumer app</title><link rel="icon" href="data:,"></head>
<body><h1>Consumer app <span id="agent"></span></h1><div id="ccp"></div><script src="/dist/app.js"></script></body></html>
`);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, allowJs: true,
      checkJs: true, noEmit: true, resolveJsonModule: true, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], skipLibCheck: true },
    include: ['src', 'tests'],
  }, null, 2));
  writeFileSync(join(app, 'build.cjs'), `// webpack with no configuration for connect-sync.
const webpack = require('webpack');
webpack({ mode: 'production', entry: './src/app.js', output: { path: __dirname + '/dist', filename: 'app.js', publicPath: 'auto' } },
  (err, stats) => {
    if (err || stats.hasErrors()) { console.error(err ?? stats.toString('errors-only')); process.exit(1); }
    console.log(stats.toString({ preset: 'summary', assets: true }));
    require('node:fs').writeFileSync(__dirname + '/stats.json', JSON.stringify(stats.toJson({ all: false, assets: true, chunks: true })));
  });
`);
  writeFileSync(join(app, 'serve.cjs'), `// The app's own static server (any origin: the CCP's approves it with --approved-origins).
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x').pathname;
  const file = url === '/' ? 'index.html' : url.slice(1);
  const full = path.join(__dirname, file);
  if (!/^(index\\.html|dist\\/[\\w.-]+)$/.test(file) || !fs.existsSync(full)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'Content-Type': file.endsWith('.html') ? 'text/html' : 'application/javascript' });
  fs.createReadStream(full).pipe(res);
}).listen(port, '127.0.0.1');
`);
  writeFileSync(join(app, 'playwright.config.ts'), `import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 60_000,
  // Tabs converge and a dead tab is noticed within seconds, not at once: assert convergence with room to spare.
  expect: { timeout: 15_000 },
  use: {
    baseURL: 'http://127.0.0.1:${ctiPort}',
    launchOptions: { executablePath: ${JSON.stringify(chromium)}, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] },
  },
  webServer: [
    {
      command: 'npx connect-sync serve --port ${ctiPort} --crm-port ${crmPort} --approved-origins http://127.0.0.1:${appPort}',
      url: 'http://127.0.0.1:${ctiPort}/healthz',
      env: { LOG_LEVEL: 'silent' },
    },
    { command: 'node serve.cjs ${appPort}', url: 'http://127.0.0.1:${appPort}/' },
  ],
});
`);
  writeFileSync(join(app, 'tests', 'smoke.spec.ts'), `import type { Page } from '@playwright/test';
import { test, expect, expectConsistent, crashTab } from 'connect-sync/fixtures';
import type { connect } from 'connect-sync';
import bundle from './bundle.json';

declare global { interface Window { connect: typeof connect } }

const APP = 'http://127.0.0.1:${appPort}/';
const TOPIC = 'consumer::topic';

function holds(page: Page): Promise<boolean> {
  return page.evaluate((t) => new Promise<boolean>((resolve) => {
    window.connect.ifMaster(t, () => resolve(true), () => resolve(false));
  }), TOPIC);
}

test('tabs of the app (a CRM embedding the CCP) and CCP tabs converge', async ({ openTabs, backend }) => {
  const ccp = await openTabs(1);
  const apps = await openTabs(2, APP);
  await expectConsistent([...ccp, ...apps]);
  await backend.inbound({ username: 'agent1' });
  await expectConsistent([...ccp, ...apps], { contacts: 1 });
  await expect(apps[0]!.locator('#agent')).not.toBeEmpty();
  // The SharedWorker file webpack emitted from the package (the ESM build's default workerUrl) is served with the app.
  expect((await apps[0]!.request.get(APP + 'dist/' + bundle.worker)).ok()).toBe(true);
});

test("a crashed tab's master topic is freed and another tab takes it", async ({ openTabs }) => {
  const [a, b, c] = await openTabs(3, APP); // the app's own tabs
  expect(await holds(a!)).toBe(true);
  expect(await holds(b!)).toBe(false);
  await crashTab(a!);
  await expect.poll(async () => [await holds(b!), await holds(c!)].filter(Boolean).length).toBe(1);
});
`);

  // The name of the worker file webpack emits, for the test (filled in after the build).
  writeFileSync(join(app, 'tests', 'bundle.json'), JSON.stringify({ worker: '' }));
  const bin = (pkg, file) => join(app, 'node_modules', pkg, file);
  step('tsc: the consumer app and test type-check against the package');
  run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, env });

  step('webpack: bundle the app');
  run(process.execPath, ['build.cjs'], { cwd: app, env });
  const stats = JSON.parse(readFileSync(join(app, 'stats.json'), 'utf8'));
  const worker = stats.assets.find((a) => a.info?.sourceFilename?.endsWith('connect-sync/dist/connect-shared-worker.js'))?.name;
  if (!worker) fail(`webpack did not emit connect-shared-worker.js (${stats.assets.map((a) => a.name).join(', ')})`);
  if (!readFileSync(join(app, 'dist', 'app.js'), 'utf8').includes(worker)) fail(`app.js does not name the worker file ${worker}`);
  const chunks = stats.chunks.flatMap((c) => c.names);
  for (const name of ['connect-embed', 'connect-fallback', 'connect-engine']) {
    if (!chunks.includes(name)) fail(`the on-demand chunk ${name} is not in the app's output (${chunks.join(', ')})`);
  }
  writeFileSync(join(app, 'tests', 'bundle.json'), JSON.stringify({ worker }));
  console.log(`app output: the SharedWorker as dist/${worker}, on-demand chunks ${chunks.join(', ')} — no configuration`);

  step('playwright test (connect-sync/fixtures against npx connect-sync serve)');
  run(process.execPath, [bin('@playwright/test', 'cli.js'), 'test', '--reporter=list'], { cwd: app, env: { ...env, CI: '' } });
  ok = true;
} catch (e) {
  console.error(`consumer smoke test: ${e instanceof SmokeFailure ? e.message : e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  if (process.env.KEEP_CONSUMER) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  step(ok ? 'consumer smoke test passed' : 'consumer smoke test failed');
}
