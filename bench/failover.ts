/**
 * Fallback failover: `tabs` tabs on the BroadcastChannel transport; the leader is killed (closed, then crashed, in
 * turn) and the time until every surviving tab was welcomed by the new leader's engine (its `transport` event with a
 * higher epoch, as e2e/fallback.spec.ts observes it) is measured; a new tab then replaces the dead one. At the end a
 * backend change checks that every tab still receives changes.
 */
import type { BrowserContext, Page } from 'playwright';
import { median, now, openBenchTabs, progress, quantile, type Backend } from './harness';

export interface FailoverRow {
  kills: number;
  byHow: Record<'close' | 'crash', { n: number; median: number; p95: number }>;
  median: number;
  p95: number;
  max: number;
  /** Every tab got the change made after the last kill. */
  liveAfter: boolean;
}

interface Info { transport: string; epoch?: number; leader?: boolean }
type W = Record<string, unknown>;

const info = (p: Page): Promise<Info | null> => p.evaluate(() => window.connect.core.getTransportInfo() as Info | null);

/** Exactly one leader, all tabs on one epoch. */
async function settled(tabs: Page[], timeoutMs = 15_000): Promise<{ leader: Page; epoch: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(tabs.map(info));
    const epochs = new Set(infos.map((i) => i?.epoch));
    const leaders = infos.flatMap((i, n) => (i?.leader ? [n] : []));
    if (epochs.size === 1 && leaders.length === 1) return { leader: tabs[leaders[0]!]!, epoch: infos[0]!.epoch ?? 0 };
    if (Date.now() > end) throw new Error('no single leader');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function crash(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash', { timeout: 10_000 });
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

/** Every page's first welcome from an engine of an epoch above `epoch` (epoch ms). */
async function welcomedAfter(pages: Page[], epoch: number, timeoutMs = 15_000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const times = await Promise.all(pages.map((p) => p.evaluate((e) =>
      ((window as unknown as W).__transport as { t: number; epoch?: number }[]).find((x) => (x.epoch ?? 0) > e)?.t ?? null, epoch)));
    if (times.every((t) => t !== null)) return times as number[];
    if (Date.now() > end) throw new Error('not every tab was welcomed by a new leader');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function measureFailover(context: BrowserContext, backend: Backend, contactId: string, tabCount: number, kills: number): Promise<FailoverRow> {
  const tabs = await openBenchTabs(context, backend.url, tabCount);
  const times: Record<'close' | 'crash', number[]> = { close: [], crash: [] };
  for (let i = 0; i < kills; i++) {
    const how = i % 2 === 0 ? 'close' : 'crash';
    progress(`leader death (${how}) → every tab on the new leader: ${i + 1}/${kills}`);
    const { leader, epoch } = await settled(tabs);
    const survivors = tabs.filter((t) => t !== leader);
    const t0 = now();
    if (how === 'close') await leader.close({ runBeforeUnload: true }); else await crash(leader);
    const welcomed = await welcomedAfter(survivors, epoch);
    times[how].push(Math.max(...welcomed) - t0);
    if (how === 'crash') await leader.close().catch(() => undefined);
    tabs.splice(tabs.indexOf(leader), 1);
    tabs.push(...await openBenchTabs(context, backend.url, 1));
  }
  const version = Math.max(...await Promise.all(tabs.map((p) => p.evaluate(() => window.connect.core.getState().version))));
  await backend.control('POST', `/sim/contacts/${contactId}/message`, { text: 'after failover' });
  let liveAfter = false;
  for (let k = 0; k < 100 && !liveAfter; k++) {
    await new Promise((r) => setTimeout(r, 100));
    const vs = await Promise.all(tabs.map((p) => p.evaluate(() => window.connect.core.getState().version)));
    liveAfter = vs.every((v) => v > version);
  }
  const all = [...times.close, ...times.crash];
  const row = (xs: number[]) => ({ n: xs.length, median: median(xs), p95: quantile(xs, 0.95) });
  return { kills, byHow: { close: row(times.close), crash: row(times.crash) }, median: median(all), p95: quantile(all, 0.95), max: Math.max(...all), liveAfter };
}
