/**
 * A CRM page on another origin embeds the CCP with `connect.core.initCCP` and uses the `connect` API through it.
 */
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
