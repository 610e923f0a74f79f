import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CTI_OPERATIONS } from '../shared/cti';
import { stableTruth, startHarness, type Harness } from '../testing/backend/test-kit';

describe('CTI API transport', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('every one of the 30 operations answers (no UnknownOperationException)', async () => {
    assert.equal(CTI_OPERATIONS.length, 30);
    for (const op of CTI_OPERATIONS) {
      const res = await h.cti(op, op === 'GetAgentSnapshot' ? { timeout: 0 } : {});
      assert.notEqual(res.body?.__type, 'UnknownOperationException', op);
      assert.ok(res.status === 200 || res.status === 400, `${op}: ${res.status}`);
    }
  });

  test('answers in AWS JSON 1.0 with epoch-second timestamps carrying milliseconds', async () => {
    const res = await h.cti('GetAgentSnapshot', {});
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-amz-json-1\.0/);
    const ts = res.body.snapshot.snapshotTimestamp;
    assert.equal(typeof ts, 'number');
    assert.ok(Math.abs(ts - Date.now() / 1000) < 5, `snapshotTimestamp ${ts} is epoch seconds`);
    assert.equal(typeof res.body.nextToken, 'string');
  });

  test('/connect/api is the same service', async () => {
    const token = await h.login('agent2');
    const res = await fetch(`${h.url}/connect/api`, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AmazonConnectCTIService.GetAgentConfiguration', 'X-Amz-Bearer': token },
      body: '{}',
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).configuration.username, 'agent2');
  });

  test('missing token → 401 UnauthorizedException; the body token is accepted', async () => {
    const missing = await h.cti('GetAgentConfiguration', {}, { token: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.__type, 'UnauthorizedException');
    assert.equal(missing.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    const token = await h.login('agent1');
    const viaBody = await h.cti('GetAgentConfiguration', { authentication: { authToken: token } }, { token: null });
    assert.equal(viaBody.status, 200);
    const bogus = await h.cti('GetAgentConfiguration', {}, { token: 'not-a-token' });
    assert.equal(bogus.status, 401);
  });

  test('an agentARN that is not the token\'s agent → 403 AccessDeniedException', async () => {
    const res = await h.cti('GetAgentConfiguration', { authentication: { agentARN: 'arn:aws:connect:x:1:instance/y/agent/z' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.__type, 'AccessDeniedException');
  });

  test('unknown operation and missing target → 400 UnknownOperationException', async () => {
    const unknown = await h.cti('DoSomethingElse', {});
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.__type, 'UnknownOperationException');
    const token = await h.login('agent1');
    const res = await fetch(`${h.url}/api`, { method: 'POST', headers: { 'X-Amz-Bearer': token }, body: '{}' });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /X-Amz-Target/);
  });

  test('GET /api → 405', async () => {
    const res = await fetch(`${h.url}/api`);
    assert.equal(res.status, 405);
  });

  describe('malformed input → 400 naming the field, state unchanged', () => {
    const cases: { name: string; op: string; body?: unknown; raw?: string; field: RegExp; type?: string }[] = [
      { name: 'bad JSON', op: 'PutAgentState', raw: '{"state": {', field: /not valid JSON/ },
      { name: 'JSON array body', op: 'PutAgentState', raw: '[1,2]', field: /JSON object/ },
      { name: 'missing state', op: 'PutAgentState', body: {}, field: /state is required/ },
      { name: 'state.name wrong type', op: 'PutAgentState', body: { state: { name: 5, type: 'routable' } }, field: /state\.name must be a string/ },
      { name: 'enqueueNextState wrong type', op: 'PutAgentState',
        body: { state: { name: 'Lunch', type: 'not_routable' }, enqueueNextState: 'yes' }, field: /enqueueNextState must be a boolean/ },
      { name: 'contactId wrong type', op: 'AcceptContact', body: { contactId: 42 }, field: /contactId must be a string/ },
      { name: 'contactId missing', op: 'ClearContact', body: {}, field: /contactId is required/ },
      { name: 'endpoint wrong type', op: 'CreateOutboundContact', body: { endpoint: 'x' }, field: /endpoint must be an object/ },
      { name: 'endpoint.type missing', op: 'CreateOutboundContact', body: { endpoint: {} }, field: /endpoint\.type is required/ },
      { name: 'timeout wrong type', op: 'GetAgentSnapshot', body: { timeout: 'soon' }, field: /timeout must be an integer/ },
      { name: 'maxResults out of range', op: 'GetAgentStates', body: { maxResults: 0 }, field: /maxResults/ },
      { name: 'logEvents item wrong', op: 'SendClientLogs', body: { logEvents: [{ timestamp: 1, component: 'ccp' }] }, field: /logEvents\[0\]\.message/ },
      { name: 'authentication wrong type', op: 'GetAgentStates', body: { authentication: 'x' }, field: /authentication must be an object/ },
      { name: 'configuration.softphoneEnabled wrong', op: 'UpdateAgentConfiguration',
        body: { configuration: { name: 'A', softphoneEnabled: 'no', softphoneAutoAccept: false, extension: '', routingProfile: {} } },
        field: /configuration\.softphoneEnabled must be a boolean/ },
      { name: 'huge body', op: 'PutAgentState', raw: JSON.stringify({ state: { name: 'Lunch', type: 'not_routable' }, pad: 'x'.repeat(300 * 1024) }),
        field: /exceeds 262144 bytes/ },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const before = stableTruth(await h.truth('agent3'));
        const res = await h.cti(c.op, c.body, { as: 'agent3', ...(c.raw !== undefined ? { raw: c.raw } : {}) });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.__type, c.type ?? 'ValidationException');
        assert.match(res.body.message, c.field);
        assert.deepEqual(stableTruth(await h.truth('agent3')), before);
      });
    }
  });

  test('a huge chunked body (no Content-Length) is refused without a crash', async () => {
    const token = await h.login('agent3');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${h.url}/api`, { method: 'POST', headers: {
        'X-Amz-Target': 'AmazonConnectCTIService.GetAgentStates', 'X-Amz-Bearer': token, 'Transfer-Encoding': 'chunked' } },
      (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(10 * 1024));
      req.end();
    });
    assert.equal(status, 400);
    assert.equal((await h.cti('GetAgentStates', {}, { as: 'agent3' })).status, 200);
  });
});
