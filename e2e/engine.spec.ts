/**
 * The sync engine in a real browser: one SharedWorker for every tab of the context, against the real backend.
 */
import {
  test, expect, expectConsistent, recordEvents, recordedEvents, tabState, waitForAgent, closeTab, crashTab,
  WorkerControl, setState,
} from './fixtures';
import type { Page } from '@playwright/test';


/** A topic of the test's own, so library features that use real topics (ringtone, login popup) do not interfere. */
const TOPIC = 'e2e::topic';

function checkMaster(page: Page, topic: string): Promise<boolean> {
  return page.evaluate((t) => new Promise<boolean>((resolve) => {
    window.connect.ifMaster(t, () => resolve(true), () => resolve(false));
  }), topic);
}

test('five tabs hold identical state and version after every change, from the backend and from a tab', async ({ openTabs, backend }) => {
  const tabs = await openTabs(5);
  await expectConsistent(tabs);

  await setState(tabs[2]!, 'Available');
  await expectConsistent(tabs, { stateName: 'Available' });

  const contactId = await backend.inbound({ username: 'agent1', type: 'voice', from: '+15550100' });
  const s1 = await expectConsistent(tabs, { contacts: 1 });
  expect(s1.data!.snapshot.contacts[0]!.contactId).toBe(contactId);

  await tabs[4]!.evaluate((id) => new Promise<void>((resolve, reject) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id)!;
    c.accept({ success: () => resolve(), failure: (e) => reject(new Error(e.message)) });
  }), contactId);
  await expect.poll(async () => (await tabState(tabs[0]!)).data?.snapshot.contacts[0]?.state.type).toBe('connected');
  await expectConsistent(tabs, { contacts: 1 });

  await backend.hangup(contactId);
  await expect.poll(async () => (await tabState(tabs[1]!)).data?.snapshot.state.name).toBe('AfterCallWork');
  await expectConsistent(tabs, { stateName: 'AfterCallWork' });

  const truth = await backend.agent('agent1');
  const final = await tabState(tabs[0]!);
  expect(final.data!.snapshot.state.name).toBe(truth.state.name);
  expect(final.data!.snapshot.contacts.map((c) => c.contactId)).toEqual(truth.contacts.map((c) => c.contactId));
});

test('GetAgentSnapshot load with five tabs equals the load with one tab', async ({ openTabs, backend }) => {
  const { contactIds: [chat] } = await backend.bulkContacts('agent1', 1);
  /** Six changes of one version each, far enough apart that each is its own long-poll answer. */
  const changes = async (): Promise<number> => {
    await new Promise((r) => setTimeout(r, 500));
    await backend.resetStats();
    for (let i = 0; i < 6; i++) {
      await backend.message(chat!, `change ${i}`);
      await new Promise((r) => setTimeout(r, 400));
    }
    return (await backend.stats()).operations['GetAgentSnapshot'] ?? 0;
  };
  const [first] = await openTabs(1);
  const one = await changes();
  const more = await openTabs(4);
  await expectConsistent([first!, ...more]);
  const five = await changes();
  expect(one).toBeGreaterThanOrEqual(6);
  // The same changes cause the same polls, whatever the number of tabs (±1 for a poll in flight at the edges).
  expect(Math.abs(five - one)).toBeLessThanOrEqual(1);
});

for (const how of ['closed', 'crashed'] as const) {
  test(`a master topic held by a ${how} tab is freed and another tab takes it`, async ({ openTabs }) => {
    const [a, b, c] = await openTabs(3);
    expect(await checkMaster(a!, TOPIC)).toBe(true);
    expect(await checkMaster(b!, TOPIC)).toBe(false);
    expect(await checkMaster(c!, TOPIC)).toBe(false);
    if (how === 'closed') await closeTab(a!); else await crashTab(a!);
    await expect.poll(async () => (await checkMaster(b!, TOPIC)) || (await checkMaster(c!, TOPIC))).toBe(true);
    // exactly one of the survivors holds it
    const holders = [await checkMaster(b!, TOPIC), await checkMaster(c!, TOPIC)];
    expect(holders.filter(Boolean)).toHaveLength(1);
    await expect.poll(() => b!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())).toBe(2);
  });
}

test('pausing the SharedWorker raises ACK_TIMEOUT in every tab; resuming restores them', async ({ openTabs, browser }) => {
  const tabs = await openTabs(3);
  for (const t of tabs) await recordEvents(t);
  const worker = await WorkerControl.attach(browser);
  await worker.pause();
  try {
    for (const t of tabs) await expect.poll(() => recordedEvents(t), { timeout: 10_000 }).toContain('ack_timeout');
  } finally {
    await worker.resume();
  }
  for (const t of tabs) {
    await expect.poll(async () => {
      const ev = await recordedEvents(t);
      return ev.lastIndexOf('acknowledge') > ev.indexOf('ack_timeout');
    }, { timeout: 10_000 }).toBe(true);
  }
  await worker.detach();
  await expectConsistent(tabs);
});

test('a new tab renders persisted state before its first ACK', async ({ openTabs, context, browser }) => {
  const [first] = await openTabs(1);
  const known = await tabState(first!);
  // Let the engine persist, then stop it from answering anyone.
  await first!.waitForTimeout(600);
  const worker = await WorkerControl.attach(browser);
  await worker.pause();
  try {
    const late = await context.newPage();
    await late.goto('/ccp');
    await late.waitForFunction(() => !!window.connect?.core?.getState?.().data, null, { timeout: 10_000 });
    const s = await tabState(late);
    expect(s.stale).toBe(true);
    expect(s.data!.snapshot.state.name).toBe(known.data!.snapshot.state.name);
    await expect(late.locator('#agent-state')).toHaveText(known.data!.snapshot.state.name);
    await worker.resume();
    await waitForAgent(late);
    expect((await tabState(late)).stale).toBe(false);
  } finally {
    await worker.resume().catch(() => undefined);
    await worker.detach();
  }
});

test('when the SharedWorker dies, every tab starts a new one and keeps receiving changes', async ({ openTabs, backend, browser }) => {
  const tabs = await openTabs(3);
  const before = await tabs[0]!.evaluate(() => window.connect.core.inspect().then((i) => i.engineId));
  const worker = await WorkerControl.attach(browser);
  await worker.evaluate('self.close()').catch(() => undefined); // the worker ends; its engine lock is released
  await worker.detach();
  await expect.poll(() => tabs[0]!.evaluate(() => window.connect.core.inspect().then((i) => i.engineId).catch(() => null)),
    { timeout: 15_000 }).not.toBe(before);
  const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
  const s = await expectConsistent(tabs, { contacts: 1 });
  expect(s.data!.snapshot.contacts[0]!.contactId).toBe(contactId);
  const info = await tabs[1]!.evaluate(() => window.connect.core.inspect());
  expect(info.tabs).toHaveLength(3);
});
