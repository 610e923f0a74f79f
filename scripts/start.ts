/**
 * `npm start`: builds the bundles when they are missing or older than the sources, then starts the CTI backend
 * (CCP, bundles, control API) on CTI_PORT (8080) and the demo CRM on CRM_PORT (8081), another origin on purpose.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { controlBanner } from '../backend/control';
import { startBackend } from '../backend/server';
import { startCrmServer } from '../backend/crm-server';

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
  if (!process.argv.includes('--no-build') && needsBuild()) {
    console.log('building bundles (npm run build)…');
    const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const backend = await startBackend();
  const crm = await startCrmServer({ ccpUrl: backend.url });
  console.log(`CTI backend and CCP: ${backend.url}/ccp   (logins agent1…agent5, password "connect")`);
  console.log(`Demo CRM:            ${crm.url}`);
  const banner = controlBanner(backend.controlToken);
  if (banner) console.log(banner);
  const stop = async (): Promise<void> => { await Promise.all([backend.close(), crm.close()]); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
