/**
 * `npm start [-- --port N --crm-port N …]`: builds the bundles when they are missing or older than the sources,
 * then serves like `connect-sync serve` (cli/serve.ts): the CTI backend (CCP, inspector, bundles, control API) on
 * CTI_PORT (8080) and the demo CRM on CRM_PORT (8081), another origin on purpose.
 * The CRM server also serves `genuine.html`, a CRM page on the genuine amazon-connect-streams release.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseServeOptions, serveUntilStopped, UsageError } from '../cli/serve';

const root = join(__dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  const outputs = ['connect-streams.js', 'connect-streams-min.js', 'connect-shared-worker.js', 'ccp.js', 'inspector.js']
    .map((f) => join(root, 'dist', f));
  if (!outputs.every((f) => existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return ['client', 'worker', 'shared'].some((d) => newestMtime(join(root, d)) > built);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const noBuild = args.includes('--no-build');
  const options = parseServeOptions(args.filter((a) => a !== '--no-build'));
  if (!noBuild && needsBuild()) {
    console.log('building bundles (npm run build)…');
    const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  await serveUntilStopped(options);
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? `npm start: ${e.message}` : e);
  process.exit(1);
});
