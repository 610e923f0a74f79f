/**
 * Tokens stay on the CCP origin. The demo CRM (127.0.0.1, another port) is the same *site* as the CCP, so the browser
 * sends the session cookie with its requests; before the fix the CORS answer of `/auth/authorize` let its script read
 * the access and the refresh token. Now an auth route answers only its own origin, and script on any other page reads
 * nothing, whatever fetch mode it tries.
 */
import { test, expect, waitForAgent } from './fixtures';
import { CRM_PORT } from '../playwright.config';

test('a same-site CRM page cannot read a token from the CCP origin, with the agent signed in', async ({ context, baseURL, openTabs }) => {
  const [ccp] = await openTabs(1);
  await waitForAgent(ccp!);
  const crm = await context.newPage();
  await crm.goto(`http://127.0.0.1:${CRM_PORT}/`);
  await waitForAgent(crm);

  const attempts = await crm.evaluate(async (ccpOrigin) => {
    const read = async (init: RequestInit, path: string): Promise<string> => {
      try {
        const res = await fetch(`${ccpOrigin}${path}`, init);
        return `${res.type} ${res.status} ${await res.text()}`;
      } catch (e) {
        return `refused: ${String(e)}`;
      }
    };
    return [
      await read({ credentials: 'include' }, '/auth/authorize'),
      await read({ credentials: 'include', method: 'POST' }, '/auth/authorize'),
      await read({ credentials: 'include', mode: 'no-cors' }, '/auth/authorize'),
      await read({}, '/auth/authorize'),
    ];
  }, baseURL!);

  for (const attempt of attempts) {
    expect(attempt, attempt).not.toMatch(/accessToken|refreshToken|authToken/i);
    // Readable answers (none, in practice) are refusals, never a 200.
    expect(attempt).not.toMatch(/^(basic|cors) 200/);
  }
  // The CCP itself still gets its token: the session is alive, only the other origin is shut out.
  const own = await ccp!.evaluate(async () => (await fetch('/auth/authorize', { credentials: 'same-origin' })).status);
  expect(own).toBe(200);
});
