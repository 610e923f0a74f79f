/**
 * CPU time per change (pure arithmetic over two samples, unit-tested). A sample holds:
 * - per tab, CDP `Performance.getMetrics` of its page: `ThreadTime` (the CPU time of the tab's main thread),
 *   `TaskDuration` (the wall time of every task on it: above `ThreadTime` when 20 renderers wait for 2 cores, so the
 *   sums use `ThreadTime`) and `ScriptDuration` (the JavaScript part of the tasks), cumulative seconds since
 *   `Performance.enable`;
 * - the SharedWorker thread's on-CPU time (Linux `/proc/<pid>/task/<tid>/schedstat`, ns): Chromium has no
 *   `Performance` domain on worker targets, so the engine's thread is read from the kernel instead;
 * - every thread of every Chromium process (same source, ns): the whole browser, IPC routing included.
 * The CPU a path spends per change is (after − before) / changes; the engine is the SharedWorker thread, or, in the
 * fallback, the leader tab (already among the tabs).
 */

/** The metrics read from one page, in seconds (as CDP reports them). */
export interface TargetMetrics { threadSeconds: number; taskSeconds: number; scriptSeconds: number }

export interface CpuSample {
  /** By page target id. */
  tabs: Map<string, TargetMetrics>;
  /** On-CPU ns of the SharedWorker thread(s); null where the engine runs in a tab. */
  workerNs: number | null;
  /** On-CPU ns of every Chromium thread, by `pid/tid`; empty where /proc cannot be read. */
  chromiumNs: Map<string, number>;
}

/** CPU per change, in ms. */
export interface CpuPerChange {
  /** The engine: the SharedWorker thread, or the leader tab's main thread in the fallback. */
  engineMs: number;
  /** Main-thread CPU summed over every tab (the fallback's leader included). */
  tabsCpuMs: number;
  /** Task wall time summed over every tab. */
  tabsTaskMs: number;
  /** The JavaScript part of `tabsTaskMs`. */
  tabsScriptMs: number;
  /** Engine + tabs: the SharedWorker thread plus every tab's main thread, or every tab's main thread in the fallback. */
  totalMs: number;
  /** Every thread of every Chromium process (null where /proc cannot be read). */
  chromiumMs: number | null;
}

/** Samples that cannot be subtracted: a tab missing on one side, or a counter that went backwards (a restarted
 * renderer). Either would make the figure wrong without looking wrong, so it is refused. */
export class CpuSampleError extends Error {
  readonly type = 'CpuSampleError';
}

/** Picks the two metrics out of a `Performance.getMetrics` answer; a missing one is an error (an older browser). */
export function targetMetrics(answer: { metrics: { name: string; value: number }[] }): TargetMetrics {
  const get = (name: string): number => {
    const m = answer.metrics.find((x) => x.name === name);
    if (!m || !Number.isFinite(m.value)) throw new CpuSampleError(`Performance.getMetrics has no ${name}`);
    return m.value;
  };
  return { threadSeconds: get('ThreadTime'), taskSeconds: get('TaskDuration'), scriptSeconds: get('ScriptDuration') };
}

/** The first field of a `/proc/…/schedstat` line: ns spent on a CPU. */
export function schedstatNs(line: string): number {
  const ns = Number(line.trim().split(/\s+/)[0]);
  if (!Number.isFinite(ns)) throw new CpuSampleError(`not a schedstat line: ${JSON.stringify(line)}`);
  return ns;
}

function nonNegative(d: number, what: string): number {
  if (d < 0) throw new CpuSampleError(`the counters of ${what} went backwards (restarted target?)`);
  return d;
}

/**
 * (after − before) / changes, in ms. `engineTab`: the tab that hosts the engine (fallback).
 * Chromium threads that ended within the window are left out and new ones counted from 0 (a thread pool worker that
 * comes and goes costs little; a renderer that crashed would already have failed the tab check).
 *
 * @example
 * const s = (cpu: number, ns: number) => ({ tabs: new Map([['t1', { threadSeconds: cpu, taskSeconds: cpu, scriptSeconds: 0 }]]), workerNs: ns, chromiumNs: new Map() });
 * cpuPerChange(s(1, 0), s(1.02, 10e6), 10).totalMs; // 3: 2 ms of the tab's thread + 1 ms of the worker's per change
 */
export function cpuPerChange(before: CpuSample, after: CpuSample, changes: number, engineTab?: string): CpuPerChange {
  if (!(changes > 0)) throw new CpuSampleError(`changes must be positive, got ${changes}`);
  const keys = [...before.tabs.keys()];
  if (before.tabs.size !== after.tabs.size || keys.some((k) => !after.tabs.has(k))) {
    throw new CpuSampleError(`the samples cover different tabs (${keys.join(',')} / ${[...after.tabs.keys()].join(',')})`);
  }
  if (engineTab !== undefined && !before.tabs.has(engineTab)) throw new CpuSampleError(`the engine's tab ${engineTab} is not sampled`);
  if ((before.workerNs === null) !== (after.workerNs === null)) throw new CpuSampleError('the worker thread appeared or vanished');
  let thread = 0;
  let task = 0;
  let script = 0;
  let engineThread = 0;
  for (const k of keys) {
    const b = before.tabs.get(k)!;
    const a = after.tabs.get(k)!;
    const dThread = nonNegative(a.threadSeconds - b.threadSeconds, `tab ${k}`);
    thread += dThread;
    task += nonNegative(a.taskSeconds - b.taskSeconds, `tab ${k}`);
    script += nonNegative(a.scriptSeconds - b.scriptSeconds, `tab ${k}`);
    if (k === engineTab) engineThread = dThread;
  }
  const workerMs = before.workerNs === null ? 0 : nonNegative(after.workerNs! - before.workerNs, 'the worker thread') / 1e6;
  let chromiumNs = 0;
  for (const [k, ns] of after.chromiumNs) chromiumNs += Math.max(0, ns - (before.chromiumNs.get(k) ?? 0));
  const per = (ms: number) => ms / changes;
  const tabsCpuMs = per(thread * 1000);
  const engineMs = engineTab !== undefined ? per(engineThread * 1000) : per(workerMs);
  return {
    engineMs,
    tabsCpuMs,
    tabsTaskMs: per(task * 1000),
    tabsScriptMs: per(script * 1000),
    totalMs: engineTab !== undefined ? tabsCpuMs : tabsCpuMs + engineMs,
    chromiumMs: after.chromiumNs.size === 0 ? null : per(chromiumNs / 1e6),
  };
}

/** a / b, or NaN where either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number {
  return a == null || b == null || !(b > 0) ? NaN : a / b;
}

/** A measured CPU cell, as far as the comparison needs it. */
export interface CpuCellLike { path: string; tabs: number; contacts: number; engine: CpuPerChange; floor: CpuPerChange | null }

/** One tab count and snapshot size: each path's engine + tabs ms per change, the floors, and the ratios. */
export interface CpuComparison {
  tabs: number;
  contacts: number;
  ours: number;
  original: number;
  /** The raw whole-state post from the same worker (ours' floor; the original design's too). */
  floor: number;
  broadcast: number;
  broadcastFloor: number;
  oursVsOriginal: number;
  oursVsFloor: number;
  originalVsFloor: number;
  broadcastVsFloor: number;
}

/**
 * Lines the cells of the three paths up by tab count and snapshot size (`totalMs`: engine + tabs). A missing cell
 * gives NaN (rendered as –), never a made-up figure.
 */
export function compareCpu(cells: CpuCellLike[]): CpuComparison[] {
  const keys = [...new Map(cells.map((c) => [`${c.contacts}/${c.tabs}`, c] as const)).values()]
    .map((c) => ({ tabs: c.tabs, contacts: c.contacts }))
    .sort((a, b) => a.contacts - b.contacts || a.tabs - b.tabs);
  return keys.map(({ tabs, contacts }) => {
    const at = (path: string) => cells.find((c) => c.path === path && c.tabs === tabs && c.contacts === contacts);
    const ours = at('ours')?.engine.totalMs ?? NaN;
    const original = at('baseline')?.engine.totalMs ?? NaN;
    const floor = at('ours')?.floor?.totalMs ?? NaN;
    const broadcast = at('broadcast')?.engine.totalMs ?? NaN;
    const broadcastFloor = at('broadcast')?.floor?.totalMs ?? NaN;
    return {
      tabs, contacts, ours, original, floor, broadcast, broadcastFloor,
      oursVsOriginal: ratio(ours, original), oursVsFloor: ratio(ours, floor), originalVsFloor: ratio(original, floor),
      broadcastVsFloor: ratio(broadcast, broadcastFloor),
    };
  });
}
