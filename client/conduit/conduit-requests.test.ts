import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { operationOf } from '../../shared/cti';
import { ErrorType } from '../../shared/protocol';
import { SERVED_CONDUIT_METHODS, toEngineRequest, UNSERVED_CONDUIT_METHODS } from './conduit-requests';

/** Every `api_request` method issue #14 lists as sent by the genuine 2.28.2 library for the guide's API. */
const ISSUE_METHODS = [
  'putAgentState', 'updateAgentConfiguration', 'createOutboundContact', 'getEndpoints', 'acceptContact', 'rejectContact',
  'clearContact', 'completeContact', 'notifyContactIssue', 'createAdditionalConnection', 'toggleActiveConnections',
  'conferenceConnections', 'destroyConnection', 'holdConnection', 'resumeConnection', 'sendDigits', 'muteParticipant',
  'unmuteParticipant', 'createTransport', 'sendSoftphoneCallMetrics', 'sendSoftphoneCallReport',
];

describe('the conduit method table', () => {
  test('every method of the issue is either served (a CTI operation of that name) or listed as unserved', () => {
    for (const method of ISSUE_METHODS) {
      const op = operationOf(method);
      const served = op !== undefined && SERVED_CONDUIT_METHODS.has(op);
      assert.notEqual(served, method in UNSERVED_CONDUIT_METHODS, `${method}: exactly one of served / unserved`);
    }
  });

  test('a served method reaches the engine under its own name', () => {
    for (const op of SERVED_CONDUIT_METHODS) {
      const method = op.charAt(0).toLowerCase() + op.slice(1);
      const r = toEngineRequest(method, { contactId: 'c-1' });
      assert.equal(r.ok, true, method);
      assert.equal(r.ok && r.method, method);
    }
  });

  test('muteParticipant / unmuteParticipant are served (issue #14), with their params untouched', () => {
    const params = { contactId: 'c-1', connectionId: 'k-1' };
    for (const method of ['muteParticipant', 'unmuteParticipant']) {
      assert.deepEqual(toEngineRequest(method, params), { ok: true, method, params });
      assert.equal(method in UNSERVED_CONDUIT_METHODS, false, method);
    }
  });

  test('getEndpoints keeps its paging (nextToken, maxResults) and queues', () => {
    const params = { queueARNs: ['arn:q1'], nextToken: 't-2', maxResults: 500 };
    assert.deepEqual(toEngineRequest('getEndpoints', params), { ok: true, method: 'getEndpoints', params });
  });

  test('what a genuine CRM never sends is refused at once with UnknownMethodError: the session refresh, the log upload, the reads, the long poll', () => {
    for (const method of ['getNewAuthToken', 'sendClientLogs', 'getAgentStates', 'getAgentConfiguration', 'getAgentPermissions',
      'getRoutingProfileQueues', 'getDialableCountryCodes', 'getAgentSnapshot', 'toString', '__proto__', 'constructor']) {
      const r = toEngineRequest(method, {});
      assert.equal(r.ok, false, method);
      assert.equal(!r.ok && r.error.type, ErrorType.UNKNOWN_METHOD, method);
      assert.match(!r.ok ? r.error.message : '', /does not serve/);
    }
  });
});
