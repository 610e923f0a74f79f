/**
 * Issue #14: the CCP frame of a genuine amazon-connect-streams CRM reloads itself (navigation inside the iframe). The
 * library does not re-run its init, nor resend `configure`: the new frame document must acknowledge again, ask for
 * `configure` (`request_configure`) and push the agent again, and the page's calls must keep working through it.
 */
import type { Frame, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { openGenuine, streamsAction, streamsView } from './genuine-helpers';

type Genuine = { genuineCrm: { ackTimeouts(): string[]; events: { name: string }[] } };

function ccpFrame(page: Page, baseURL: string): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(`${baseURL}/ccp`));
  if (!frame) throw new Error('no CCP frame');
  return frame;
}

const pageOptions = (frame: Frame): Promise<Record<string, unknown>> =>
  frame.evaluate(() => window.connect.core.getPageOptions() as Record<string, unknown>);

test('a reloaded CCP frame gets configure again (request_configure), re-acknowledges and keeps serving the genuine CRM',
  async ({ context, backend }) => {
    const page = await openGenuine(context); // passes softphone + pageOptions to initCCP, so the CRM sends configure
    const baseURL = backend.baseURL;
    await expect.poll(async () => (await pageOptions(ccpFrame(page, baseURL))).softphone, { message: 'first configure' })
      .toEqual({ allowFramedSoftphone: true });
    const refreshesBefore = await page.evaluate(() => (window as unknown as Genuine).genuineCrm.events.filter((e) => e.name === 'agent::refresh').length);

    for (let round = 0; round < 3; round++) {
      // Reload the frame document from inside (as the CCP reloads itself); the CRM keeps the same iframe element.
      await ccpFrame(page, baseURL).evaluate(() => location.reload());
      await page.waitForTimeout(300);
      await expect.poll(async () => {
        try {
          return (await pageOptions(ccpFrame(page, baseURL))).softphone ?? null;
        } catch {
          return 'loading';
        }
      }, { message: `configure re-sent to the reloaded frame (round ${round})`, timeout: 5000 }).toEqual({ allowFramedSoftphone: true });
    }

    // The page's calls go through the new frame document; the agent is pushed again; no ACK_TIMEOUT.
    expect(await streamsAction(page, 'setState', { name: 'Offline' })).toBe('ok');
    await expect.poll(async () => (await streamsView(page)).state).toBe('Offline');
    expect(await streamsAction(page, 'setState', { name: 'Available' })).toBe('ok');
    await expect.poll(async () => (await streamsView(page)).state).toBe('Available');
    expect(await page.evaluate(() => (window as unknown as Genuine).genuineCrm.events.filter((e) => e.name === 'agent::refresh').length))
      .toBeGreaterThan(refreshesBefore);
    await page.waitForTimeout(4000); // more than the library's 3 s ACK wait, after the reloads
    expect(await page.evaluate(() => (window as unknown as Genuine).genuineCrm.ackTimeouts())).toEqual([]);
  });
