/**
 * Backend load against tab count: the same scripted changes over the same window, with 1 tab and with N tabs;
 * CTI requests counted by operation from the backend's `/sim/stats`. One poll loop per browser means the counts
 * do not grow with tabs.
 */
import type { BrowserContext } from 'playwright';
import { openBenchTabs, progress, type Backend } from './harness';

export interface LoadRow {
  tabs: number;
  windowMs: number;
  changes: number;
  byOperation: Record<string, number>;
  snapshotPolls: number;
  total: number;
}

interface Stats { operations: Record<string, number> }

/** Sends `changes` chat messages spread over `windowMs`, counting CTI requests meanwhile. */
async function changeWindow(backend: Backend, contactId: string, changes: number, windowMs: number): Promise<Record<string, number>> {
  await backend.control('POST', '/sim/stats/reset');
  const gap = windowMs / changes;
  for (let i = 0; i < changes; i++) {
    await backend.control('POST', `/sim/contacts/${contactId}/message`, { text: `load ${i}` });
    await new Promise((r) => setTimeout(r, gap));
  }
  return (await backend.control<Stats>('GET', '/sim/stats')).operations;
}

export async function measureLoad(backend: Backend, contextFor: () => Promise<BrowserContext>, contactId: string, tabCounts: number[], changes: number, windowMs: number): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const n of tabCounts) {
    progress(`backend load: ${n} tab(s), ${changes} changes over ${windowMs / 1000} s`);
    const context = await contextFor();
    await openBenchTabs(context, backend.url, n);
    const ops = await changeWindow(backend, contactId, changes, windowMs);
    const cti = Object.fromEntries(Object.entries(ops).filter(([op]) => /^[A-Z]/.test(op)));
    rows.push({
      tabs: n, windowMs, changes, byOperation: cti,
      snapshotPolls: cti['GetAgentSnapshot'] ?? 0,
      total: Object.values(cti).reduce((a, b) => a + b, 0),
    });
    await context.close();
  }
  return rows;
}
