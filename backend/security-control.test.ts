/**
 * Issue #12, attack 3: the simulator's control API (`/sim/*`) has no passwords. A CRM page must never reach it, and
 * it must not open on a network interface unless asked for explicitly, and then only with the start-up token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ControlApiMode } from './config';
import { CRM_ORIGIN, startHarness, type Harness } from '../testing/backend/test-kit';


describe('attack 3: control API and approved CRM origins', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ approvedOrigins: [CRM_ORIGIN] }); });
  after(() => h.close());

  test('an approved CRM origin may not reset, inject faults, expire sessions or log in', async () => {
    await h.login('agent1');
    for (const [method, path, body] of [['POST', '/sim/reset', undefined], ['POST', '/sim/faults', { down: true }],
      ['POST', '/sim/agents/agent1/expire-session', undefined], ['POST', '/sim/login', { username: 'agent2' }],
      ['GET', '/sim/stats', undefined]] as const) {
      const res = await h.control(method, path, body, { Origin: CRM_ORIGIN });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.type, 'AccessDeniedException', `${method} ${path}`);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    }
    assert.deepEqual((await h.control('GET', '/sim/faults')).body.faults, {}, 'no fault was set');
    assert.equal((await h.cti('GetAgentStates', {})).status, 200, 'the session was not expired');
  });

  test('a same-site page without Origin (no-cors) is refused too; the CCP origin and tools are served', async () => {
    assert.equal((await h.control('POST', '/sim/reset', undefined, { 'Sec-Fetch-Site': 'same-site' })).status, 403);
    assert.equal((await h.control('POST', '/sim/reset', undefined, { Origin: h.url, 'Sec-Fetch-Site': 'same-origin' })).status, 200);
    assert.equal((await h.control('POST', '/sim/reset')).status, 200, 'no Origin: a script or test, not a page');
  });
});

describe('attack 3: control API on a non-loopback interface', () => {
  test('bound to 0.0.0.0 without CONTROL_API=on, /sim is off', async () => {
    const h = await startHarness({ host: '0.0.0.0' });
    try {
      assert.equal((await h.control('GET', '/sim')).status, 404);
      assert.equal((await h.control('POST', '/sim/login', { username: 'agent1' })).status, 404);
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    } finally {
      await h.close();
    }
  });

  test('with CONTROL_API=on every call needs the random start-up token', async () => {
    const h = await startHarness({ host: '0.0.0.0', controlApi: ControlApiMode.ON });
    try {
      const token = h.backend.controlToken;
      assert.equal(typeof token, 'string');
      assert.ok(token!.length >= 32, 'a long random token');
      const none = await h.control('POST', '/sim/reset');
      assert.equal(none.status, 401);
      assert.equal(none.body.type, 'ControlTokenRequiredException');
      assert.equal((await h.control('POST', '/sim/reset', undefined, { 'X-Control-Token': 'guess' })).status, 401);
      assert.equal((await h.control('POST', '/sim/reset', undefined, { 'X-Control-Token': token! })).status, 200);
      assert.equal((await h.control('GET', '/sim', undefined, { 'X-Control-Token': token! })).status, 200);
    } finally {
      await h.close();
    }
  });

  test('another backend has another token', async () => {
    const a = await startHarness({ host: '0.0.0.0', controlApi: ControlApiMode.ON });
    const b = await startHarness({ host: '0.0.0.0', controlApi: ControlApiMode.ON });
    try {
      const ta = a.backend.controlToken;
      const tb = b.backend.controlToken;
      assert.ok(ta && tb && ta !== tb);
      assert.equal((await b.control('POST', '/sim/reset', undefined, { 'X-Control-Token': ta })).status, 401);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('on loopback the control API needs no token', async () => {
    const h = await startHarness({ controlApi: ControlApiMode.ON });
    try {
      assert.equal((await h.control('POST', '/sim/reset')).status, 200);
    } finally {
      await h.close();
    }
  });
});
