/**
 * Backend load against tab count: the same scripted changes over the same window with N tabs open; CTI requests of
 * that agent counted by operation from the backend's `/sim/stats` and scaled to a minute. One poll loop per browser
 * means the counts do not grow with tabs.
 */
import type { Path } from './latency';
import { progress, type Backend } from './harness';

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

interface Stats { agents: Record<string, Record<string, number>> }

/** Sends `changes` chat messages spread over `windowMs` with the tabs already open, counting the agent's CTI requests. */
export async function loadWindow(backend: Backend, path: Path, username: string, contactId: string, tabs: number,
  changes: number, windowMs: number): Promise<LoadRow> {
  progress(`backend load (${path}): ${tabs} tab(s), ${changes} changes over ${windowMs / 1000} s`);
  const before = (await backend.control<Stats>('GET', '/sim/stats')).agents[username] ?? {};
  const started = Date.now();
  const gap = windowMs / changes;
  for (let i = 0; i < changes; i++) {
    await backend.control('POST', `/sim/contacts/${contactId}/message`, { text: `load ${i}` });
    await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * gap - Date.now())));
  }
  const after = (await backend.control<Stats>('GET', '/sim/stats')).agents[username] ?? {};
  const elapsed = Date.now() - started;
  const byOperation = Object.fromEntries(Object.entries(after)
    .filter(([op]) => /^[A-Z]/.test(op))
    .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
    .filter(([, n]) => n > 0));
  const scale = 60_000 / elapsed;
  const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
  return {
    path, tabs, windowMs: elapsed, changes, byOperation,
    perMinute: Object.fromEntries(Object.entries(byOperation).map(([k, v]) => [k, Math.round(v * scale * 10) / 10])),
    snapshotPolls: byOperation['GetAgentSnapshot'] ?? 0,
    total, totalPerMinute: Math.round(total * scale * 10) / 10,
  };
}
