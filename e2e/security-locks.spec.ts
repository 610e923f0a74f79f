/**
 * Web Locks are per origin: any page of the CCP origin can see (`navigator.locks.query()`) and steal the engine's
 * lock and each tab's liveness lock. Such a page must not cause a reconnect storm (tabs read a released engine lock
 * as "the worker died") nor cut a tab off for good (the engine reads a released tab lock as "the tab is gone").
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForAgent } from './fixtures';

const ENGINE_LOCK_PREFIX = 'connect-sync:engine:';
const TAB_LOCK_PREFIX = 'connect-sync:tab:';

/** Counts the SharedWorker connections each tab opens (`window.__workerConnects`): one per connect or reconnect. */
async function countWorkerConnects(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.SharedWorker;
    if (!Original) return;
    const w = window as unknown as { __workerConnects: number };
    w.__workerConnects = 0;
    window.SharedWorker = class extends Original {
      constructor(url: string | URL, options?: string | WorkerOptions) {
        super(url, options);
        w.__workerConnects++;
      }
    } as typeof SharedWorker;
  });
}

const connects = (p: Page): Promise<number> => p.evaluate(() => (window as unknown as { __workerConnects: number }).__workerConnects);

/** From a page of the CCP origin: steals every lock whose name starts with `prefix`, holds it `holdMs`, lets it go. */
function stealLocks(attacker: Page, prefix: string, holdMs: number): Promise<string[]> {
  return attacker.evaluate(async ({ prefix: p, holdMs: ms }) => {
    const snapshot = await navigator.locks.query();
    const names = [...new Set((snapshot.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith(p)))];
    await Promise.all(names.map((name) => navigator.locks.request(name, { steal: true }, () => new Promise((r) => setTimeout(r, ms)))));
    return names;
  }, { prefix, holdMs });
}

async function setup(context: import('@playwright/test').BrowserContext, baseURL: string): Promise<{ tabs: Page[]; attacker: Page }> {
  const tabs: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const p = await context.newPage();
    await countWorkerConnects(p);
    await p.goto('/ccp');
    await waitForAgent(p);
    tabs.push(p);
  }
  const attacker = await context.newPage();
  await attacker.goto(`${baseURL}/healthz`); // any document of the CCP origin
  return { tabs, attacker };
}

/** Every tab still gets state: a new contact reaches each of them. */
async function expectLive(tabs: Page[], backend: import('./fixtures').BackendControl): Promise<void> {
  const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
  for (const t of tabs) {
    await expect.poll(() => t.evaluate((id) => window.connect.core.getState().data?.snapshot.contacts.some((c) => c.contactId === id) ?? false, contactId),
      { message: 'the tab hears of the new contact' }).toBe(true);
  }
}

test('a page that steals the engine lock causes at most one reconnect per tab, no storm', async ({ context, backend, baseURL }) => {
  const { tabs, attacker } = await setup(context, baseURL!);
  expect(await Promise.all(tabs.map(connects))).toEqual([1, 1]);
  // Steal and let go, then hold for a second, then let go again.
  expect(await stealLocks(attacker, ENGINE_LOCK_PREFIX, 0)).toHaveLength(1);
  await stealLocks(attacker, ENGINE_LOCK_PREFIX, 1000);
  await attacker.waitForTimeout(5000);
  const counts = await Promise.all(tabs.map(connects));
  for (const n of counts) expect(n, `SharedWorker connections per tab: ${counts.join(', ')}`).toBeLessThanOrEqual(2);
  await expectLive(tabs, backend);
});

test('a page that steals a tab\'s lock leaves that tab live, after at most one reconnect', async ({ context, backend, baseURL }) => {
  const { tabs, attacker } = await setup(context, baseURL!);
  const tabId = await tabs[0]!.evaluate(() => window.connect.core.getTabId());
  // The engine queued for the tab's lock: a stolen-and-released lock is granted to it, and it drops the tab.
  expect(await stealLocks(attacker, `${TAB_LOCK_PREFIX}${tabId}`, 500)).toEqual([`${TAB_LOCK_PREFIX}${tabId}`]);
  await attacker.waitForTimeout(3000);
  // The tab holds its lock again (or one under a fresh id) and the engine counts it.
  await expect.poll(async () => {
    const snapshot = await attacker.evaluate(() => navigator.locks.query());
    const mine = await tabs[0]!.evaluate(() => window.connect.core.getTabId());
    return (snapshot.held ?? []).some((l) => l.name === `${TAB_LOCK_PREFIX}${mine}`);
  }, { message: 'the tab holds its liveness lock again' }).toBe(true);
  await expect.poll(() => tabs[1]!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs()), { message: 'the engine counts both tabs' }).toBe(2);
  expect(await connects(tabs[0]!)).toBeLessThanOrEqual(2);
  await expectLive(tabs, backend);
});
