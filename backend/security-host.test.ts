/**
 * Issue #12, attack 2: DNS rebinding. A name the attacker controls is pointed at 127.0.0.1; the browser then sends
 * `Host: attacker.example:<port>` and `Origin: http://attacker.example:<port>`, which a server that builds its "own
 * origin" from the Host header takes for itself. Only the hosts the server is configured for may be served.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest, startHarness, type Harness } from '../testing/backend/test-kit';

describe('attack 2: Host and origin (DNS rebinding)', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('a rebinding page cannot log in through /sim/login with its own Host and Origin', async () => {
    const evil = `attacker.example:${h.backend.port}`;
    const res = await rawRequest(h.url, '/sim/login', {
      method: 'POST', body: JSON.stringify({ username: 'agent1' }),
      headers: { Host: evil, Origin: `http://${evil}`, 'Content-Type': 'application/json' },
    });
    assert.equal(res.status, 421);
    assert.equal(res.json?.type, 'MisdirectedRequestException');
    assert.equal(typeof res.json?.message, 'string');
    assert.equal(res.json?.token, undefined);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('every route refuses an unknown Host: pages, auth, API, health', async () => {
    const headers = { Host: `attacker.example:${h.backend.port}` };
    for (const [method, path] of [['GET', '/ccp'], ['GET', '/auth/authorize'], ['POST', '/api'], ['GET', '/healthz'],
      ['GET', '/login'], ['GET', '/sim/stats']] as const) {
      const res = await rawRequest(h.url, path, { method, headers });
      assert.equal(res.status, 421, `${method} ${path}`);
      assert.equal(res.json?.type, 'MisdirectedRequestException', `${method} ${path}`);
    }
    assert.equal((await rawRequest(h.url, '/healthz', { headers: { Host: `127.0.0.1:${h.backend.port + 1}` } })).status, 421,
      'the right name at the wrong port is another origin');
  });

  test('the loopback names at the bound port are served', async () => {
    for (const host of [`127.0.0.1:${h.backend.port}`, `localhost:${h.backend.port}`, `[::1]:${h.backend.port}`]) {
      assert.equal((await rawRequest(h.url, '/healthz', { headers: { Host: host } })).status, 200, host);
    }
  });
});

describe('attack 2: PUBLIC_ORIGIN behind a TLS proxy', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ publicOrigin: 'https://ccp.example' }); });
  after(() => h.close());

  test('the public host is served and its https origin counts as the server\'s own', async () => {
    const res = await rawRequest(h.url, '/login', {
      method: 'POST',
      headers: { Host: 'ccp.example', Origin: 'https://ccp.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=agent1&password=connect',
    });
    assert.equal(res.status, 303, res.text);
    const forged = await rawRequest(h.url, '/login', {
      method: 'POST',
      headers: { Host: 'ccp.example', Origin: 'http://ccp.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=agent1&password=connect',
    });
    assert.equal(forged.status, 403, 'the scheme comes from PUBLIC_ORIGIN, not from the request');
  });
});
