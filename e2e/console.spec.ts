/**
 * The agent console a newcomer sees after `npm start`: the CCP page, the demo CRM embedding it, and the sync
 * inspector with its control strip. Driven through accessible names (roles and labels), which doubles as a check
 * that the pages are labelled. Screenshots go to the test's artifacts; to docs/screenshots (the README's) only with
 * UPDATE_SCREENSHOTS=1, so a plain run leaves the tree clean.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Page, TestInfo } from '@playwright/test';
import { CRM_PORT, CTI_PORT } from '../playwright.config';
import { closeTab, expect, test, waitForAgent } from './fixtures';

const crmUrl = `http://127.0.0.1:${CRM_PORT}/`;
const screenshotDir = path.join(__dirname, '..', 'docs', 'screenshots');
/** `UPDATE_SCREENSHOTS=1 npx playwright test e2e/console.spec.ts` rewrites the README's screenshots. */
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

/** Collects console errors and uncaught exceptions of every page of the context (frames included). */
function watchConsole(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${String(e)}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

/** Saves a screenshot as a test artifact, and as `docs/screenshots/<name>.png` when `UPDATE_SCREENSHOTS=1`. */
async function saveScreenshot(testInfo: TestInfo, name: string, shot: (file: string | undefined) => Promise<Buffer>): Promise<void> {
  if (updateScreenshots) mkdirSync(screenshotDir, { recursive: true });
  const body = await shot(updateScreenshots ? path.join(screenshotDir, `${name}.png`) : undefined);
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/** The contact card titled with the customer's name. */
function card(where: Page | FrameLocator, customer: string | RegExp) {
  return where.getByRole('article', { name: customer });
}

test('an inbound call shows in two CCP tabs and the CRM; accepted in the CRM frame, held, resumed, hung up, cleared',
  async ({ context, backend, openTabs }, testInfo) => {
    const errors = watchConsole(context);
    const [ccp1, ccp2] = await openTabs(2);
    const crm = await context.newPage();
    await crm.goto(crmUrl);
    await waitForAgent(crm);
    const frame = crm.frameLocator('iframe[title="Contact Control Panel"]');
    await expect(ccp1!.getByRole('heading', { level: 1 })).toHaveText('Agent 1');

    // Take a break, then go Available, from one tab; every tab and the CRM follow.
    await ccp1!.getByLabel('Agent state').selectOption('Break');
    for (const where of [ccp1!, ccp2!, frame]) await expect(where.locator('#agent-state')).toHaveText('Break');
    await ccp1!.getByLabel('Agent state').selectOption('Available');
    for (const where of [ccp1!, ccp2!, frame]) await expect(where.locator('#agent-state')).toHaveText('Available');
    await expect(crm.getByText('Agent 1 · Available')).toBeVisible();

    const contactId = await backend.inbound({
      type: 'voice', username: 'agent1', from: '+14155550123', attributes: { customerName: 'Ada Lovelace', accountId: 'A-1001' },
    });
    for (const where of [ccp1!, ccp2!, frame]) await expect(card(where, 'Ada Lovelace')).toContainText('Incoming');
    // The CRM's customer panel is filled from the contact's attributes.
    const customer = crm.getByRole('region', { name: 'Ada Lovelace' });
    await expect(customer.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
    await expect(customer).toContainText('A-1001');
    await expect(customer).toContainText('+14155550123');
    await expect(crm.getByRole('list', { name: /Streams events/ })).toContainText(`contact::connecting::${contactId}`);

    // Accept inside the CRM's embedded CCP.
    await card(frame, 'Ada Lovelace').getByRole('button', { name: 'Accept' }).click();
    for (const where of [ccp1!, ccp2!, frame]) await expect(card(where, 'Ada Lovelace')).toContainText('Connected');
    await expect(customer).toContainText('voice · connected');

    // Hold from the second tab, with the keyboard.
    await card(ccp2!, 'Ada Lovelace').getByRole('button', { name: 'Hold', exact: true }).focus();
    await ccp2!.keyboard.press('Enter');
    for (const where of [ccp1!, ccp2!, frame]) await expect(card(where, 'Ada Lovelace')).toContainText('On hold');
    const truth = await backend.agent('agent1');
    expect(truth.contacts[0]!.connections.find((c) => c.type === 'inbound')!.state.type).toBe('hold');

    // Resume from the first; mute shows in every tab.
    await card(ccp1!, 'Ada Lovelace').getByRole('button', { name: 'Resume' }).click();
    for (const where of [ccp1!, ccp2!, frame]) await expect(card(where, 'Ada Lovelace')).toContainText('Connected');
    await card(ccp1!, 'Ada Lovelace').getByRole('button', { name: 'Mute' }).click();
    await expect(card(ccp2!, 'Ada Lovelace').getByRole('button', { name: 'Mute', pressed: true })).toBeVisible();
    await card(ccp2!, 'Ada Lovelace').getByRole('button', { name: 'Mute' }).click();
    await expect(card(ccp1!, 'Ada Lovelace').getByRole('button', { name: 'Mute', pressed: false })).toBeVisible();

    // A state chosen during a call is queued as the next state, shown in every tab.
    await ccp1!.getByLabel('Agent state').selectOption('Lunch');
    for (const where of [ccp1!, ccp2!, frame]) {
      await expect(where.locator('#next-state')).toContainText('Next: Lunch');
      await expect(where.getByLabel('Agent state')).toHaveValue('Available');
    }

    await saveScreenshot(testInfo, 'ccp', (file) => ccp1!.locator('#ccp').screenshot({ path: file }));
    await saveScreenshot(testInfo, 'crm', (file) => crm.screenshot({ path: file }));

    // Hang up in the CRM frame, clear from a CCP tab: the card leaves everywhere and the queued state applies.
    await card(frame, 'Ada Lovelace').getByRole('button', { name: 'Hang up' }).click();
    for (const where of [ccp1!, ccp2!, frame]) await expect(card(where, 'Ada Lovelace')).toContainText('After call work');
    await card(ccp2!, 'Ada Lovelace').getByRole('button', { name: 'Clear' }).click();
    for (const where of [ccp1!, ccp2!, frame]) {
      await expect(card(where, 'Ada Lovelace')).toHaveCount(0);
      await expect(where.locator('#agent-state')).toHaveText('Lunch');
      await expect(where.locator('#next-state')).toBeHidden();
    }
    await expect(crm.getByRole('region', { name: 'Customer' })).toContainText('No contact.');
    expect(errors).toEqual([]);
  });

test('the dial pad checks E.164, places an outbound call, conferences and transfers through quick connects',
  async ({ context, openTabs }) => {
    const errors = watchConsole(context);
    const [ccp] = await openTabs(1);
    await ccp!.getByText('Dial pad', { exact: true }).click();
    const number = ccp!.getByLabel('Phone number');

    // Not E.164: refused before anything is sent, with the reason next to the field.
    await number.fill('206 555 0199');
    await ccp!.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(number).toHaveAttribute('aria-invalid', 'true');
    await expect(ccp!.locator('#dial-hint')).toContainText('Start with +');
    await expect(ccp!.getByRole('article')).toHaveCount(0);

    // The keypad types; a valid number dials.
    await number.fill('');
    for (const key of '+12065550199') await ccp!.getByRole('button', { name: `Key ${key}`, exact: true }).click();
    await expect(number).toHaveValue('+12065550199');
    await ccp!.getByRole('button', { name: 'Call', exact: true }).click();
    const call = card(ccp!, '+12065550199');
    await expect(call).toContainText('Outbound call');
    await expect(call).toContainText('Connected');

    // Conference: add a quick connect, then join everyone; the third party is listed with its own controls.
    await call.getByLabel('Quick connect').selectOption({ label: 'Support line' });
    await call.getByRole('button', { name: 'Add party' }).click();
    const parties = call.getByRole('list', { name: 'Other parties' });
    await expect(parties).toContainText('Support line');
    await expect(call).toContainText('Customer on hold');
    await call.getByRole('button', { name: 'Swap' }).click();
    await expect(parties.getByRole('button', { name: 'Resume Support line' })).toBeVisible();
    await call.getByRole('button', { name: 'Join' }).click();
    await expect(call).toContainText('Conference');
    await parties.getByRole('button', { name: 'Hang up Support line' }).click();
    await expect(parties).toBeHidden();
    await expect(call).toContainText('Connected');

    // Transfer: add the quick connect and leave; the contact goes to after-call work here.
    await call.getByLabel('Quick connect').selectOption({ label: 'Escalations desk' });
    await call.getByRole('button', { name: 'Transfer' }).click();
    await expect(call).toContainText('After call work');
    await call.getByRole('button', { name: 'Clear' }).click();
    await expect(ccp!.getByRole('article')).toHaveCount(0);

    // A quick connect can be called directly from the dial pad.
    await ccp!.getByLabel('Quick connect').selectOption({ label: 'Support line' });
    await ccp!.getByRole('button', { name: 'Call quick connect' }).click();
    await expect(card(ccp!, 'Support line')).toContainText('Connected');
    await card(ccp!, 'Support line').getByRole('button', { name: 'Hang up' }).click();
    await card(ccp!, 'Support line').getByRole('button', { name: 'Clear' }).click();
    await expect(ccp!.getByRole('article')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

test('a chat shows its transcript; customer lines arrive from the backend and the agent replies',
  async ({ context, backend, openTabs, baseURL }) => {
    const errors = watchConsole(context);
    const [ccp1, ccp2] = await openTabs(2);
    await ccp1!.getByLabel('Agent state').selectOption('Available');
    await expect(ccp2!.locator('#agent-state')).toHaveText('Available');
    const contactId = await backend.inbound({ type: 'chat', username: 'agent1', attributes: { customerName: 'Grace Hopper' } });
    await card(ccp1!, 'Grace Hopper').getByRole('button', { name: 'Accept' }).click();
    await expect(card(ccp2!, 'Grace Hopper')).toContainText('Connected');

    const res = await context.request.post(`${baseURL}/sim/contacts/${contactId}/message`, { data: { text: 'My compiler found a moth.' } });
    expect(res.ok()).toBe(true);
    for (const p of [ccp1!, ccp2!]) {
      await expect(card(p, 'Grace Hopper').getByRole('log', { name: 'Chat transcript' })).toContainText('Grace Hopper: My compiler found a moth.');
    }
    await card(ccp2!, 'Grace Hopper').getByLabel('Reply').fill('Please tape it into the log book.');
    await card(ccp2!, 'Grace Hopper').getByLabel('Reply').press('Enter');
    await expect(card(ccp1!, 'Grace Hopper').getByRole('log')).toContainText('You: Please tape it into the log book.');

    await card(ccp1!, 'Grace Hopper').getByRole('button', { name: 'End chat' }).click();
    await card(ccp1!, 'Grace Hopper').getByRole('button', { name: 'Clear' }).click();
    await expect(card(ccp2!, 'Grace Hopper')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

test('a failed action shows a toast with the typed error', async ({ context, backend, openTabs }) => {
  const errors = watchConsole(context);
  const [ccp] = await openTabs(1);
  await ccp!.getByLabel('Agent state').selectOption('Available');
  await expect(ccp!.locator('#agent-state')).toHaveText('Available');
  await backend.inbound({ type: 'voice', username: 'agent1', attributes: { customerName: 'Alan Turing' } });
  // Only AcceptContact fails: the poll keeps running, the accept is answered with an error.
  await backend.fault({ operations: ['AcceptContact'], errorRate: 1, status: 400, errorType: 'InvalidStateException' });
  await card(ccp!, 'Alan Turing').getByRole('button', { name: 'Accept' }).click();
  const toast = ccp!.getByRole('alert').filter({ hasText: 'Accept failed' });
  await expect(toast).toContainText('InvalidStateException');
  await toast.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(toast).toHaveCount(0);
  await backend.clearFaults();
  await card(ccp!, 'Alan Turing').getByRole('button', { name: 'Reject' }).click();
  await expect(ccp!.getByRole('article')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the inspector lists every open tab, drops a closed one, and its control strip drives the backend',
  async ({ context, openTabs }, testInfo) => {
    const errors = watchConsole(context);
    const [ccp1, ccp2] = await openTabs(2);
    const inspector = await context.newPage();
    await inspector.setViewportSize({ width: 1280, height: 860 });
    await inspector.goto('/inspector');
    const ids = await Promise.all([ccp1!, ccp2!, inspector].map((p) => p.waitForFunction(() => window.connect.core.getTabId())
      .then((h) => h.jsonValue() as Promise<string>)));
    const tabs = inspector.getByRole('table', { name: 'Connected tabs' });
    for (const id of ids) await expect(tabs.getByRole('rowheader', { name: id.slice(0, 8) })).toBeVisible();
    await expect(tabs.locator('tbody').getByRole('row')).toHaveCount(3);
    await expect(inspector.locator('[data-fact="Transport"]')).toHaveText('SharedWorker');
    await expect(tabs.getByRole('row', { name: /this tab/ })).toContainText('inspector');

    // Drive the backend from the strip: go Available, inject a call, the CCP tabs ring.
    await ccp1!.getByLabel('Agent state').selectOption('Available');
    await expect(inspector.locator('#inspector-agent')).toContainText('Available');
    const strip = inspector.getByRole('region', { name: 'Simulator controls' });
    await strip.getByRole('button', { name: 'Inject inbound' }).click();
    await expect(card(ccp2!, 'Ada Lovelace')).toContainText('Incoming');
    await expect(strip.getByRole('status')).toContainText('routed to agent1');
    await expect(inspector.getByRole('list', { name: 'Recent events' })).toContainText('contact');
    await saveScreenshot(testInfo, 'inspector', (file) => inspector.screenshot({ path: file, fullPage: true }));
    await strip.getByRole('button', { name: 'Customer hangs up' }).click();
    await expect(card(ccp1!, 'Ada Lovelace')).toHaveCount(0);

    // Close a tab: the inspector drops it.
    await closeTab(ccp2!);
    await expect(tabs.getByRole('rowheader', { name: ids[1]!.slice(0, 8) })).toHaveCount(0);
    await expect(tabs.locator('tbody').getByRole('row')).toHaveCount(2);

    // The same picture lives in a collapsible panel of the CCP.
    await ccp1!.getByText('Sync inspector', { exact: true }).click();
    const panelTabs = ccp1!.getByRole('table', { name: 'Connected tabs' });
    await expect(panelTabs.locator('tbody').getByRole('row')).toHaveCount(2);
    await expect(ccp1!.getByRole('region', { name: 'Simulator controls' })).toBeVisible();
    await testInfo.attach('ccp-inspector-panel', { body: await ccp1!.locator('#ccp').screenshot(), contentType: 'image/png' });
    expect(errors).toEqual([]);
  });

test('an expired session: the CCPs offer Sign in, and the login popup brings every tab back without a reload',
  async ({ context, backend, openTabs }) => {
    const [ccp] = await openTabs(1);
    const crm = await context.newPage();
    await crm.goto(crmUrl);
    await waitForAgent(crm);
    const frame = crm.frameLocator('iframe[title="Contact Control Panel"]');
    // The library may open the popup by itself from whichever tab is the loginPopup master; if that is the CRM's
    // frame, the Sign in click focuses that popup instead of opening another. Either way the CRM gets one popup.
    const popupOpened = crm.waitForEvent('popup', { timeout: 20_000 });
    await backend.expireSession('agent1');
    // A page that was working stays put (no redirect) and offers a sign-in; so does the CCP inside the CRM.
    await expect(frame.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(ccp!.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(ccp!).toHaveURL(/\/ccp/);

    await frame.getByRole('button', { name: 'Sign in' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Username').fill('agent1');
    await popup.getByLabel('Password').fill('connect');
    await popup.getByRole('button', { name: /sign in/i }).click();
    await expect(frame.getByRole('button', { name: 'Sign in' })).toBeHidden();
    await expect(ccp!.getByRole('button', { name: 'Sign in' })).toBeHidden();
    // The engine polls again: a change made in one tab reaches the other.
    await ccp!.getByLabel('Agent state').selectOption('Training');
    await expect(frame.locator('#agent-state')).toHaveText('Training');
  });

test('the CCP keeps to the compact layout below 221 px wide', async ({ context, backend }, testInfo) => {
  void backend; // signed in
  const page = await context.newPage();
  await page.setViewportSize({ width: 210, height: 400 });
  await page.goto('/ccp');
  await waitForAgent(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Agent 1');
  await expect(page.getByRole('button', { name: 'Download logs' })).toBeVisible();
  // Nothing sticks out sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(210);
  const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(fontSize).toBe('12px');

  // Keyboard: the tab order runs state picker → dial pad → its number field; Enter opens the dial pad.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Agent state')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByText('Dial pad', { exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Phone number')).toBeFocused();

  // The logs download as a file.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download logs' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.(json|txt|log)$/);
  await testInfo.attach('ccp-compact', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

/** A second backend (and CRM) with `CONTROL_API=off`, started like `npm start` does, on ports of its own. */
async function startWithoutControlApi(port: number): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--no-build'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, CTI_PORT: String(port), CRM_PORT: String(port + 1), CONTROL_API: 'off', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = (): void => { child.kill('SIGTERM'); };
  // Starting tsx and the server takes a few seconds on a small machine; poll its health check.
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`the backend without control API did not start on ${url}`);
}

test('without the control API the control strip does not appear', async ({ page }) => {
  const backend = await startWithoutControlApi(Number(process.env.TEST_NO_SIM_PORT ?? CTI_PORT + 10));
  try {
    const probe = page.waitForResponse((r) => new URL(r.url()).pathname === '/sim');
    await page.goto(`${backend.url}/inspector`);
    expect((await probe).status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Sync inspector' })).toBeVisible();
    await expect(page.locator('[data-fact="Transport"]')).toHaveText('SharedWorker');
    await expect(page.getByRole('region', { name: 'Simulator controls' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Inject inbound' })).toHaveCount(0);
  } finally {
    backend.stop();
  }
});
