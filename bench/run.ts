/**
 * `npm run bench`: real Chromium against the real backend, figures measured side by side in one run and reported as
 * ratios (absolute milliseconds on a shared 2-core machine are noise). Writes bench/results.json and
 * bench/results.md, and prints the table.
 *
 * Options: --quick (fewer iterations), --no-build.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchContext, launch, openBenchTabs, ROOT, startBackend, type Backend } from './harness';
import { measureLatency, type LatencyCell } from './latency';
import { measureLiveness, type LivenessRow } from './liveness';
import { measureLoad, type LoadRow } from './load';
import { renderMarkdown } from './report';

const BENCH_PORT = Number(process.env.BENCH_CTI_PORT ?? 28080);
const quick = process.argv.includes('--quick');
const TAB_COUNTS = [1, 5, 10, 20];
const ITERATIONS = quick ? 8 : 30;

export interface Results {
  date: string;
  machine: { cpus: number; node: string };
  latency: LatencyCell[];
  load: LoadRow[];
  liveness: LivenessRow[];
  targets: Record<string, { value: number; target: string; met: boolean }>;
}

async function latencyFor(backend: Backend, browser: Awaited<ReturnType<typeof launch>>, username: string, contacts: number): Promise<LatencyCell[]> {
  const { contactIds } = await backend.control<{ contactIds: string[] }>('POST', `/sim/agents/${username}/bulk-contacts`, { count: contacts });
  const context = await benchContext(browser, backend, username);
  const tabs = await openBenchTabs(context, backend.url, 1);
  const cells: LatencyCell[] = [];
  for (const n of TAB_COUNTS) {
    if (tabs.length < n) tabs.push(...await openBenchTabs(context, backend.url, n - tabs.length));
    await new Promise((r) => setTimeout(r, 1000)); // let new renderers settle
    cells.push(await measureLatency(backend, username, tabs, contactIds, ITERATIONS, `latency ${contacts} contact(s), ${n} tab(s)`));
  }
  await context.close();
  return cells;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const started = Date.now();
  const backend = await startBackend(BENCH_PORT);
  const browser = await launch();
  try {
    const latency = [
      ...await latencyFor(backend, browser, 'agent1', 1),
      ...await latencyFor(backend, browser, 'agent2', 20),
    ];
    const { contactIds } = await backend.control<{ contactIds: string[] }>('POST', '/sim/agents/agent3/bulk-contacts', { count: 1 });
    const load = await measureLoad(backend, () => benchContext(browser, backend, 'agent3'), contactIds[0]!, [1, 5, 20],
      quick ? 8 : 20, quick ? 8000 : 20000);
    const livenessContext = await benchContext(browser, backend, 'agent4');
    const liveness = [
      await measureLiveness(livenessContext, backend.url, 'close', quick ? 5 : 15),
      await measureLiveness(livenessContext, backend.url, 'crash', quick ? 5 : 10),
    ];
    await livenessContext.close();
    const at20 = latency.filter((c) => c.tabs === 20);
    const worstRatio = Math.max(...at20.map((c) => c.ratio));
    const polls1 = load.find((r) => r.tabs === 1)!.snapshotPolls;
    const polls20 = load.find((r) => r.tabs === 20)!.snapshotPolls;
    const results: Results = {
      date: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      latency, load, liveness,
      targets: {
        'engine / raw floor at 20 tabs (worst snapshot size)': { value: worstRatio, target: '≤ 1.3', met: worstRatio <= 1.3 },
        'GetAgentSnapshot polls 20 tabs / 1 tab': { value: polls20 / polls1, target: '≤ 1.05', met: polls20 / polls1 <= 1.05 },
        'tab closed → topic freed, median ms': { value: liveness[0]!.median, target: '≤ 250', met: liveness[0]!.median <= 250 },
        'tab crashed → topic freed, median ms': { value: liveness[1]!.median, target: '≤ 250', met: liveness[1]!.median <= 250 },
      },
    };
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2));
    const md = renderMarkdown(results);
    writeFileSync(join(ROOT, 'bench/results.md'), md);
    console.log(`\n\n${md}\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote bench/results.json and bench/results.md`);
  } finally {
    await browser.close();
    await backend.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
