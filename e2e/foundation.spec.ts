/**
 * Foundation: a newcomer opens the CCP, logs in through the login form, and sees the agent's state from the backend.
 */
import { test, expect } from '@playwright/test';
import { BackendControl, waitForAgent } from './fixtures';

test('CCP: login form, then the agent state served by the backend', async ({ page, context, baseURL }) => {
  const backend = new BackendControl(context.request, baseURL!);
  await backend.reset();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() === 404) errors.push(`404 ${r.url()}`); });

  await page.goto('/ccp');
  // No session: the CCP sends us to the login page.
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill('agent2');
  await page.getByLabel('Password').fill('connect');
  await page.getByRole('button', { name: /sign in|log in/i }).click();
  await expect(page).toHaveURL(/\/ccp/);
  await waitForAgent(page);

  const truth = await backend.agent('agent2');
  await expect(page.locator('#agent-state')).toHaveText(truth.state.name);
  await expect(page.locator('h1')).toContainText(/agent2|Agent/i);

  // A change made in the backend shows up without a reload.
  await page.locator('#state-picker').selectOption('Available');
  await expect(page.locator('#agent-state')).toHaveText('Available');
  expect((await backend.agent('agent2')).state.name).toBe('Available');
  expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
});
