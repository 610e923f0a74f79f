/**
 * A CRM page on another origin embeds the CCP with `connect.core.initCCP` and uses the `connect` API through it.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectConsistent, recordEvents, recordedEvents, waitForAgent } from './fixtures';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRM_PORT } from '../playwright.config';

const crmUrl = `http://127.0.0.1:${CRM_PORT}/`;

test('the demo CRM embeds the CCP and sees the same agent and contacts as a CCP tab', async ({ context, backend, openTabs }) => {
  const [ccp] = await openTabs(1);
  const crm = await context.newPage();
  const errors: string[] = [];
  crm.on('pageerror', (e) => errors.push(String(e)));
  await crm.goto(crmUrl);
  await waitForAgent(crm);
  await recordEvents(crm);
  await crm.evaluate(() => {
    const w = window as unknown as { __contacts: string[] };
    w.__contacts = [];
    window.connect.contact((c) => { w.__contacts.push(c.getContactId()); });
  });
  await expectConsistent([ccp!, crm]);

  const contactId = await backend.inbound({ username: 'agent1', type: 'voice', attributes: { customerName: 'Ada Lovelace' } });
  await expect.poll(() => crm.evaluate(() => (window as unknown as { __contacts: string[] }).__contacts)).toEqual([contactId]);
  await expect(crm.locator('#customer h2')).toHaveText('Ada Lovelace');

  // Accept from the CRM: every tab sees it.
  await crm.evaluate((id) => new Promise<void>((resolve, reject) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id)!;
    c.accept({ success: () => resolve(), failure: (e) => reject(new Error(`${e.type}: ${e.message}`)) });
  }), contactId);
  await expect.poll(async () => (await ccp!.evaluate(() => window.connect.core.getState().data?.snapshot.contacts[0]?.state.type))).toBe('connected');
  await expectConsistent([ccp!, crm], { contacts: 1 });
  const events = await recordedEvents(crm);
  expect(events).toContain('contact::init');
  expect(events).toContain(`contact::connected::${contactId}`);
  expect(errors).toEqual([]);
});

test('a page on a non-approved origin cannot embed the CCP and gets no data', async ({ page, backend, baseURL }) => {
  void backend; // logged in: the CCP would show the agent if it rendered
  // A CRM on an origin that is not in APPROVED_ORIGINS (another port of this machine).
  const html = `<!doctype html><div id="c"></div><script src="${baseURL}/connect-streams.js"></script>
    <script>window.__events = []; connect.core.initCCP(document.getElementById('c'), { ccpUrl: '${baseURL}/ccp' });
    connect.core.getEventBus().subscribeAll((d, n) => window.__events.push(n));</script>`;
  const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => !!window.connect);
    await page.waitForTimeout(3000);
    // The CSP frame-ancestors header stops the browser from rendering the CCP in the frame…
    const frame = page.frames().find((f) => f.url().startsWith(`${baseURL}/ccp`));
    const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(framedText).not.toMatch(/agent1|Available|Offline/);
    // …and the page receives no agent data through the API.
    const state = await page.evaluate(() => window.connect.core.getState());
    expect(state.data).toBeNull();
    const events = await page.evaluate(() => (window as unknown as { __events: string[] }).__events);
    expect(events.filter((e) => e.startsWith('agent::') || e.startsWith('contact::'))).toEqual([]);
  } finally {
    server.close();
  }
});

/** Every `message` the CRM page receives from the bridge (`source: connect-sync-bridge`), by type, in `__bridgeTypes`. */
async function recordBridgeMessages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __bridgeTypes: string[] };
    w.__bridgeTypes = [];
    addEventListener('message', (e) => {
      const d = e.data as { source?: unknown; type?: unknown } | null;
      if (d?.source === 'connect-sync-bridge' && typeof d.type === 'string') w.__bridgeTypes.push(d.type);
    });
  });
}

test('the bridge bundle arriving after the CCP frame said ready still connects: what the frame posted meanwhile is kept', async ({ context, backend, openTabs }) => {
  void backend;
  const [ccp] = await openTabs(1);
  const crm = await context.newPage();
  await recordBridgeMessages(crm);
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let requested = false;
  await crm.route('**/connect-embed.js', async (route) => {
    requested = true;
    await released;
    await route.continue();
  });
  await crm.goto(crmUrl, { waitUntil: 'domcontentloaded' }); // `load` waits for the held-back script
  // The frame loads, relays and says ready while connect-embed.js is held back.
  await expect.poll(() => crm.evaluate(() => (window as unknown as { __bridgeTypes: string[] }).__bridgeTypes)).toContain('ready');
  expect(requested).toBe(true);
  expect(await crm.evaluate(() => window.connect.core.getState().data)).toBeNull();
  release();
  await waitForAgent(crm);
  await expectConsistent([ccp!, crm]);
  expect(await crm.evaluate(() => window.connect.core.getTransportKind())).toBe('iframe');
});

test('a bridge bundle that cannot load: the typed error is logged, ack_timeout is raised, the frame stays', async ({ context, backend }) => {
  void backend;
  const crm = await context.newPage();
  await crm.route('**/connect-embed.js', (route) => route.abort());
  await crm.addInitScript(() => {
    // Subscribed as soon as the library is there, before initCCP's load can fail.
    const w = window as unknown as { __events: string[]; connect?: typeof window.connect };
    w.__events = [];
    let lib: typeof window.connect | undefined;
    Object.defineProperty(window, 'connect', {
      configurable: true,
      get: () => lib,
      set: (v: typeof window.connect) => {
        lib = v;
        v.core.getEventBus().subscribeAll((_d: unknown, name: string) => { w.__events.push(name); });
      },
    });
  });
  await crm.goto(crmUrl);
  await expect.poll(() => crm.evaluate(() => (window as unknown as { __events: string[] }).__events)).toContain('ack_timeout');
  const error = await crm.evaluate(() => window.connect.getLog().getLogs()
    .find((e) => e.level === 'ERROR' && e.text.startsWith('initCCP: could not connect through the CCP frame'))?.text);
  expect(error).toMatch(/"type":"NotConnectedError".*could not load .*connect-embed\.js/);
  expect(await crm.evaluate(() => !!window.connect.core.getCCPFrame())).toBe(true);
  expect(await crm.evaluate(() => window.connect.core.getState().data)).toBeNull();
});

test('a relay bundle that cannot load in the CCP frame: the frame logs the typed error and keeps its own connection', async ({ context, backend, baseURL }) => {
  void backend;
  const crm = await context.newPage();
  await crm.route('**/connect-relay.js', (route) => route.abort());
  await crm.goto(crmUrl);
  const ccpFrame = () => crm.frames().find((f) => f.url().startsWith(`${baseURL}/ccp`));
  await expect.poll(() => !!ccpFrame()).toBe(true);
  const frame = ccpFrame()!;
  await frame.waitForFunction(() => !!window.connect?.core?.getState?.().data, null, { timeout: 15_000 });
  await expect.poll(() => frame.evaluate(() => window.connect.getLog().getLogs()
    .find((e) => e.level === 'ERROR' && e.text.startsWith('could not load the iframe relay'))?.text ?? '')).toMatch(/"type":"NotConnectedError"/);
  expect(await crm.evaluate(() => window.connect.core.getState().data)).toBeNull();
});
