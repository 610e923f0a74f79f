import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCrmServer, type RunningCrmServer } from './crm-server';
import { CRM_ORIGIN, CROSS_SITE_CRM_ORIGIN, rawRequest, startHarness, type Harness } from '../testing/backend/test-kit';


/** A throw-away repository root with bundles, a CCP page, an asset and a secret next to them. */
function fakeRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cti-static-'));
  mkdirSync(path.join(root, 'dist'));
  mkdirSync(path.join(root, 'apps', 'ccp', 'assets'), { recursive: true });
  mkdirSync(path.join(root, 'apps', 'crm'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'connect-streams.js'), 'var connect = {};');
  writeFileSync(path.join(root, 'dist', 'connect-shared-worker.js'), 'self.x = 1;');
  writeFileSync(path.join(root, 'dist', 'connect-streams.js.map'), '{"version":3}');
  writeFileSync(path.join(root, 'apps', 'ccp', 'ccp.html'), '<!doctype html><title>CCP</title>');
  writeFileSync(path.join(root, 'apps', 'ccp', 'assets', 'ccp.css'), 'body{}');
  writeFileSync(path.join(root, 'apps', 'crm', 'index.html'), '<!doctype html><title>CRM</title>');
  writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
  return root;
}

describe('pages, bundles, CSP and CORS', () => {
  let h: Harness;
  let root: string;
  before(async () => {
    root = fakeRoot();
    h = await startHarness({ rootDir: root, approvedOrigins: [CRM_ORIGIN, CROSS_SITE_CRM_ORIGIN] });
  });
  after(async () => {
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('/ccp carries frame-ancestors with the approved origins', async () => {
    const res = await fetch(`${h.url}/ccp`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(res.headers.get('content-security-policy'), `frame-ancestors 'self' ${CRM_ORIGIN} ${CROSS_SITE_CRM_ORIGIN}`);
    assert.match(await res.text(), /<title>CCP/);
  });

  test('/inspector is a clean 404 when the page does not exist', async () => {
    const res = await fetch(`${h.url}/inspector`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).__type, 'ResourceNotFoundException');
  });

  test('bundles and assets: right content types, no-cache', async () => {
    const js = await fetch(`${h.url}/connect-streams.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /application\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'no-cache');
    assert.equal(await js.text(), 'var connect = {};');
    assert.equal((await fetch(`${h.url}/connect-shared-worker.js`)).status, 200);
    assert.match((await fetch(`${h.url}/connect-streams.js.map`)).headers.get('content-type') ?? '', /application\/json/);
    const css = await fetch(`${h.url}/assets/ccp.css`);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal((await fetch(`${h.url}/connect-streams-min.js`)).status, 404, 'missing bundle → 404');
  });

  test('directory traversal never escapes the static folders', async () => {
    const attempts = [
      '/assets/../../../secret.txt', '/assets/%2e%2e/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2f..%2fsecret.txt',
      '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/....//....//secret.txt', '/assets/.%2e/.%2e/.%2e/secret.txt',
      '/assets/%5c..%5c..%5csecret.txt', '/..\\..\\secret.txt', '/assets/ccp.css%00.js', '/.%2e/.%2e/secret.js',
    ];
    for (const attempt of attempts) {
      const res = await rawRequest(h.url, attempt);
      assert.notEqual(res.status, 200, attempt);
      assert.doesNotMatch(res.text, /SECRET/, attempt);
    }
  });

  test('/ redirects to /ccp; /healthz and /approved-origins answer', async () => {
    const home = await fetch(`${h.url}/`, { redirect: 'manual' });
    assert.equal(home.headers.get('location'), '/ccp');
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    assert.deepEqual(await (await fetch(`${h.url}/approved-origins`)).json(), { origins: [CRM_ORIGIN, CROSS_SITE_CRM_ORIGIN], loginOrigins: [] });
  });

  test('CORS preflight: approved origins get the allowances, others get nothing', async () => {
    const ok = await fetch(`${h.url}/api`, { method: 'OPTIONS', headers: { Origin: CROSS_SITE_CRM_ORIGIN,
      'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-amz-target,x-amz-bearer' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), CROSS_SITE_CRM_ORIGIN);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /X-Amz-Bearer/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /X-Idempotency-Token/);
    const no = await fetch(`${h.url}/api`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example',
      'Access-Control-Request-Method': 'POST' } });
    assert.equal(no.status, 403);
    assert.equal(no.headers.get('access-control-allow-origin'), null);
    const authorize = await fetch(`${h.url}/auth/authorize`, { method: 'OPTIONS', headers: { Origin: CRM_ORIGIN } });
    assert.equal(authorize.status, 403, 'the auth routes are same-origin only');
    assert.equal(authorize.headers.get('access-control-allow-origin'), null);
  });

  test('API calls: approved and same origins are served, other origins are refused', async () => {
    const approved = await h.cti('GetAgentStates', {}, { headers: { Origin: CRM_ORIGIN } });
    assert.equal(approved.status, 200);
    assert.equal(approved.headers.get('access-control-allow-origin'), CRM_ORIGIN);
    const same = await h.cti('GetAgentStates', {}, { headers: { Origin: h.url } });
    assert.equal(same.status, 200);
    const foreign = await h.cti('PutAgentState', { state: { name: 'Lunch', type: 'not_routable' } },
      { headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    assert.equal((await h.truth()).state.name, 'Available');
    const authorize = await fetch(`${h.url}/auth/authorize`, { headers: { Origin: 'https://evil.example' } });
    assert.equal(authorize.status, 403);
  });

  test('the login page may be framed only by approved origins too', async () => {
    const res = await fetch(`${h.url}/login`);
    assert.equal(res.headers.get('content-security-policy'), `frame-ancestors 'self' ${CRM_ORIGIN} ${CROSS_SITE_CRM_ORIGIN}`);
  });
});

describe('demo CRM server', () => {
  let root: string;
  let crm: RunningCrmServer;
  let empty: RunningCrmServer;
  before(async () => {
    root = fakeRoot();
    crm = await startCrmServer({ port: 0, ccpUrl: 'http://127.0.0.1:8080', crmDir: path.join(root, 'apps', 'crm') });
    empty = await startCrmServer({ port: 0, ccpUrl: 'http://127.0.0.1:8080/', crmDir: path.join(root, 'nothing-here') });
  });
  after(async () => {
    await Promise.all([crm.close(), empty.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  test('serves index.html and /config.js pointing at the CCP', async () => {
    const index = await fetch(`${crm.url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<title>CRM/);
    const config = await fetch(`${crm.url}/config.js`);
    assert.match(config.headers.get('content-type') ?? '', /javascript/);
    assert.equal(await config.text(), 'window.CRM_CONFIG = {"ccpUrl":"http://127.0.0.1:8080/ccp"};\n');
  });

  test('works with no CRM folder (404s) and blocks traversal', async () => {
    assert.equal((await fetch(`${empty.url}/`)).status, 404);
    assert.match(await (await fetch(`${empty.url}/config.js`)).text(), /"ccpUrl":"http:\/\/127\.0\.0\.1:8080\/ccp"/);
    for (const attempt of ['/../../secret.txt', '/%2e%2e/%2e%2e/secret.txt', '/..%2f..%2fsecret.txt']) {
      const res = await rawRequest(crm.url, attempt);
      assert.notEqual(res.status, 200, attempt);
      assert.doesNotMatch(res.text, /SECRET/);
    }
  });
});
