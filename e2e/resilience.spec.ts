/**
 * Resilience in a real browser against the real backend: many tabs under a stream of changes, frozen and
 * navigated-away tabs, backend faults, session expiry, and hostile pages.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { SHARED_WORKER_NAME } from '../client/sharedworker/shared-worker';
import { CRM_PORT } from '../playwright.config';
import {
  test, expect, expectConsistent, freezeTab, recordEvents, recordedEvents, resumeTab, tabState, trySetState, waitForAgent,
  type BackendControl,
} from './fixtures';


async function expectMatchesBackend(tabs: Page[], backend: BackendControl): Promise<void> {
  await expect.poll(async () => {
    const truth = await backend.agent('agent1');
    const s = await tabState(tabs[0]!);
    return s.data?.snapshot.state.name === truth.state.name
      && JSON.stringify(s.data?.snapshot.contacts.map((c) => c.contactId)) === JSON.stringify(truth.contacts.map((c) => c.contactId));
  }, { timeout: 30_000 }).toBe(true);
  await expectConsistent(tabs, {}, 30_000);
}

test('ten tabs converge under a stream of backend and tab changes, raising the same events in the same order', async ({ openTabs, backend }) => {
  const tabs = await openTabs(10);
  for (const t of tabs) await recordEvents(t);
  const states = ['Lunch', 'Available', 'Training', 'Available'];
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    if (i % 3 === 0) work.push(trySetState(tabs[i % tabs.length]!, states[(i / 3) % states.length]!));
    else if (i % 3 === 1) work.push(backend.inbound({ username: 'agent1', type: 'chat' }).catch(() => null));
    else work.push(backend.agent('agent1').then((a) => {
      const live = a.contacts.find((c) => c.state.type === 'connecting' || c.state.type === 'connected');
      return live ? backend.hangup(live.contactId).catch(() => null) : null;
    }));
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(work);
  await expectMatchesBackend(tabs, backend);
  const agentEvents = await Promise.all(tabs.map(async (t) => (await recordedEvents(t)).filter((e) => e.startsWith('agent::state_change') || e.startsWith('contact::'))));
  for (const e of agentEvents) expect(e).toEqual(agentEvents[0]);
  expect(agentEvents[0]!.length).toBeGreaterThan(5);
});

test('a tab frozen past the ACK timeout raises no ACK_TIMEOUT when it thaws', async ({ openTabs }) => {
  const [frozen, other] = await openTabs(2);
  await recordEvents(frozen!);
  await recordEvents(other!);
  await freezeTab(frozen!);
  await new Promise((r) => setTimeout(r, 6000)); // twice the 3 s ACK timeout
  await resumeTab(frozen!);
  await new Promise((r) => setTimeout(r, 2500)); // a few beats after thawing
  expect(await recordedEvents(frozen!)).not.toContain('ack_timeout');
  expect(await recordedEvents(other!)).not.toContain('ack_timeout');
  await expectConsistent([frozen!, other!]);
});

test('a tab that navigates away frees its topics and leaves the count', async ({ openTabs }) => {
  const [a, b] = await openTabs(2);
  const topic = 'e2e::navigate';
  const check = (p: Page) => p.evaluate((t) => new Promise<boolean>((r) => window.connect.ifMaster(t, () => r(true), () => r(false))), topic);
  expect(await check(a!)).toBe(true);
  expect(await check(b!)).toBe(false);
  await expect.poll(() => b!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())).toBe(2);
  await a!.goto('about:blank');
  await expect.poll(() => check(b!)).toBe(true);
  await expect.poll(() => b!.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())).toBe(1);
});

const FAULTS = [
  { name: 'latency', spec: { latencyMs: 800 }, ms: 3000 },
  { name: 'a 5xx burst', spec: { errorRate: 1, status: 503 }, ms: 3000 },
  { name: '429 throttling', spec: { errorRate: 1, status: 429 }, ms: 3000 },
  { name: 'the backend down for 10 s', spec: { down: true }, ms: 10_000 },
] as const;

for (const fault of FAULTS) {
  test(`survives ${fault.name}: every tab converges afterwards and no action is applied twice`, async ({ openTabs, backend }) => {
    const tabs = await openTabs(3);
    await backend.resetStats();
    await backend.fault(fault.spec);
    const outcome = trySetState(tabs[1]!, 'Lunch'); // an action started during the fault
    await new Promise((r) => setTimeout(r, fault.ms));
    await backend.clearFaults();
    const result = await outcome;
    await backend.bulkContacts('agent1', 1); // a change after the fault (whatever the agent's state)
    await expectMatchesBackend(tabs, backend);
    const truth = await backend.agent('agent1');
    const applied = (truth['applied'] as Record<string, number> | undefined)?.['PutAgentState'] ?? 0;
    expect(applied).toBeLessThanOrEqual(1); // one setState: applied at most once, whatever the retries
    if (result === 'ok') expect(applied).toBe(1);
    if (applied === 1) expect(truth.state.name === 'Lunch' || truth.nextState?.name === 'Lunch').toBe(true);
  });
}

test('session expiry: every tab hears auth_fail, a fresh session resumes them all without reload', async ({ context, backend, baseURL }) => {
  // Plain pages on the CCP origin (the CCP page itself would redirect to the login form).
  await context.route(`${baseURL}/plain`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><script src="/connect-streams.js"></script><script>
      window.__events = []; connect.core.getEventBus().subscribeAll((d, n) => window.__events.push(n));
      connect.core.initSharedWorker({ role: 'page' });</script>`,
  }));
  const tabs = await Promise.all([0, 1, 2].map(async () => { const p = await context.newPage(); await p.goto('/plain'); return p; }));
  await Promise.all(tabs.map((t) => waitForAgent(t)));
  await backend.expireSession('agent1');
  for (const t of tabs) await expect.poll(() => recordedEvents(t), { timeout: 15_000 }).toContain('auth_fail');
  const { token } = await backend.login('agent1');
  await tabs[2]!.evaluate((tk) => window.connect.core.supplySession(tk), token);
  await backend.inbound({ username: 'agent1', type: 'chat' });
  await expectMatchesBackend(tabs, backend);
  for (const t of tabs) expect(await t.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});

test('hostile messages to the SharedWorker get errors and do not disturb other tabs', async ({ openTabs, backend, context }) => {
  const [good] = await openTabs(1);
  const hostile = await context.newPage();
  await hostile.goto('/favicon.ico').catch(() => undefined);
  await hostile.goto('/ccp');
  await waitForAgent(hostile);
  const answers = await hostile.evaluate(async (name) => {
    const w = new SharedWorker('/connect-shared-worker.js', { name });
    const port = w.port;
    port.start();
    const replies: unknown[] = [];
    port.onmessage = (e) => replies.push(e.data);
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const comlink = (id: string, path: string[], args: unknown[]) => ({ id, type: 'APPLY', path, argumentList: args.map((v) => ({ type: 'RAW', value: v })) });
    port.postMessage('garbage');
    port.postMessage({ type: 'APPLY' });
    port.postMessage(comlink('1', ['post'], [{ type: 'request', requestId: 'r', method: 'putAgentState', params: {} }])); // before hello
    port.postMessage(comlink('2', ['hello'], [{ type: 'hello', tabId: 'x'.repeat(500), protocol: 1, role: 'ccp' }, null]));
    const ch = new MessageChannel();
    port.postMessage(comlink('3', ['hello'], [{ type: 'hello', tabId: 'evil-tab', protocol: 99, role: 'ccp' }, ch.port2]), [ch.port2]);
    port.postMessage(comlink('4', ['post'], [{ type: 'broadcast', event: huge }]));
    port.postMessage(comlink('5', ['engine', 'stop'], []));
    port.postMessage(comlink('6', ['constructor', 'constructor'], ['return 1']));
    port.postMessage({ id: '7', type: 'CONSTRUCT', path: ['hello', 'constructor'], argumentList: [{ type: 'RAW', value: 'self.__pwned = 1' }] });
    await new Promise((r) => setTimeout(r, 1500));
    return replies.map((r) => JSON.stringify(r).slice(0, 300));
  }, SHARED_WORKER_NAME);
  // Each Comlink call got an answer, and none of them did anything.
  expect(answers.join('\n')).not.toMatch(/"isMaster"|"welcome"|"engineId"/);
  expect(answers.filter((a) => a.includes('refused'))).toHaveLength(3); // engine.stop, constructor walks
  expect(answers.join('\n')).toMatch(/ProtocolVersionError|protocol/i);
  const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
  const s = await expectConsistent([good!, hostile], { contacts: 1 });
  expect(s.data!.snapshot.contacts[0]!.contactId).toBe(contactId);
});

test('the CCP frame ignores forged, malformed and oversized messages, and keeps serving its CRM', async ({ context, backend, baseURL }) => {
  const ccpOrigin = new URL(baseURL!).origin;
  const forged = { source: 'connect-sync-bridge', type: 'call', call: { id: 'forged-1', type: 'APPLY', path: ['post'], argumentList: [
    { type: 'RAW', value: { type: 'request', requestId: 'forged', method: 'putAgentState', params: { state: { name: 'Lunch', type: 'not_routable' } } } },
    { type: 'RAW', value: 5000 }] } };
  // A page on an origin that is not approved, framed inside the CRM page, posting a forged request to the CCP frame.
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><script>parent.frames[0].postMessage(${JSON.stringify(forged)}, '${ccpOrigin}');</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  try {
    const crm = await context.newPage();
    await crm.goto(`http://127.0.0.1:${CRM_PORT}/`);
    await waitForAgent(crm);
    await backend.resetStats();
    await crm.evaluate(([origin, evilUrl]) => {
      const frame = document.querySelector('iframe')!.contentWindow!;
      frame.postMessage('garbage', origin);
      const post = (id: string, msg: unknown) => frame.postMessage({ source: 'connect-sync-bridge', type: 'call',
        call: { id, type: 'APPLY', path: ['post'], argumentList: [{ type: 'RAW', value: msg }, { type: 'RAW', value: 1000 }] } }, origin);
      post('c900', { type: 'bogus' });
      post('c901', { type: 'broadcast', event: 'x'.repeat(3_000_000) });
      const i = document.createElement('iframe');
      i.src = evilUrl;
      document.body.append(i);
    }, [ccpOrigin, `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`] as const);
    await new Promise((r) => setTimeout(r, 2000));
    const truth = await backend.agent('agent1');
    expect(truth.state.name).not.toBe('Lunch');
    expect((truth['applied'] as Record<string, number> | undefined)?.['PutAgentState'] ?? 0).toBe(0);
    // The CRM still works through its frame.
    expect(await trySetState(crm, 'Training')).toBe('ok');
    await expect.poll(async () => (await backend.agent('agent1')).state.name).toBe('Training');
  } finally {
    evil.close();
  }
});
