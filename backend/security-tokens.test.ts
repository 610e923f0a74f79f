/**
 * Issue #12, attack 1: tokens stay on the CCP origin. A page of an approved CRM origin (same site as the CCP in the
 * demo) must not read a token from the auth routes, nothing but the session cookie may outlive a login, and a refresh
 * must die with the login session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CRM_ORIGIN, CROSS_SITE_CRM_ORIGIN, rawRequest, startHarness, type Harness } from '../testing/backend/test-kit';


function formLogin(h: Harness, username: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username, password: 'connect' }).toString(),
  });
}

const cookieOf = (res: { headers: Headers }): string => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('attack 1: tokens stay on the CCP origin', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ approvedOrigins: [CRM_ORIGIN, CROSS_SITE_CRM_ORIGIN] }); });
  after(() => h.close());

  test('a same-site CRM page reading /auth/authorize with credentials gets 403 and no CORS grant', async () => {
    const cookie = cookieOf(await formLogin(h, 'agent1'));
    const res = await fetch(`${h.url}/auth/authorize`, { headers: { cookie, Origin: CRM_ORIGIN } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    const body = await res.json();
    assert.equal(body.type, 'AccessDeniedException');
    assert.equal(typeof body.message, 'string');
    assert.equal(body.accessToken, undefined);
    const preflight = await fetch(`${h.url}/auth/authorize`, { method: 'OPTIONS', headers: { Origin: CRM_ORIGIN,
      'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.notEqual(preflight.status, 204);
  });

  test('a no-cors request from another page of the site (Sec-Fetch-Site: same-site) gets no token either', async () => {
    const cookie = cookieOf(await formLogin(h, 'agent1'));
    const res = await fetch(`${h.url}/auth/authorize`, { headers: { cookie, 'Sec-Fetch-Site': 'same-site' } });
    assert.equal(res.status, 403);
  });

  test('the CCP origin itself gets an access token and never a refresh token', async () => {
    const cookie = cookieOf(await formLogin(h, 'agent2'));
    const res = await fetch(`${h.url}/auth/authorize`, { headers: { cookie, Origin: h.url, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 200);
    const grant = await res.json();
    assert.equal(typeof grant.accessToken, 'string');
    assert.equal(grant.refreshToken, undefined);
    assert.deepEqual(Object.keys(grant).sort(), ['accessToken', 'expiration']);
  });

  test('every auth route refuses foreign origins, approved CRM origins included', async () => {
    const login = await formLogin(h, 'agent1', { Origin: CRM_ORIGIN });
    assert.equal(login.status, 403);
    assert.equal(login.headers.get('set-cookie'), null);
    const cookie = cookieOf(await formLogin(h, 'agent1'));
    const out = await fetch(`${h.url}/logout`, { method: 'POST', headers: { cookie, Origin: CROSS_SITE_CRM_ORIGIN } });
    assert.equal(out.status, 403);
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 200, 'the session survived');
  });

  test('logout is POST only; GET /logout neither ends the session nor clears the cookie', async () => {
    const cookie = cookieOf(await formLogin(h, 'agent3'));
    const get = await fetch(`${h.url}/logout`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('set-cookie'), null);
    assert.equal((await get.json()).type, 'MethodNotAllowedException');
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 200);
    const post = await fetch(`${h.url}/logout`, { method: 'POST', headers: { cookie, Origin: h.url } });
    assert.equal(post.status, 204);
    assert.equal((await fetch(`${h.url}/auth/authorize`, { headers: { cookie } })).status, 401);
  });

  test('/api grants CORS to approved origins without credentials', async () => {
    const res = await h.cti('GetAgentStates', {}, { headers: { Origin: CRM_ORIGIN } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), CRM_ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    const preflight = await fetch(`${h.url}/api`, { method: 'OPTIONS', headers: { Origin: CRM_ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
  });
});

describe('attack 1: a refresh dies with the login session', () => {
  let h: Harness;
  // Session 1 s: long enough for the first refresh, short enough to outlive in a test. Tokens outlive it on purpose.
  before(async () => { h = await startHarness({ sessionTtlSeconds: 1, tokenTtlSeconds: 60 }); });
  after(() => h.close());

  test('a refresh token obtained before the session ended buys nothing after it', async () => {
    const login = await h.control('POST', '/sim/login', { username: 'agent1' });
    const first = await h.cti('GetNewAuthToken', { refreshToken: login.body.refreshToken }, { token: login.body.token });
    assert.equal(first.status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await h.cti('GetNewAuthToken', { refreshToken: first.body.refreshToken }, { token: first.body.newAuthToken });
    assert.notEqual(late.status, 200, 'refreshing past the login session must fail');
    assert.equal((await h.cti('GetAgentStates', {}, { token: first.body.newAuthToken })).status, 401,
      'no token outlives its session');
  });

  test('expire-session revokes the tokens refreshed from the session too', async () => {
    const login = await h.control('POST', '/sim/login', { username: 'agent2' });
    const refreshed = await h.cti('GetNewAuthToken', { refreshToken: login.body.refreshToken }, { token: login.body.token });
    assert.equal(refreshed.status, 200);
    await h.control('POST', '/sim/agents/agent2/expire-session');
    assert.equal((await h.cti('GetAgentStates', {}, { token: refreshed.body.newAuthToken })).status, 401);
    const again = await h.cti('GetNewAuthToken', { refreshToken: refreshed.body.refreshToken }, { token: login.body.token });
    assert.notEqual(again.status, 200);
  });
});

describe('attack 1: the session cookie behind TLS', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ publicOrigin: 'https://ccp.example' }); });
  after(() => h.close());

  test('a login through the public https origin sets a Secure cookie', async () => {
    const res = await rawRequest(h.url, '/login', {
      method: 'POST',
      headers: { Host: 'ccp.example', Origin: 'https://ccp.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=agent1&password=connect',
    });
    assert.equal(res.status, 303);
    const cookie = String(res.headers['set-cookie'] ?? '');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /;\s*Secure/);
  });
});
