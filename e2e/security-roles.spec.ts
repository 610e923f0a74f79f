/**
 * Issue #12, the engine's side: a CRM page (another origin, embedding the CCP) acts *as a CRM* and nothing more. The
 * attacks speak the bridge protocol directly (`postMessage` to the CCP frame, as any script on the CRM page could),
 * not through our library; legitimate use goes through the `connect` API.
 */
import type { Frame, Page } from '@playwright/test';
import { test, expect, expectConsistent, recordEvents, recordedEvents, trySetState, waitForAgent } from './fixtures';
import { CRM_PORT } from '../playwright.config';

const crmUrl = `http://127.0.0.1:${CRM_PORT}/`;

type BridgeResult = { ok: true; value: unknown } | { ok: false; error: { type: string; message: string } };

/** Calls a method of the CCP frame's surface with a raw bridge `call` (Comlink's wire format: `APPLY` on `path`,
 * plain `RAW` arguments), as any script on the CRM page could, and waits for the `reply` with its id. */
async function rawBridge(crm: Page, ccpOrigin: string, path: string[], args: unknown[]): Promise<BridgeResult> {
  return crm.evaluate(({ path, args, origin }) => new Promise<BridgeResult>((resolve) => {
    const frame = document.querySelector('iframe')!;
    const id = `raw-${Math.random().toString(36).slice(2)}`;
    const onMessage = (e: MessageEvent): void => {
      const d = e.data as { source?: string; type?: string; reply?: { id?: string; type?: string; value?: unknown } };
      if (e.origin !== origin || d?.source !== 'connect-sync-bridge' || d.type !== 'reply' || d.reply?.id !== id) return;
      removeEventListener('message', onMessage);
      const r = d.reply;
      if (r.type === 'RAW') resolve({ ok: true, value: r.value });
      else resolve({ ok: false, error: (r.value as { value: { type?: string; name?: string; message: string } }).value as never });
    };
    addEventListener('message', onMessage);
    const call = { id, type: 'APPLY', path, argumentList: args.map((value) => ({ type: 'RAW', value })) };
    frame.contentWindow!.postMessage({ source: 'connect-sync-bridge', type: 'call', call }, origin);
  }), { path, args, origin: ccpOrigin });
}

/** An up message as a raw call of the frame's `post`. */
const rawPost = (crm: Page, ccpOrigin: string, msg: Record<string, unknown>): Promise<BridgeResult> =>
  rawBridge(crm, ccpOrigin, ['post'], [msg, 5000]);

/** A raw call of the frame's `hello` (the relay opens a new engine connection for it). */
const rawHello = (crm: Page, ccpOrigin: string, hello: Record<string, unknown>): Promise<BridgeResult> =>
  rawBridge(crm, ccpOrigin, ['hello'], [hello]);

/** Every down message the CCP frame relays to the CRM page, as parsed JSON, in `__downs`. */
async function recordDowns(crm: Page): Promise<void> {
  await crm.evaluate(() => {
    const w = window as unknown as { __downs: unknown[] };
    w.__downs = [];
    addEventListener('message', (e) => {
      const d = e.data as { source?: string; type?: string; json?: string };
      if (d?.source === 'connect-sync-bridge' && d.type === 'down' && typeof d.json === 'string') w.__downs.push(JSON.parse(d.json));
    });
  });
}

const downs = (crm: Page) => crm.evaluate(() => (window as unknown as { __downs: unknown[] }).__downs);

async function ccpAndCrm(context: import('@playwright/test').BrowserContext, openTabs: (n: number, path?: string) => Promise<Page[]>) {
  const [ccp] = await openTabs(1, '/ccp?probe=ccp-secret-path');
  const crm = await context.newPage();
  await crm.goto(crmUrl);
  await waitForAgent(crm);
  await expectConsistent([ccp!, crm]);
  return { ccp: ccp!, crm };
}

function inspect(page: Page | Frame) {
  return page.evaluate(() => window.connect.core.inspect());
}

test('a CRM cannot forge engine events (auth_fail, terminated, master_changed, acknowledge, update_connected_ccps) to other tabs', async ({ context, openTabs, baseURL }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  await recordEvents(ccp);
  for (const event of ['auth_fail', 'terminated', 'master_changed', 'acknowledge', 'update_connected_ccps', 'access_denied']) {
    const r = await rawPost(crm, baseURL!, { type: 'broadcast', event, data: { topic: 'connect::ringtone', masterId: 'x', isMaster: true, length: 99 } });
    expect(r, event).toEqual({ ok: true, value: expect.objectContaining({ ok: false, error: expect.objectContaining({ type: 'ForbiddenError' }) }) });
  }
  await ccp.waitForTimeout(500);
  const events = await recordedEvents(ccp);
  expect(events.filter((e) => ['auth_fail', 'terminated', 'master_changed', 'access_denied'].includes(e))).toEqual([]);
  expect(await ccp.evaluate(() => window.connect.core.getNumberOfConnectedCCPs())).toBe((await inspect(ccp)).tabCount);
  expect(await ccp.evaluate(() => window.connect.core.getState().data !== null)).toBe(true);
});

test('a CRM cannot take connect::ringtone (nor loginPopup, softphone); its own topics work', async ({ context, openTabs, baseURL }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  const ccpTab = await ccp.evaluate(() => window.connect.core.getTabId());
  await ccp.evaluate(() => new Promise<void>((r) => window.connect.ifMaster(window.connect.MasterTopics.RINGTONE, () => r(), () => r())));
  await expect.poll(async () => (await inspect(ccp)).topics['connect::ringtone']).toBe(ccpTab);
  for (const topic of ['connect::ringtone', 'connect::loginPopup', 'connect::softphone']) {
    const r = await rawPost(crm, baseURL!, { type: 'master', requestId: `m-${topic}`, method: 'becomeMaster', topic });
    expect(r, topic).toEqual({ ok: true, value: expect.objectContaining({ ok: false, error: expect.objectContaining({ type: 'ForbiddenError' }) }) });
  }
  // Through the API too: the failure callback gets the typed error.
  const viaApi = await crm.evaluate(() => new Promise<string>((resolve) => {
    window.connect.becomeMaster(window.connect.MasterTopics.RINGTONE, () => resolve('became master'), (e) => resolve(e.type));
  }));
  expect(viaApi).toBe('ForbiddenError');
  const topics = (await inspect(ccp)).topics;
  expect(topics['connect::ringtone']).toBe(ccpTab);
  expect(topics['connect::loginPopup'] ?? ccpTab).toBe(ccpTab);
  expect(topics['connect::softphone'] ?? ccpTab).toBe(ccpTab);
  // A CRM topic of its own is fine.
  const own = await crm.evaluate(() => new Promise<string>((resolve) => {
    window.connect.becomeMaster('crm::screenpop', () => resolve('ok'), (e) => resolve(e.type));
  }));
  expect(own).toBe('ok');
  const crmTab = await crm.evaluate(() => window.connect.core.getTabId());
  expect((await inspect(ccp)).topics['crm::screenpop']).toBe(crmTab);
});

test('a CRM cannot swap the session, whatever role its raw hello claims', async ({ context, openTabs, backend, baseURL }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  await recordEvents(ccp);
  const viaLink = await rawPost(crm, baseURL!, { type: 'session', authToken: 'forged-by-crm', requestId: 's1' });
  expect(viaLink).toEqual({ ok: true, value: expect.objectContaining({ ok: false, error: expect.objectContaining({ type: 'ForbiddenError' }) }) });
  // A new connection that claims to be a CCP tab is still a CRM.
  const hello = await rawHello(crm, baseURL!, { type: 'hello', tabId: 'crm-claims-ccp', protocol: 1, role: 'ccp' });
  expect(hello.ok).toBe(true);
  const claimed = await rawPost(crm, baseURL!, { type: 'session', authToken: 'forged-again', requestId: 's2' });
  expect(claimed).toEqual({ ok: true, value: expect.objectContaining({ ok: false, error: expect.objectContaining({ type: 'ForbiddenError' }) }) });
  const seen = (await inspect(ccp)).tabs.find((t) => t.tabId === 'crm-claims-ccp');
  expect(seen?.role).toBe('crm');
  // The engine still polls with the real session: a new contact reaches the CCP tab, no auth_fail.
  const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
  await expect.poll(() => ccp.evaluate(() => window.connect.core.getState().data?.snapshot.contacts.map((c) => c.contactId) ?? []))
    .toContain(contactId);
  expect((await recordedEvents(ccp)).filter((e) => e === 'auth_fail')).toEqual([]);
});

test('a CRM reaches only hello and post of its CCP frame: any other Comlink message is refused, never evaluated', async ({ context, openTabs, baseURL }) => {
  const { crm } = await ccpAndCrm(context, openTabs);
  const answers = await crm.evaluate((origin) => {
    const frame = document.querySelector('iframe')!.contentWindow!;
    const calls = [
      { id: 'g1', type: 'GET', path: ['transport'] },
      { id: 'g2', type: 'SET', path: ['hello'], value: { type: 'RAW', value: 1 } },
      { id: 'g3', type: 'CONSTRUCT', path: ['hello', 'constructor'], argumentList: [{ type: 'RAW', value: 'return 1' }] },
      { id: 'g4', type: 'APPLY', path: ['openRelay'], argumentList: [] },
      { id: 'g5', type: 'APPLY', path: ['hello'], argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }] },
    ];
    return new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      addEventListener('message', (e) => {
        const d = e.data as { source?: string; type?: string; reply?: { id?: string; type?: string; name?: string; value?: unknown } };
        if (e.origin !== origin || d?.source !== 'connect-sync-bridge' || d.type !== 'reply' || !d.reply?.id?.startsWith('g')) return;
        seen.push(`${d.reply.id} ${d.reply.type} ${d.reply.name ?? ''} ${JSON.stringify(d.reply.value)}`);
        if (seen.length === calls.length) resolve(seen.sort());
      });
      for (const call of calls) frame.postMessage({ source: 'connect-sync-bridge', type: 'call', call }, origin);
    });
  }, baseURL!);
  expect(answers).toHaveLength(5);
  for (const a of answers) expect(a).toMatch(/^g\d HANDLER throw .*(refused|plain values)/);
  // The CRM still works through its frame.
  expect(await trySetState(crm, 'Lunch')).toBe('ok');
});

test('a CRM gets no other tab\'s URL or log lines; the CCP and the inspector still see everything', async ({ context, openTabs, baseURL }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  const inspector = await context.newPage();
  await inspector.goto('/inspector');
  await inspector.waitForFunction(() => !!window.connect?.core?.getTabId?.());
  await recordDowns(crm);
  await ccp.evaluate(() => window.connect.getLog().info('ccp-private-line %s', 'x'));
  const r = await rawPost(crm, baseURL!, { type: 'inspect' });
  expect(r.ok).toBe(true);
  const info = (r as { value: { tabs: { tabId: string; url?: string }[]; tabCount: number; topics: Record<string, string> } }).value;
  expect(JSON.stringify(info)).not.toContain('ccp-secret-path');
  expect(info.tabs.length).toBe(1);
  expect(info.tabCount).toBeGreaterThanOrEqual(3);
  // Asking for logs through a hello of its own does not help either.
  const crmLinkTab = await crm.evaluate(() => window.connect.core.getTabId());
  await rawHello(crm, baseURL!, { type: 'hello', tabId: 'crm-wants-logs', protocol: 1, role: 'inspector', wantsLogs: true });
  await crm.waitForTimeout(3000); // the CCP forwards its lines every few seconds; the engine pushes every second
  const logLines = (await downs(crm)).filter((d) => (d as { type: string }).type === 'log')
    .flatMap((d) => (d as { entries: { source: string; text: string }[] }).entries);
  expect(logLines.filter((e) => e.text.includes('ccp-private-line'))).toEqual([]);
  expect(logLines.filter((e) => !['engine', 'crm-wants-logs', crmLinkTab].includes(e.source))).toEqual([]);
  // The inspector and the CCP see every tab, with URLs.
  const full = await inspect(inspector);
  expect(full.tabs.some((t) => (t.url ?? '').includes('ccp-secret-path'))).toBe(true);
  expect(full.tabs.some((t) => t.role === 'crm')).toBe(true);
  await expect.poll(() => inspector.evaluate(() => window.connect.getLog().getLogs().some((e) => e.text.includes('ccp-private-line'))), { timeout: 15_000 }).toBe(true);
});

test('legitimate CRM use keeps working: accept and mute cross tabs, viewContact reaches the CRM', async ({ context, openTabs, backend }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  await recordEvents(ccp);
  const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
  await expect.poll(() => crm.evaluate(() => new window.connect.Agent().getContacts().length)).toBe(1);
  await crm.evaluate((id) => new Promise<void>((resolve, reject) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id)!;
    c.accept({ success: () => resolve(), failure: (e) => reject(new Error(`${e.type}: ${e.message}`)) });
  }), contactId);
  await expect.poll(() => recordedEvents(ccp)).toContain(`contact::accepted::${contactId}`);
  await crm.evaluate(() => new window.connect.Agent().mute());
  await expect.poll(() => recordedEvents(ccp)).toContain('agent::mute_toggle');
  await recordEvents(crm);
  await ccp.evaluate((id) => window.connect.core.viewContact(id), contactId);
  await expect.poll(() => recordedEvents(crm)).toContain('contact::view');
});

test('a CRM flooding its CCP frame is throttled with a typed error; the CCP tab is unaffected', async ({ context, openTabs, backend, baseURL }) => {
  const { ccp, crm } = await ccpAndCrm(context, openTabs);
  const outcomes = await crm.evaluate((origin) => new Promise<Record<string, number>>((resolve) => {
    const frame = document.querySelector('iframe')!.contentWindow!;
    const counts: Record<string, number> = {};
    const total = 1_030;
    let seen = 0;
    addEventListener('message', (e) => {
      const d = e.data as { source?: string; type?: string; reply?: { id?: string; type?: string; value?: { value?: { type: string } } } };
      if (e.origin !== origin || d?.source !== 'connect-sync-bridge' || d.type !== 'reply' || !d.reply?.id?.startsWith('flood-')) return;
      const key = d.reply.type === 'RAW' ? 'ok' : d.reply.value!.value!.type;
      counts[key] = (counts[key] ?? 0) + 1;
      if (++seen === total) resolve(counts);
    });
    const call = (id: string, path: string, args: unknown[]) => frame.postMessage({ source: 'connect-sync-bridge', type: 'call',
      call: { id, type: 'APPLY', path: [path], argumentList: args.map((value) => ({ type: 'RAW', value })) } }, origin);
    for (let i = 0; i < 30; i++) {
      call(`flood-h-${i}`, 'hello', [{ type: 'hello', tabId: `flood-${i}`, protocol: 1, role: 'crm' }]);
    }
    for (let i = 0; i < 1_000; i++) {
      call(`flood-p-${i}`, 'post', [{ type: 'inspect' }, 5000]);
    }
  }), baseURL!);
  expect(outcomes['ThrottledError'] ?? 0).toBeGreaterThanOrEqual(25 + 500);
  expect((await inspect(ccp)).tabs.filter((t) => t.tabId.startsWith('flood-')).length).toBeLessThanOrEqual(1);
  const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
  await expect.poll(() => ccp.evaluate(() => window.connect.core.getState().data?.snapshot.contacts.map((c) => c.contactId) ?? []))
    .toContain(contactId);
});
