/** The benchmark's markdown table. */
import type { Results } from './run';

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '–');

export function renderMarkdown(r: Results): string {
  const lines: string[] = [];
  lines.push(`Benchmark run ${r.date} (${r.machine.cpus} cores, node ${r.machine.node}); times in ms, median (p95).`, '');
  lines.push('**Notification latency**: backend change → `agent::refresh` in the last of N tabs.', '');
  lines.push('| contacts | tabs | e2e (incl. HTTP) | engine: poll answer → last tab | raw floor, whole snapshot (JSON) | raw floor, whole snapshot (object) | raw floor, delta-sized | engine / floor | engine / delta floor | snapshot bytes | delta bytes |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of r.latency) {
    lines.push(`| ${c.contacts} | ${c.tabs} | ${f(c.e2eMedian)} (${f(c.e2eP95)}) | ${f(c.engineMedian)} (${f(c.engineP95)}) | ${f(c.floorJsonMedian)} (${f(c.floorJsonP95)}) | ${f(c.floorObjectMedian)} | ${f(c.deltaFloorMedian)} | **${f(c.ratio)}** | ${f(c.ratioDelta)} | ${c.fullBytes} | ${c.deltaBytes} |`);
  }
  lines.push('', '**Backend load**: CTI requests in the same window with the same changes.', '');
  lines.push('| tabs | window s | changes | GetAgentSnapshot | all CTI requests | by operation |');
  lines.push('|---|---|---|---|---|---|');
  for (const l of r.load) {
    const ops = Object.entries(l.byOperation).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`| ${l.tabs} | ${l.windowMs / 1000} | ${l.changes} | ${l.snapshotPolls} | ${l.total} | ${ops} |`);
  }
  lines.push('', '**Tab death → master topic freed** (another tab told).', '');
  lines.push('| how | iterations | median ms | p95 ms |', '|---|---|---|---|');
  for (const l of r.liveness) lines.push(`| ${l.how} | ${l.iterations} | ${f(l.median, 1)} | ${f(l.p95, 1)} |`);
  lines.push('', '**Targets**', '', '| figure | value | target | met |', '|---|---|---|---|');
  for (const [k, v] of Object.entries(r.targets)) lines.push(`| ${k} | ${f(v.value)} | ${v.target} | ${v.met ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}
