/**
 * The BroadcastChannel fallback trusts no epoch it only heard: any page of the CCP origin can post on the channel.
 * A forged heartbeat with a huge epoch used to make the leader step down and every follower follow a leader that does
 * not exist (#12); now the epoch is checked against the leader lock and the IndexedDB counter first.
 */
import type { Page } from '@playwright/test';
import { BROADCAST_CHANNEL_NAME as CHANNEL } from '../shared/broadcast-protocol';
import { test, expect, expectConsistent, setState, withoutSharedWorker } from './fixtures';

interface Info { transport: string; epoch?: number; leader?: boolean }

const info = (page: Page): Promise<Info | null> => page.evaluate(() => window.connect.core.getTransportInfo() as Info | null);

test.beforeEach(async ({ context }) => { await withoutSharedWorker(context); });

test('a forged heartbeat with a huge epoch leaves the leader leading and the fallback tabs working', async ({ openTabs, context, baseURL, backend }) => {
  const tabs = await openTabs(3);
  await expect.poll(async () => (await Promise.all(tabs.map(info))).filter((i) => i?.leader).length, { message: 'one leader' }).toBe(1);
  const before = await Promise.all(tabs.map(info));
  const epoch = before[0]!.epoch!;
  expect(before.every((i) => i?.transport === 'broadcast' && i.epoch === epoch)).toBe(true);

  const attacker = await context.newPage();
  await attacker.goto(`${baseURL}/healthz`); // any document of the CCP origin
  await attacker.evaluate((name) => {
    const ch = new BroadcastChannel(name);
    for (const e of [1e15, Number.MAX_SAFE_INTEGER, 1e15 + 2]) ch.postMessage({ kind: 'heartbeat', epoch: e, leader: 'x' });
    ch.postMessage({ kind: 'down', epoch: 1e15, to: '*', json: '{"type":"event","event":"x"}' });
  }, CHANNEL);
  await attacker.waitForTimeout(2000); // a few heartbeats and watch periods

  const after = await Promise.all(tabs.map(info));
  expect(after.map((i) => i?.epoch), 'every tab still on the real epoch').toEqual(tabs.map(() => epoch));
  expect(after.filter((i) => i?.leader)).toHaveLength(1);

  // And the tabs still work: an action from a follower and a backend change reach every tab.
  const follower = tabs[after.findIndex((i) => !i?.leader)]!;
  await setState(follower, 'Available');
  await expectConsistent(tabs, { stateName: 'Available' });
  await backend.inbound({ username: 'agent1', type: 'chat' });
  await expectConsistent(tabs, { contacts: 1 });
});
