/**
 * Tab death → master topic freed: a tab holds a topic, another tab waits for it; the holder is closed (pagehide →
 * `bye`) or crashed (only the Web Lock tells); the time until the waiting tab hears `master_changed` is measured.
 */
import type { BrowserContext, Page } from 'playwright';
import { median, now, openBenchTabs, progress, quantile } from './harness';

export interface LivenessRow {
  how: 'close' | 'crash';
  iterations: number;
  median: number;
  p95: number;
}

const TOPIC = 'connect::ringtone';

function ask(page: Page, method: 'become' | 'check'): Promise<boolean> {
  return page.evaluate(([m, t]) => new Promise<boolean>((resolve) => {
    if (m === 'become') window.connect.becomeMaster(t, () => resolve(true), () => resolve(false));
    else window.connect.ifMaster(t, () => resolve(true), () => resolve(false));
  }), [method, TOPIC] as const);
}

async function crash(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash', { timeout: 10_000 });
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

export async function measureLiveness(context: BrowserContext, url: string, how: 'close' | 'crash', iterations: number): Promise<LivenessRow> {
  const [waiter] = await openBenchTabs(context, url, 1);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    progress(`tab death (${how}) → topic freed: ${i + 1}/${iterations}`);
    const [holder] = await openBenchTabs(context, url, 1);
    await ask(holder!, 'become');
    await ask(waiter!, 'check'); // queues the waiter for the topic
    const before = await waiter!.evaluate(() => (window as unknown as { __master: unknown[] }).__master.length);
    const t0 = now();
    if (how === 'close') await holder!.close({ runBeforeUnload: true }); else await crash(holder!);
    const t = await waiter!.waitForFunction((n) => {
      const m = (window as unknown as { __master: { t: number }[] }).__master;
      return m.length > n ? m[m.length - 1]!.t : null;
    }, before, { timeout: 10_000 }).then((h) => h.jsonValue() as Promise<number>);
    times.push(t - t0);
    if (how === 'crash') await holder!.close().catch(() => undefined);
  }
  return { how, iterations, median: median(times), p95: quantile(times, 0.95) };
}
