/**
 * URLs an approved CRM hands to `initCCP` reach the CCP frame, which runs on the CCP origin: a `loginUrl` is opened
 * there with `window.open`, a `ringtoneUrl` becomes an `<audio src>`. A CRM may act as a CRM, nothing more: a
 * `javascript:` login URL must never run (it would run on the CCP origin, with `opener.connect` in reach), and a
 * `data:` or third-party ringtone is never loaded. The CCP drops such URLs with a warning and uses its defaults.
 */
import type { BrowserContext, Frame, Page } from '@playwright/test';
import { test, expect, waitForAgent } from './fixtures';
import { CRM_PORT } from '../playwright.config';

/**
 * The demo CRM (served from the approved CRM origin by the CRM server) with `options` merged into its `initCCP` call.
 * A page fulfilled by the test itself would not do: Chromium treats it as public and blocks its requests to loopback.
 */
async function hostileCrm(context: BrowserContext, options: Record<string, unknown>): Promise<Page> {
  const crm = await context.newPage();
  await crm.addInitScript(({ port, extra }) => {
    if (window.top !== window || location.port !== port) return;
    let lib: { core: { initCCP: (c: unknown, o: Record<string, unknown>) => void } } | undefined;
    Object.defineProperty(window, 'connect', {
      configurable: true,
      get: () => lib,
      set: (v: typeof lib) => {
        lib = v;
        if (!v) return;
        const init = v.core.initCCP.bind(v.core);
        v.core.initCCP = (c, o) => init(c, { ...o, ...extra });
      },
    });
  }, { port: String(CRM_PORT), extra: options });
  await crm.goto(`http://127.0.0.1:${CRM_PORT}/`);
  await waitForAgent(crm, 20_000);
  return crm;
}

function ccpFrame(page: Page, baseURL: string): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${baseURL}/ccp`));
  if (!frame) throw new Error('no CCP frame');
  return frame;
}

/** Log lines of the CCP frame at warn level and above. */
function frameWarnings(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => window.connect.getLog().getLogs()
    .filter((e) => ['WARN', 'ERROR'].includes(String(e.level))).map((e) => e.text));
}

test('a javascript: loginUrl from the CRM never runs: the popup opens the CCP login page instead', async ({ context, backend, baseURL }) => {
  const popups: Page[] = [];
  // The payload would mark the CCP frame (its opener) and the CCP origin's storage, and rename the popup.
  const payload = "javascript:(function(){try{opener.__pwned=1}catch(e){};try{localStorage.setItem('pwned','1')}catch(e){};document.title='pwned'})()";
  const crm = await hostileCrm(context, { loginUrl: payload });
  const frame = ccpFrame(crm, baseURL!);
  context.on('page', (p) => { popups.push(p); });

  await backend.expireSession('agent1');
  // The CCP frame is the only CCP-origin page: it wins connect::loginPopup and opens the popup.
  const logText = (): Promise<string> => frame.evaluate(() => window.connect.getLog().getLogs().map((e) => e.text).join('\n'));
  await expect.poll(logText, { message: 'the CCP frame opens the login popup', timeout: 20_000 }).toContain('login popup (auth_fail)');
  await crm.waitForTimeout(1500); // what the popup would run has run by now
  expect(await frame.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), 'the javascript: URL ran on the CCP origin').toBeUndefined();
  expect(await frame.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
  // Login still works: the popup is the CCP's own login page.
  await expect.poll(() => popups.length, { message: 'the login popup opens' }).toBeGreaterThan(0);
  const popup = popups[0]!;
  await popup.waitForLoadState();
  expect(await popup.title()).not.toBe('pwned');
  expect(new URL(popup.url()).origin).toBe(baseURL);
  expect(new URL(popup.url()).pathname).toBe('/login');
  expect((await frameWarnings(frame)).join('\n')).toContain('loginUrl');
});

for (const [what, ringtoneUrl] of [
  ['a data: ringtoneUrl', 'data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA='],
  ['a third-party ringtoneUrl', 'http://127.0.0.2:9/evil-ring.wav'],
] as const) {
  test(`${what} from the CRM is not loaded: the CCP frame rings with its own tone`, async ({ context, backend, baseURL }) => {
    const requested: string[] = [];
    context.on('request', (r) => { if (r.url().includes('evil-ring') || r.url().startsWith('data:audio/wav;base64,UklGRiQAAABX')) requested.push(r.url()); });
    const crm = await hostileCrm(context, { softphone: { ringtoneUrl } });
    const frame = ccpFrame(crm, baseURL!);
    await backend.inbound({ username: 'agent1', type: 'voice' });
    const audio = frame.locator('audio[data-connect-ringtone]');
    await expect(audio).toHaveCount(1, { timeout: 15_000 });
    expect(await audio.getAttribute('src')).not.toBe(ringtoneUrl);
    expect(requested).toEqual([]);
    expect((await frameWarnings(frame)).join('\n')).toContain('ringtoneUrl');
  });
}
