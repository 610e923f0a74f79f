#!/usr/bin/env node
/**
 * Run first by `npm start` and `npm test`, in plain Node (nothing installed yet can be used): installs the
 * dependencies with `npm ci` when `node_modules` is missing or older than `package-lock.json` (a fresh clone, or a
 * pull that changed the lock file), then checks that a Chromium is there. Does nothing when `node_modules` is fresh
 * (CI has just run `npm ci`). `--no-browser` skips the Chromium check (`npm start` serves pages; it needs none).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
/** npm writes this after every install: its time is when node_modules last matched the lock file. */
const stamp = join(root, 'node_modules', '.package-lock.json');

function depsStale() {
  if (!existsSync(stamp)) return 'node_modules is missing';
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(stamp).mtimeMs) return 'package-lock.json is newer than node_modules';
  return null;
}

const why = depsStale();
if (why) {
  console.log(`${why}: installing the dependencies (npm ci)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('npm ci failed: see the output above.');
    process.exit(r.status ?? 1);
  }
}

if (!process.argv.includes('--no-browser')) {
  const candidates = [process.env.CHROMIUM_BIN, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(Boolean);
  if (!candidates.some((p) => existsSync(p))) {
    console.error('No Chromium found (looked at ' + candidates.join(', ') + '). The tests drive a system Chromium:\n'
      + '  Debian/Ubuntu: sudo apt-get install chromium   (CI does this in .ci/run)\n'
      + '  elsewhere: install Chromium and set CHROMIUM_BIN=/path/to/chromium');
    process.exit(1);
  }
}
