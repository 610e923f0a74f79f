/**
 * The BroadcastChannel fallback in a real browser: SharedWorker removed by an init script, every tab of the context
 * elects one leader with Web Locks, the leader hosts the engine, and failover (close, crash, freeze) loses nothing.
 * Also: the automatic choice, and the forced in-page transport.
 */
import type { Page } from '@playwright/test';
import {
  test, expect, expectConsistent, recordEvents, recordedEvents, tabState, waitForAgent, closeTab, crashTab, freezeTab,
  resumeTab, setState, trySetState, withoutSharedWorker, type BackendControl,
} from './fixtures';

interface Info { transport: string; epoch?: number; leader?: boolean }
interface PollerRecord { count: number; first: number; last: number }

function info(page: Page): Promise<Info | null> {
  return page.evaluate(() => window.connect.core.getTransportInfo() as Info | null);
}

/** Waits until exactly one of `tabs` leads, all under the same epoch (above `after`), and returns the leader. */
async function singleLeader(tabs: Page[], after = 0, timeout = 15_000): Promise<{ leader: Page; epoch: number }> {
  let found: { leader: Page; epoch: number } | null = null;
  await expect.poll(async () => {
    const infos = await Promise.all(tabs.map(info));
    const epochs = new Set(infos.map((i) => i?.epoch));
    const leaders = infos.flatMap((i, n) => (i?.leader ? [n] : []));
    if (epochs.size !== 1 || leaders.length !== 1) return `epochs ${[...epochs].join(',')}, leaders ${leaders.length}`;
    const epoch = infos[0]?.epoch ?? 0;
    if (epoch <= after) return `still epoch ${epoch}`;
    found = { leader: tabs[leaders[0]!]!, epoch };
    return 'ok';
  }, { timeout, intervals: [50], message: 'one leader under one epoch' }).toBe('ok');
  return found!;
}

/** Records, in the page, when each `transport` event (a change of leader) arrived. */
async function recordTransport(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __transport?: { t: number; epoch?: number }[] };
    w.__transport = [];
    window.connect.core.getEventBus().subscribe('transport', (d: { epoch?: number }) => {
      w.__transport!.push({ t: Date.now(), epoch: d.epoch });
    });
  });
}

/** When the page was first welcomed by the engine of an epoch above `epoch` (epoch ms), or null. */
function adoptedAt(page: Page, epoch: number): Promise<number | null> {
  return page.evaluate((e) => {
    const w = window as unknown as { __transport?: { t: number; epoch?: number }[] };
    return w.__transport?.find((x) => (x.epoch ?? 0) > e)?.t ?? null;
  }, epoch);
}

/** Waits until every page was welcomed by a leader newer than `epoch`; the time from `since` to the last welcome. */
async function failoverMs(pages: Page[], epoch: number, since: number): Promise<number> {
  let times: (number | null)[] = [];
  await expect.poll(async () => {
    times = await Promise.all(pages.map((p) => adoptedAt(p, epoch)));
    return times.every((t) => t !== null);
  }, { intervals: [50], message: 'every tab welcomed by the new leader' }).toBe(true);
  return Math.max(...times.map((t) => t! - since));
}

/**
 * Suspends a tab as a frozen one is: no timer, no message handler runs, its locks stay held. Headless Chromium does
 * not freeze a visible page on `Page.setWebLifecycleState` (measured: its timers keep running), so the lifecycle
 * freeze is backed by pausing the page's JavaScript in the debugger, which stops the same things. Returns `wake`.
 */
async function suspendTab(page: Page): Promise<() => Promise<void>> {
  await freezeTab(page); // lifecycle frozen + JavaScript paused (see e2e/fixtures/cdp.ts)
  return () => resumeTab(page);
}

/** Per engine, the GetAgentSnapshot calls it started (backend truth). */
async function pollers(backend: BackendControl): Promise<[string, PollerRecord][]> {
  const stats = await backend.stats() as unknown as { pollers: Record<string, Record<string, PollerRecord>> };
  return Object.entries(stats.pollers.agent1 ?? {}).sort((a, b) => a[1].first - b[1].first);
}

/** No two engines started polls in overlapping periods: each engine's first poll comes after the previous one's last. */
async function expectOnePollerAtATime(backend: BackendControl): Promise<[string, PollerRecord][]> {
  const engines = await pollers(backend);
  for (let i = 1; i < engines.length; i++) {
    const [prevId, prev] = engines[i - 1]!;
    const [id, next] = engines[i]!;
    expect(next.first, `engine ${id} started polling while ${prevId} still did`).toBeGreaterThanOrEqual(prev.last);
  }
  return engines;
}

function engineIdOf(page: Page): Promise<string> {
  return page.evaluate(async () => (await window.connect.core.inspect()).engineId);
}


function accept(page: Page, contactId: string): Promise<void> {
  return page.evaluate((id) => new Promise<void>((resolve, reject) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id)!;
    c.accept({ success: () => resolve(), failure: (e) => reject(new Error(`${e.type}: ${e.message}`)) });
  }), contactId);
}

test.beforeEach(async ({ backend }) => { await backend.resetStats(); }); // poll records of this test only

test.describe('without SharedWorker', () => {
  test.beforeEach(async ({ context }) => { await withoutSharedWorker(context); });

  test('auto picks broadcast; five tabs hold identical state through backend changes and tab actions', async ({ openTabs, backend }) => {
    const tabs = await openTabs(5);
    for (const t of tabs) expect((await info(t))?.transport).toBe('broadcast');
    await singleLeader(tabs);
    await expectConsistent(tabs);

    await setState(tabs[2]!, 'Available');
    await expectConsistent(tabs, { stateName: 'Available' });
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice', from: '+15550100' });
    await expectConsistent(tabs, { contacts: 1 });
    await accept(tabs[4]!, contactId);
    await expect.poll(async () => (await tabState(tabs[0]!)).data?.snapshot.contacts[0]?.state.type).toBe('connected');
    await expectConsistent(tabs, { contacts: 1 });
    await backend.hangup(contactId);
    await expectConsistent(tabs, { stateName: 'AfterCallWork' });

    const truth = await backend.agent('agent1');
    const final = await tabState(tabs[0]!);
    expect(final.data!.snapshot.state.name).toBe(truth.state.name);
    expect(final.data!.snapshot.contacts.map((c) => c.contactId)).toEqual(truth.contacts.map((c) => c.contactId));
    expect(await pollers(backend)).toHaveLength(1); // one engine for five tabs
  });

  for (const how of ['closed', 'crashed'] as const) {
    test(`a ${how} leader is replaced at once and every tab keeps receiving changes`, async ({ openTabs, backend }) => {
      const tabs = await openTabs(5);
      const { leader, epoch } = await singleLeader(tabs);
      const survivors = tabs.filter((t) => t !== leader);
      for (const t of survivors) await recordTransport(t);
      for (const t of survivors) await recordEvents(t);

      const killedAt = Date.now();
      if (how === 'closed') await closeTab(leader); else await crashTab(leader);
      const next = await singleLeader(survivors, epoch);
      const took = await failoverMs(survivors, epoch, killedAt);
      test.info().annotations.push({ type: 'failover', description: `${how}: every tab on epoch ${next.epoch} after ${took} ms` });
      console.log(`[fallback] leader ${how}: every tab welcomed by the new leader after ${took} ms`);
      // The new engine started from the state the tabs hold and confirmed it: no gap, no repeated agent or contact event.
      for (const t of survivors) await waitForAgent(t);
      for (const t of survivors) expect((await recordedEvents(t)).filter((e) => /^(agent|contact|connection)::/.test(e))).toEqual([]);

      const changedAt = Date.now();
      await backend.inbound({ username: 'agent1', type: 'chat' });
      await expectConsistent(survivors, { contacts: 1 });
      console.log(`[fallback] after ${how}: a backend change reached every tab within ${Date.now() - changedAt} ms`);
      await setState(survivors[0]!, 'Available');
      await expectConsistent(survivors, { contacts: 1 });
      expect(await pollers(backend)).toHaveLength(2);
      await expectOnePollerAtATime(backend);
    });
  }

  test('an accept in flight while the leader is killed is applied exactly once', async ({ openTabs, backend }) => {
    const tabs = await openTabs(3);
    const { leader } = await singleLeader(tabs);
    const follower = tabs.find((t) => t !== leader)!;
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectConsistent(tabs, { contacts: 1 });
    await backend.resetStats();
    // The backend holds AcceptContact for 2.5 s: long enough to kill the leader while the call is in flight.
    await backend.fault({ latencyMs: 2500, operations: ['AcceptContact'] });
    const accepted = accept(follower, contactId).then(() => 'ok', (e: Error) => e.message);
    await expect.poll(async () => (await backend.stats()).operations.AcceptContact ?? 0).toBe(1);
    await closeTab(leader);

    expect(await accepted).toBe('ok');
    const truth = await backend.agent('agent1');
    expect(truth.contacts.find((c) => c.contactId === contactId)?.state.type).toBe('connected');
    const stats = await backend.stats() as unknown as { operations: Record<string, number>; applied: Record<string, number> };
    expect(stats.operations.AcceptContact).toBe(2); // the old leader's call, and the same request re-sent by the new one
    expect(stats.applied.AcceptContact).toBe(1); // one key: applied once
    const survivors = tabs.filter((t) => t !== leader);
    await expect.poll(async () => (await tabState(survivors[0]!)).data?.snapshot.contacts[0]?.state.type).toBe('connected');
    await expectConsistent(survivors, { contacts: 1 });
    await expectOnePollerAtATime(backend);
  });

  test('an action taken on the persisted state, before the tab\'s engine answers, waits for it and goes through', async ({ openTabs, backend }) => {
    // A new tab renders the persisted state (and raises connect.agent) at once; here its engine cannot answer for ~2 s
    // (the leader is frozen until the new tab steals the lock). The action used to fail at once: NotConnectedError.
    const [first] = await openTabs(1);
    await expect.poll(() => first!.evaluate(() => indexedDB.databases().then((d) => d.length)), { message: 'state persisted' })
      .toBeGreaterThan(0);
    await first!.waitForTimeout(500); // the engine's coalesced write (250 ms) has landed
    const wake = await suspendTab(first!);
    try {
      const [late] = await openTabs(1, '/ccp', { waitForAgent: false });
      await late!.waitForFunction(() => window.connect?.core?.getState().stale === true, undefined, { timeout: 10_000 });
      expect(await late!.evaluate(() => window.connect.core.getTransportInfo()?.epoch ?? null), 'not yet welcomed').toBeNull();
      expect(await trySetState(late!, 'Lunch')).toBe('ok');
      expect((await backend.agent('agent1')).state.name).toBe('Lunch');
      await expectConsistent([late!], { stateName: 'Lunch' });
    } finally {
      await wake();
    }
  });

  test('a follower frozen for less than the delivery deadline gets every change made meanwhile', async ({ openTabs }) => {
    // The freeze pauses the page in the debugger, and this Chromium drops the BroadcastChannel messages that arrive
    // meanwhile (a MessagePort queues them). The follower used to keep the older version until the next change; the
    // engine's ACK now carries its version, and a tab behind it asks for the whole state.
    const tabs = await openTabs(3);
    const { leader } = await singleLeader(tabs);
    const follower = tabs.find((t) => t !== leader)!;
    const start = (await tabState(leader)).data!.snapshot.state.name;
    await freezeTab(follower);
    try {
      // Two changes that end where they started: only the version tells whether the follower got them.
      await setState(leader, start === 'Lunch' ? 'Training' : 'Lunch');
      await setState(leader, start);
      await expectConsistent(tabs.filter((t) => t !== follower), { stateName: start });
    } finally {
      await resumeTab(follower);
    }
    await expectConsistent(tabs, { stateName: start });
  });

  test('a frozen leader is replaced; when it wakes up it does not act as leader', async ({ openTabs, backend }) => {
    const tabs = await openTabs(4);
    const { leader, epoch } = await singleLeader(tabs);
    const frozenEngine = await engineIdOf(leader);
    const others = tabs.filter((t) => t !== leader);
    for (const t of others) await recordTransport(t);

    const frozenAt = Date.now();
    const wake = await suspendTab(leader);
    try {
      const next = await singleLeader(others, epoch, 20_000);
      console.log(`[fallback] leader frozen: every other tab on epoch ${next.epoch} after ${await failoverMs(others, epoch, frozenAt)} ms`);
      await backend.inbound({ username: 'agent1', type: 'chat' });
      await expectConsistent(others, { contacts: 1 });
    } finally {
      await wake();
    }
    const resumedAt = Date.now();
    // The woken tab learns it lost the lock, stops its engine, follows the new leader and catches up.
    const after = await singleLeader(tabs, epoch);
    expect(after.leader).not.toBe(leader);
    await expectConsistent(tabs, { contacts: 1 });
    await backend.inbound({ username: 'agent1', type: 'chat' });
    await expectConsistent(tabs, { contacts: 2 });

    const engines = await expectOnePollerAtATime(backend);
    const old = engines.find(([id]) => id === frozenEngine)?.[1];
    expect(old, 'the frozen engine had polled').toBeDefined();
    expect(old!.last, 'the woken engine started no poll').toBeLessThan(resumedAt);
    expect(old!.last).toBeLessThan(frozenAt);
  });
});

test('the automatic choice is the SharedWorker where it works', async ({ openTabs }) => {
  const [tab] = await openTabs(1);
  expect(await info(tab!)).toEqual({ transport: 'shared-worker' });
});

test('transport: in-page runs the engine in the tab itself', async ({ page, backend }) => {
  // A page of the CCP origin that starts the library with the transport forced.
  await page.route('**/in-page-test', (route) => route.fulfill({
    contentType: 'text/html',
    body: '<!doctype html><script src="/connect-streams.js"></script>'
      + '<script>connect.core.initSharedWorker({ role: "page", transport: "in-page" });</script>',
  }));
  await backend.resetStats();
  await page.goto('/in-page-test');
  await expectConsistent([page]);
  expect(await info(page)).toEqual({ transport: 'in-page' });
  const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
  await expectConsistent([page], { contacts: 1 });
  await accept(page, contactId);
  await expect.poll(async () => (await tabState(page)).data?.snapshot.contacts[0]?.state.type).toBe('connected');
  expect(await pollers(backend)).toHaveLength(1);
});
