/**
 * Memory: heap growth in a tab over many state updates, and the SharedWorker's heap with many tabs. Heaps are read
 * after a forced garbage collection through CDP (`HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`).
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright';
import { openBenchTabs, progress, type Backend } from './harness';

export interface TabHeapRow { updates: number; seconds: number; beforeBytes: number; afterBytes: number; growthBytes: number }

async function usedHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
}

const versionOf = (p: Page): Promise<number> => p.evaluate(() => window.connect.core.getState().version);

/**
 * Drives `updates` state versions into one tab as fast as the backend and engine go (chat messages, a few in flight:
 * consecutive ones coalesce into one long-poll answer, so versions, not messages, are counted), within `capMs`.
 */
export async function measureTabHeap(context: BrowserContext, backend: Backend, contactId: string, updates: number, capMs: number): Promise<TabHeapRow> {
  const [tab] = await openBenchTabs(context, backend.url, 1);
  const cdp = await context.newCDPSession(tab!);
  // Warm-up: the first updates create the lazily built objects (API objects, event graph) that stay.
  // At least 10 versions, one message at a time 20 ms apart: a burst sent at once coalesces into however many long-poll
  // answers the engine makes of it (after a change it waits 5 ms before re-polling), which can be fewer than 10.
  const warm = await versionOf(tab!);
  const warmDeadline = Date.now() + 30_000;
  for (let i = 0; await versionOf(tab!) < warm + 10; i++) {
    if (Date.now() > warmDeadline) throw new Error('tab heap: the tab did not follow the warm-up changes within 30 s');
    await backend.control('POST', `/sim/contacts/${contactId}/message`, { text: `warm ${i}` });
    await new Promise((r) => setTimeout(r, 20));
  }
  // The bench page keeps a stamp per refresh; clear it so that the figure is the library's, not the recorder's.
  await tab!.evaluate(() => { (window as unknown as { __refresh: unknown[] }).__refresh.length = 0; });
  const before = await usedHeap(cdp);
  const start = await versionOf(tab!);
  const started = Date.now();
  let sent = 0;
  let reached = start;
  const IN_FLIGHT = 4;
  while (reached - start < updates && Date.now() - started < capMs) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => backend.control('POST', `/sim/contacts/${contactId}/message`, { text: `u ${sent++}` })));
    if (sent % 200 < IN_FLIGHT) {
      reached = await versionOf(tab!);
      await tab!.evaluate(() => { (window as unknown as { __refresh: unknown[] }).__refresh.length = 0; });
      progress(`tab heap: ${reached - start}/${updates} updates`);
    }
  }
  await new Promise((r) => setTimeout(r, 500));
  reached = await versionOf(tab!);
  await tab!.evaluate(() => { (window as unknown as { __refresh: unknown[] }).__refresh.length = 0; });
  const after = await usedHeap(cdp);
  return { updates: reached - start, seconds: (Date.now() - started) / 1000, beforeBytes: before, afterBytes: after, growthBytes: after - before };
}

/** The heap of the SharedWorker running under `workerName` (GC forced first), via a browser CDP session. */
export async function workerHeap(browser: Browser, workerName: string): Promise<number | null> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets') as { targetInfos: { targetId: string; type: string; url: string; title: string }[] };
    const workers = targetInfos.filter((t) => t.type === 'shared_worker' && t.url.includes('connect-shared-worker'));
    const target = workers.find((t) => t.title.includes(workerName)) ?? (workers.length === 1 ? workers[0] : undefined);
    if (!target) return null;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false }) as { sessionId: string };
    let id = 0;
    const send = (method: string) => new Promise<unknown>((resolve, reject) => {
      const my = ++id;
      const onMsg = (e: { sessionId: string; message: string }) => {
        if (e.sessionId !== sessionId) return;
        const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
        if (m.id !== my) return;
        cdp.off('Target.receivedMessageFromTarget', onMsg);
        if (m.error) reject(new Error(m.error.message)); else resolve(m.result);
      };
      cdp.on('Target.receivedMessageFromTarget', onMsg);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: my, method }) }).catch(reject);
    });
    await send('HeapProfiler.collectGarbage').catch(() => undefined);
    const r = await send('Runtime.getHeapUsage') as { usedSize: number };
    return r.usedSize;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** A page's heap after GC (the fallback leader hosts the engine). */
export async function pageHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await usedHeap(cdp);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export { openBenchTabs };
