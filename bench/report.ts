/** The benchmark's markdown tables. */
import { CPU_GAP_MS } from './cpu';
import { compareCpu, ratio } from './cpu-per-change';
import type { Results } from './run';

const f = (x: number | null | undefined, d = 2): string => (x !== null && x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '–');
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
const mb = (bytes: number | null): string => (bytes === null ? '–' : (bytes / 2 ** 20).toFixed(2));

const PATH_NAMES: Record<string, string> = { ours: 'SharedWorker (ours)', baseline: 'original design (baseline)', broadcast: 'BroadcastChannel fallback' };

const START_CASES: Record<string, string> = { cold: 'cold', 'warm-engine': 'warm, engine running', 'warm-idb': 'warm, no engine (IndexedDB)' };

export function renderMarkdown(r: Results): string {
  const L: string[] = [];
  L.push(`Benchmark run ${r.date}${r.quick ? ' (--quick)' : ''} (${r.machine.cpus} cores, node ${r.machine.node}${r.machine.note ? `; ${r.machine.note}` : ''}), ${r.seconds} s; times in ms, median (p95).`, '');
  L.push('**Notification latency**: backend change → `agent::refresh` in the last of N tabs. *engine* = from the engine\'s receipt of the long-poll answer; *floor* = a raw post of the whole state (JSON, parsed by each tab) from the same worker (SharedWorker paths) or from the leader tab over BroadcastChannel (fallback), measured in the same run. The baseline is compared with the SharedWorker floor.', '');
  L.push('| path | contacts | tabs | e2e (incl. HTTP) | engine | floor, whole state | engine / floor | floor, object | floor, delta-sized | engine / delta floor | state bytes |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of r.latency) {
    L.push(`| ${PATH_NAMES[c.path]} | ${c.contacts} | ${c.tabs} | ${f(c.e2eMedian)} (${f(c.e2eP95)}) | ${f(c.engineMedian)} (${f(c.engineP95)}) | ${f(c.floorJsonMedian)} (${f(c.floorJsonP95)}) | **${f(c.ratio)}** | ${f(c.floorObjectMedian)} | ${f(c.deltaFloorMedian)} | ${f(c.ratioDelta)} | ${c.fullBytes} |`);
  }
  const fb = r.latency.filter((c) => c.path === 'broadcast' && Number.isFinite(c.engineFromResponseEndMedian));
  if (fb.length) {
    L.push('', `The fallback's *engine* counts from when the leader page has read the answer's body, as the SharedWorker's does; counted from the answer's Resource Timing \`responseEnd\` instead (the page's fetch delivery included), its medians are: ${fb.map((c) => `${c.contacts} contact(s) × ${c.tabs} tab(s) ${f(c.engineFromResponseEndMedian)}`).join(', ')}.`);
  }
  if (r.oursVsBaseline.length) {
    L.push('', '**Ours / original design** (engine latency medians, same tabs count and snapshot; < 1 = ours faster).', '');
    L.push('| contacts | ' + [...new Set(r.oursVsBaseline.map((x) => x.tabs))].map((n) => `${n} tabs`).join(' | ') + ' |');
    L.push('|---|' + [...new Set(r.oursVsBaseline.map((x) => x.tabs))].map(() => '---|').join(''));
    for (const c of [1, 20]) {
      const row = r.oursVsBaseline.filter((x) => x.contacts === c).sort((a, b) => a.tabs - b.tabs);
      if (row.length) L.push(`| ${c} | ${row.map((x) => f(x.ratio)).join(' | ')} |`);
    }
  }
  if (r.cpu?.length) {
    L.push('', `**CPU time per change**, ms, summed over the engine and every tab: *engine* = the SharedWorker thread's on-CPU time (Linux schedstat: Chromium has no \`Performance\` domain on workers), or the leader tab's tasks in the fallback; *tabs* = CDP \`Performance.getMetrics\` \`ThreadTime\` (main-thread CPU) summed over the tabs; *tasks (script)* = their \`TaskDuration\` (task wall time: above the CPU time when the renderers wait for the 2 cores) and \`ScriptDuration\`; *total* = engine + tabs; *Chromium* = every thread of every Chromium process (IPC routing included). ${r.cpu[0]!.changes} changes per window, ${CPU_GAP_MS} ms apart, nothing else touching the tabs; the floor is the same number of raw whole-state posts (JSON, parsed by each tab), from the same worker or from the leader tab over BroadcastChannel, in the same run.`, '');
    L.push('| path | contacts | tabs | changes | engine | tabs | tasks (script) | **total** | Chromium | floor: engine | floor: tabs | **floor total** | floor Chromium |');
    L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const c of r.cpu) {
      const e = c.engine;
      const fl = c.floor;
      L.push(`| ${PATH_NAMES[c.path]} | ${c.contacts} | ${c.tabs} | ${c.changes} | ${f(e.engineMs, 3)} | ${f(e.tabsCpuMs, 3)} | ${f(e.tabsTaskMs, 3)} (${f(e.tabsScriptMs, 3)}) | **${f(e.totalMs, 3)}** | ${f(e.chromiumMs, 3)} | ${f(fl?.engineMs, 3)} | ${f(fl?.tabsCpuMs, 3)} | **${f(fl?.totalMs, 3)}** | ${f(fl?.chromiumMs, 3)} |`);
    }
    L.push('', 'CPU per change (total), side by side; the original design is compared with the SharedWorker floor (same worker bundle, same tabs).', '');
    L.push('| contacts | tabs | ours | original | floor | ours / original | ours / floor | original / floor | fallback | fallback floor | fallback / floor |');
    L.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const c of compareCpu(r.cpu)) {
      L.push(`| ${c.contacts} | ${c.tabs} | ${f(c.ours, 3)} | ${f(c.original, 3)} | ${f(c.floor, 3)} | **${f(c.oursVsOriginal)}** | **${f(c.oursVsFloor)}** | ${f(c.originalVsFloor)} | ${f(c.broadcast, 3)} | ${f(c.broadcastFloor, 3)} | ${f(c.broadcastVsFloor)} |`);
    }
  }
  if (r.startup?.length) {
    L.push('', '**A new tab\'s start**: navigation start → its first `connect.agent` callback (registered as soon as the library loaded), and → the first state the engine confirmed; ms, median (p95). *cold*: a fresh browser context (empty IndexedDB and HTTP cache); *warm, engine running*: another tab of the origin open; *warm, no engine*: the last tab closed and the SharedWorker ended, IndexedDB kept. The original design persisted nothing: for it the engine\'s record is deleted before each warm navigation.', '');
    L.push('| path | case | runs | library loaded | first connect.agent | first confirmed state |', '|---|---|---|---|---|---|');
    for (const s of r.startup) L.push(`| ${PATH_NAMES[s.path]} | ${START_CASES[s.case]} | ${s.runs} | ${f(s.libraryMedian, 1)} | **${f(s.agentMedian, 1)}** (${f(s.agentP95, 1)}) | ${f(s.confirmedMedian, 1)} |`);
    const byCase = Object.keys(START_CASES).map((k) => {
      const o = r.startup.find((s) => s.path === 'ours' && s.case === k);
      const b = r.startup.find((s) => s.path === 'baseline' && s.case === k);
      return `${START_CASES[k]} ${f(ratio(o?.agentMedian, b?.agentMedian))}`;
    });
    L.push('', `Ours / original design, first \`connect.agent\` (medians): ${byCase.join('; ')}.`);
  }
  L.push('', `**Backend load**: CTI requests of the agent over the CPU window's changes (${CPU_GAP_MS} ms apart, each its own long-poll answer), with 1 and 20 tabs; per minute of that window (a 30 s configuration round falls into some windows only).`, '');
  L.push('| path | tabs | window s | changes | GetAgentSnapshot | per change | all CTI /min | by operation /min |');
  L.push('|---|---|---|---|---|---|---|---|');
  for (const l of r.load) {
    const ops = Object.entries(l.perMinute).map(([k, v]) => `${k} ${v}`).join(', ');
    L.push(`| ${PATH_NAMES[l.path]} | ${l.tabs} | ${f(l.windowMs / 1000, 1)} | ${l.changes} | ${l.snapshotPolls} | ${f(l.snapshotPolls / l.changes)} | ${l.totalPerMinute} | ${ops} |`);
  }
  L.push('', '**Tab death → master topic freed** (another tab told).', '');
  L.push('| how | iterations | median ms | p95 ms |', '|---|---|---|---|');
  for (const l of r.liveness) L.push(`| ${l.how} | ${l.iterations} | ${f(l.median, 1)} | ${f(l.p95, 1)} |`);
  if (r.failover) {
    const fo = r.failover;
    L.push('', `**Leader death (fallback) → every surviving tab welcomed by the new leader** (5 tabs; ${fo.kills} kills, close and crash in turn; every tab received a change afterwards: ${fo.liveAfter ? 'yes' : '**no**'}).`, '');
    L.push('| how | kills | median ms | p95 ms |', '|---|---|---|---|');
    for (const [how, x] of Object.entries(fo.byHow)) L.push(`| ${how} | ${x.n} | ${f(x.median, 1)} | ${f(x.p95, 1)} |`);
    L.push(`| all | ${fo.kills} | ${f(fo.median, 1)} | ${f(fo.p95, 1)} (max ${f(fo.max, 1)}) |`);
  }
  L.push('', '**Footprint**', '', '| bundle | min KB | gzip KB |', '|---|---|---|');
  for (const b of r.footprint.bundles) L.push(`| ${b.file} | ${kb(b.minBytes)} | ${kb(b.gzipBytes)} |`);
  L.push('', 'connect-streams-min.js by origin (minified bytes from its source map; gzip of each part alone, so they do not add up to the bundle\'s):', '');
  L.push('| part | min KB | gzip alone KB |', '|---|---|---|');
  for (const g of r.footprint.clientGroups) L.push(`| ${g.module} | ${kb(g.minBytes)} | ${kb(g.gzipAlone)} |`);
  L.push('', 'Heaviest modules: ' + r.footprint.clientModules.slice(0, 12).map((m) => `${m.module} ${kb(m.minBytes)}`).join(', ') + ' (KB, minified).');
  L.push('', '**Memory** (after forced GC)', '', '| what | MB |', '|---|---|');
  if (r.tabHeap) L.push(`| tab heap growth over ${r.tabHeap.updates} updates (${f(r.tabHeap.seconds, 0)} s; ${mb(r.tabHeap.beforeBytes)} → ${mb(r.tabHeap.afterBytes)}) | ${mb(r.tabHeap.growthBytes)} |`);
  for (const m of r.engineMemory) L.push(`| ${PATH_NAMES[m.path]}: ${m.where} heap with ${m.tabs} tabs | ${mb(m.engineHeapBytes)} |`);
  if (r.scale) {
    const s = r.scale;
    L.push('', `**Backend scale**: one backend process, ${s.agents} agents each holding a long poll (${s.held} held), ${s.samples} sampled changes (control call → that agent's poll answer).`, '');
    L.push('| p50 ms | p99 ms | max ms | backend CPU while holding, % of one core | backend RSS MB |', '|---|---|---|---|---|');
    L.push(`| ${f(s.p50)} | ${f(s.p99)} | ${f(s.max)} | ${f(s.idleCpuPercent, 1)} | ${f(s.rssMb, 0)} |`);
  }
  if (r.phases?.length) L.push('', `**Run time** by phase, s: ${r.phases.map((p) => `${p.name} ${f(p.seconds, 1)}`).join(', ')}.`);
  L.push('', '**Targets**', '', '| figure | value | target | met |', '|---|---|---|---|');
  for (const [k, v] of Object.entries(r.targets)) L.push(`| ${k} | ${f(v.value)} | ${v.target} | ${v.met ? 'yes' : '**no**'} |`);
  return `${L.join('\n')}\n`;
}
