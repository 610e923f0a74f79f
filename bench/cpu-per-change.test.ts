import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCpu, cpuPerChange, CpuSampleError, ratio, schedstatNs, targetMetrics, type CpuPerChange, type CpuSample } from './cpu-per-change';

/** Tabs as [ThreadTime, ScriptDuration] seconds; TaskDuration is ThreadTime × 1.5 (tasks waiting for a core). */
const sample = (tabs: Record<string, [thread: number, script: number]>, workerNs: number | null, chromium: Record<string, number> = {}): CpuSample => ({
  tabs: new Map(Object.entries(tabs).map(([k, [threadSeconds, scriptSeconds]]) => [k, { threadSeconds, taskSeconds: threadSeconds * 1.5, scriptSeconds }])),
  workerNs,
  chromiumNs: new Map(Object.entries(chromium)),
});

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

describe('CPU per change from metric samples', () => {
  test('sums every tab\'s main-thread CPU delta and the worker thread, per change, in ms', () => {
    const before = sample({ t0: [1.0, 0.5], t1: [2.0, 1.0] }, 5e6);
    const after = sample({ t0: [1.01, 0.504], t1: [2.03, 1.006] }, 25e6);
    const c = cpuPerChange(before, after, 10);
    close(c.tabsCpuMs, 4); // (10 ms + 30 ms) / 10
    close(c.tabsTaskMs, 6); // the tasks' wall time, reported beside it, not summed
    close(c.tabsScriptMs, 1); // (4 ms + 6 ms) / 10
    close(c.engineMs, 2); // 20 ms of the worker thread / 10
    close(c.totalMs, 6);
    assert.equal(c.chromiumMs, null, 'no /proc figures: no Chromium total');
  });

  test('in the fallback the engine is the leader tab, already among the tabs (not counted twice)', () => {
    const c = cpuPerChange(sample({ leader: [1, 0], t1: [1, 0] }, null), sample({ leader: [1.02, 0], t1: [1.01, 0] }, null), 5, 'leader');
    close(c.engineMs, 4);
    close(c.tabsCpuMs, 6);
    close(c.totalMs, 6);
  });

  test('the Chromium total counts threads that started in the window from 0 and leaves out those that ended', () => {
    const c = cpuPerChange(sample({ t: [0, 0] }, 0, { '1/1': 10e6, '1/2': 5e6 }), sample({ t: [0, 0] }, 0, { '1/1': 14e6, '1/3': 2e6 }), 2);
    close(c.chromiumMs!, 3); // (4 ms + 2 ms) / 2
  });

  test('refuses samples of different tabs, counters that went backwards, and no changes', () => {
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, 0), sample({ b: [0, 0] }, 0), 1), CpuSampleError);
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, 0), sample({ a: [0, 0], b: [0, 0] }, 0), 1), CpuSampleError);
    assert.throws(() => cpuPerChange(sample({ a: [2, 0] }, 0), sample({ a: [1, 0] }, 0), 1), /backwards/);
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, 10), sample({ a: [0, 0] }, 5), 1), /backwards/);
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, 0), sample({ a: [0, 0] }, null), 1), CpuSampleError);
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, 0), sample({ a: [0, 0] }, 0), 0), /positive/);
    assert.throws(() => cpuPerChange(sample({ a: [0, 0] }, null), sample({ a: [0, 0] }, null), 1, 'leader'), /not sampled/);
  });

  test('reads the three metrics out of a getMetrics answer, and refuses an answer without them', () => {
    const m = targetMetrics({ metrics: [{ name: 'Timestamp', value: 9 }, { name: 'ThreadTime', value: 0.2 }, { name: 'TaskDuration', value: 0.25 }, { name: 'ScriptDuration', value: 0.125 }] });
    assert.deepEqual(m, { threadSeconds: 0.2, taskSeconds: 0.25, scriptSeconds: 0.125 });
    assert.throws(() => targetMetrics({ metrics: [{ name: 'ThreadTime', value: 1 }, { name: 'TaskDuration', value: 1 }] }), /ScriptDuration/);
  });

  test('reads the on-CPU ns of a schedstat line', () => {
    assert.equal(schedstatNs('40187482 1234 56\n'), 40187482);
    assert.throws(() => schedstatNs('nonsense'), CpuSampleError);
  });
});

describe('CPU comparison across paths', () => {
  const per = (totalMs: number): CpuPerChange => ({ engineMs: 0, tabsCpuMs: totalMs, tabsTaskMs: totalMs, tabsScriptMs: 0, totalMs, chromiumMs: null });

  test('lines paths up by tabs and contacts, with ours / original and ours / floor', () => {
    const rows = compareCpu([
      { path: 'ours', tabs: 20, contacts: 1, engine: per(3), floor: per(2) },
      { path: 'baseline', tabs: 20, contacts: 1, engine: per(6), floor: null },
      { path: 'broadcast', tabs: 20, contacts: 1, engine: per(8), floor: per(4) },
      { path: 'ours', tabs: 5, contacts: 1, engine: per(1), floor: per(1) },
    ]);
    assert.deepEqual(rows.map((r) => r.tabs), [5, 20]);
    const at20 = rows[1]!;
    close(at20.oursVsOriginal, 0.5);
    close(at20.oursVsFloor, 1.5);
    close(at20.originalVsFloor, 3);
    close(at20.broadcastVsFloor, 2);
    assert.ok(Number.isNaN(rows[0]!.oursVsOriginal), 'no original cell at 5 tabs: NaN, not a figure');
  });

  test('ratio is NaN for a missing or zero denominator', () => {
    assert.ok(Number.isNaN(ratio(1, 0)));
    assert.ok(Number.isNaN(ratio(null, 1)));
    assert.equal(ratio(3, 2), 1.5);
  });
});
