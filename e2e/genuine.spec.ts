/**
 * Issue #14, drop-in CCP: a CRM page on the unmodified amazon-connect-streams 2.28.2 release embeds our CCP with
 * `connect.core.initCCP` and works against it unchanged, side by side with connect-sync tabs of the same browser.
 */
import { test, expect } from './fixtures';
import { openGenuine, recorded, startRecording, streamsAction, streamsView, genuineUrl } from './genuine-helpers';

test('a genuine-library CRM gets the agent within a second of its first acknowledge', async ({ context, backend }) => {
  void backend;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(genuineUrl());
  await page.waitForFunction(() => (window as unknown as { genuineCrm: { initialized(): boolean } }).genuineCrm.initialized(), null, { timeout: 5000 });
  const start = Date.now();
  await page.waitForFunction(() => (window as unknown as { genuineCrm: { events: { name: string }[] } }).genuineCrm.events.some((e) => e.name === 'agent::init'), null, { timeout: 1000 });
  expect(Date.now() - start).toBeLessThan(1000);
  const view = await streamsView(page);
  expect(view.state).toBe('Available');
  expect(view.routingProfile).toBe('Basic Routing Profile');
  expect(errors).toEqual([]);
  void recorded; void startRecording; void streamsAction;
});
