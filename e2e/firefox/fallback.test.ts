/**
 * Firefox without SharedWorker: the tabs elect one leader with Web Locks, talk over BroadcastChannel, and lose
 * nothing when the leader's tab is closed or its content process is killed.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { launchFirefox, startServers, TEST_TIMEOUT_MS, type Firefox, type Servers } from './harness';
import {
  accept, expectConsistent, expectContactEverywhere, openCcpTabs, setState, singleLeader, transportInfo, killTab,
} from './tabs';

/** Removes SharedWorker before any page script runs, as an engine without it would be. */
async function withoutSharedWorker(page: Page): Promise<void> {
  await page.evaluateOnNewDocument('delete window.SharedWorker;');
}

describe('Firefox without SharedWorker: the BroadcastChannel fallback', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  let servers: Servers;
  let ff: Firefox | undefined;
  before(async () => { servers = await startServers(); });
  after(async () => { await servers?.stop(); });
  beforeEach(async () => {
    await servers.backend.reset();
    await servers.backend.resetStats();
    ff = await launchFirefox();
  });
  afterEach(async () => { await ff?.close(); ff = undefined; });

  test('four tabs elect one leader and converge on backend changes and tab actions', { timeout: TEST_TIMEOUT_MS }, async () => {
    const tabs = await openCcpTabs(ff!, 4, withoutSharedWorker);
    for (const t of tabs) assert.equal((await transportInfo(t))?.transport, 'broadcast');
    await singleLeader(tabs);
    await expectConsistent(tabs);
    await setState(tabs[3]!, 'Available');
    await expectConsistent(tabs, { stateName: 'Available' });
    const contactId = await servers.backend.inbound({ username: 'agent1', type: 'voice' });
    await expectConsistent(tabs, { contacts: 1 });
    await accept(tabs[2]!, contactId);
    await expectContactEverywhere(tabs, contactId, (v) => v.startsWith('connected'), 'every tab sees the call connected');
    const stats = await servers.backend.stats() as unknown as { pollers: Record<string, Record<string, unknown>> };
    assert.equal(Object.keys(stats.pollers.agent1 ?? {}).length, 1, 'one engine polled the backend for four tabs');
  });

  for (const how of ['closed', 'killed'] as const) {
    test(`the leader's tab ${how}: another tab leads and every survivor keeps receiving changes`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const tabs = await openCcpTabs(ff!, 4, withoutSharedWorker);
      const { index, epoch } = await singleLeader(tabs);
      const leader = tabs[index]!;
      const survivors = tabs.filter((t) => t !== leader);
      await expectConsistent(tabs);
      if (how === 'closed') {
        await leader.close({ runBeforeUnload: true });
      } else {
        await killTab(ff!, leader); // no pagehide: only the release of its Web Locks tells the others
      }
      const next = await singleLeader(survivors, epoch);
      assert.ok(next.epoch > epoch);
      const contactId = await servers.backend.inbound({ username: 'agent1', type: 'chat' });
      await expectContactEverywhere(survivors, contactId, (v) => v !== 'gone', 'every survivor sees the new chat');
      await setState(survivors[0]!, 'Available');
      await expectConsistent(survivors, { contacts: 1 });
      // One engine at a time: the new leader's first poll came after the old one's last.
      const stats = await servers.backend.stats() as unknown as { pollers: Record<string, Record<string, { first: number; last: number }>> };
      const engines = Object.values(stats.pollers.agent1 ?? {}).sort((a, b) => a.first - b.first);
      assert.equal(engines.length, 2);
      assert.ok(engines[1]!.first >= engines[0]!.last, 'the new engine started polling after the old one stopped');
    });
  }
});
