import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { safeRedirectPath } from './auth-routes';
import { startHarness, type Harness } from '../testing/backend/test-kit';

function formPost(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

function cookieOf(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('login, sessions and tokens', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ agentPassword: 'secret' }); });
  after(() => h.close());

  test('GET /login serves an accessible form', async () => {
    const res = await fetch(`${h.url}/login?redirect=/ccp`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /<label for="username">/);
    assert.match(html, /<label for="password">/);
    assert.match(html, /action="\/login\?redirect=%2Fccp"/);
  });

  test('a wrong password shows the form again with an error (401) and sets no cookie', async () => {
    const res = await formPost(`${h.url}/login`, { username: 'agent1', password: 'connect' });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /role="alert"[^>]*>Wrong username or password/);
    assert.equal(res.headers.get('set-cookie'), null);
    const unknown = await formPost(`${h.url}/login`, { username: 'nobody', password: 'secret' });
    assert.equal(unknown.status, 401);
  });

  test('a good login sets the session cookie and redirects to a same-origin path only', async () => {
    const res = await formPost(`${h.url}/login?redirect=${encodeURIComponent('/inspector?x=1')}`, { username: 'agent1', password: 'secret' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/inspector?x=1');
    assert.match(res.headers.get('set-cookie') ?? '', /^connect_sync_session=[^;]+; HttpOnly; SameSite=Lax; Path=\//);
    const offsite = await formPost(`${h.url}/login?redirect=${encodeURIComponent('//evil.example/x')}`, { username: 'agent1', password: 'secret' });
    assert.equal(offsite.headers.get('location'), '/ccp');
    for (const bad of ['https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', null]) {
      assert.equal(safeRedirectPath(bad), '/ccp', String(bad));
    }
    assert.equal(safeRedirectPath('/ccp?a=b#c'), '/ccp?a=b#c');
  });

  test('a login form posted from a foreign origin is refused', async () => {
    const res = await formPost(`${h.url}/login`, { username: 'agent1', password: 'secret' }, { Origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('popup mode ends on a page that posts the token to its opener at its own origin', async () => {
    const res = await formPost(`${h.url}/login?popup=1`, { username: 'agent2', password: 'secret' });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /"type":"connect-sync:login"/);
    assert.match(html, /postMessage\(message, window\.location\.origin\)/);
    assert.doesNotMatch(html, /'\*'|"\*"/);
    const token = /"accessToken":"([^"]+)"/.exec(html)![1]!;
    assert.equal((await h.cti('GetAgentConfiguration', {}, { token })).body.configuration.username, 'agent2');
    const form = await (await fetch(`${h.url}/login?popup=1&redirect=/ccp`)).text();
    assert.match(form, /action="\/login\?redirect=%2Fccp&amp;popup=1"/);
  });

  test('/auth/authorize: cookie → {accessToken, expiration in ms}; no cookie → 401', async () => {
    const login = await formPost(`${h.url}/login`, { username: 'agent3', password: 'secret' });
    const cookie = cookieOf(login);
    const res = await fetch(`${h.url}/auth/authorize`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const grant = await res.json();
    assert.ok(grant.expiration > Date.now() + 3000 * 1000, 'epoch milliseconds, about an hour ahead');
    assert.equal((await h.cti('GetAgentConfiguration', {}, { token: grant.accessToken })).body.configuration.username, 'agent3');
    const none = await fetch(`${h.url}/auth/authorize`);
    assert.equal(none.status, 401);
    assert.equal((await none.json()).__type, 'UnauthorizedException');
    assert.equal((await fetch(`${h.url}/connect/auth/authorize`, { headers: { cookie } })).status, 200);
  });

  test('logout ends the session and the tokens it issued', async () => {
    const login = await formPost(`${h.url}/login`, { username: 'agent4', password: 'secret' });
    const cookie = cookieOf(login);
    const { accessToken } = await (await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).json();
    const out = await fetch(`${h.url}/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 401);
    assert.equal((await h.cti('GetAgentStates', {}, { token: accessToken })).status, 401);
    const again = await fetch(`${h.url}/logout`, { method: 'POST' });
    assert.equal(again.status, 204);
  });

  test('expire-session forces a new login', async () => {
    const login = await formPost(`${h.url}/login`, { username: 'agent5', password: 'secret' });
    const cookie = cookieOf(login);
    const { accessToken } = await (await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).json();
    await h.control('POST', '/sim/agents/agent5/expire-session');
    assert.equal((await h.cti('GetAgentStates', {}, { token: accessToken })).status, 401);
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 401);
    const again = await formPost(`${h.url}/login`, { username: 'agent5', password: 'secret' });
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie: cookieOf(again) } })).status, 200);
  });
});

describe('token expiry', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ tokenTtlSeconds: 0.2 }); });
  after(() => h.close());

  test('an expired token → 401 UnauthorizedException; /auth/authorize issues a fresh one', async () => {
    const login = await h.control('POST', '/sim/login', { username: 'agent1' });
    const token = login.body.token;
    assert.equal((await h.cti('GetAgentStates', {}, { token })).status, 200);
    await new Promise((r) => setTimeout(r, 250));
    const expired = await h.cti('GetAgentStates', {}, { token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.__type, 'UnauthorizedException');
    assert.match(expired.body.message, /expired/);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const fresh = await (await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).json();
    assert.equal((await h.cti('GetAgentStates', {}, { token: fresh.accessToken })).status, 200);
  });
});
