/**
 * Backend load against tab count: the same scripted changes with N tabs open; CTI requests of that agent counted by
 * operation from the backend's `/sim/stats` (and scaled to a minute). One poll loop per browser means the counts do
 * not grow with tabs.
 */
import type { Path } from './latency';
import type { Backend } from './harness';

export interface LoadRow {
  path: Path;
  tabs: number;
  windowMs: number;
  changes: number;
  /** Requests in the window, by operation. */
  byOperation: Record<string, number>;
  /** The same, per minute. */
  perMinute: Record<string, number>;
  snapshotPolls: number;
  total: number;
  totalPerMinute: number;
}

export interface Stats { agents: Record<string, Record<string, number>> }

/** The backend's CTI request counters of one agent, by operation (`/sim/stats`). */
export async function agentStats(backend: Backend, username: string): Promise<Record<string, number>> {
  return (await backend.control<Stats>('GET', '/sim/stats')).agents[username] ?? {};
}

/**
 * The agent's CTI requests between two readings of its counters, `changes` scripted changes made in between over
 * `elapsedMs`. The benchmark reads them around its CPU windows at 1 and 20 tabs (bench/cpu.ts): the same 10 changes,
 * 150 ms apart, with nothing else touching the tabs.
 *
 * @example
 * loadRow('ours', 20, 10, { GetAgentSnapshot: 5 }, { GetAgentSnapshot: 15 }, 2_000).snapshotPolls; // 10
 */
export function loadRow(path: Path, tabs: number, changes: number, before: Record<string, number>, after: Record<string, number>,
  elapsedMs: number): LoadRow {
  const byOperation = Object.fromEntries(Object.entries(after)
    .filter(([op]) => /^[A-Z]/.test(op))
    .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
    .filter(([, n]) => n > 0));
  const scale = 60_000 / elapsedMs;
  const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
  return {
    path, tabs, windowMs: elapsedMs, changes, byOperation,
    perMinute: Object.fromEntries(Object.entries(byOperation).map(([k, v]) => [k, Math.round(v * scale * 10) / 10])),
    snapshotPolls: byOperation['GetAgentSnapshot'] ?? 0,
    total, totalPerMinute: Math.round(total * scale * 10) / 10,
  };
}
