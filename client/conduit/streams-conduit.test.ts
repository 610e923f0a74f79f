import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorType, MAX_UP_MESSAGE_CHARS } from '../../shared/protocol';
import {
  broadcastRoute, BroadcastRoute, conduitErrorString, ConduitUpEvent, looksLikeConduit, validateConduitUp,
} from './streams-conduit';
import { SERVED_CONDUIT_METHODS, toEngineRequest, UNSERVED_CONDUIT_METHODS } from './conduit-requests';

describe('validateConduitUp: every CRM → frame message', () => {
  test('not a conduit message at all: our bridge, unrelated traffic, null → null (ignored)', () => {
    assert.equal(validateConduitUp({ source: 'connect-sync-bridge', type: 'hello', id: 1 }), null);
    assert.equal(validateConduitUp({ source: 'x', event: 'synchronize' }), null);
    assert.equal(validateConduitUp(null), null);
    assert.equal(validateConduitUp('synchronize'), null);
    assert.equal(looksLikeConduit({ event: 'synchronize' }), true);
  });

  test('api_request: id, method and params checked; a bad one keeps the id so the CRM gets an answer', () => {
    const ok = validateConduitUp({ event: 'api_request', data: { event: 'api_request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c' } } });
    assert.deepEqual(ok, { ok: true, value: { event: ConduitUpEvent.API_REQUEST, requestId: 'r1', method: 'acceptContact', params: { contactId: 'c' } } });
    const noParams = validateConduitUp({ event: 'api_request', data: { requestId: 'r2', method: 'getEndpoints' } });
    assert.deepEqual(noParams && noParams.ok && noParams.value, { event: ConduitUpEvent.API_REQUEST, requestId: 'r2', method: 'getEndpoints', params: {} });
    const badMethod = validateConduitUp({ event: 'api_request', data: { requestId: 'r3', method: 7 } });
    assert.ok(badMethod && !badMethod.ok);
    assert.equal(badMethod.rejection.error.type, ErrorType.VALIDATION);
    assert.deepEqual(badMethod.rejection.answer, { event: ConduitUpEvent.API_REQUEST, requestId: 'r3' });
    const badParams = validateConduitUp({ event: 'api_request', data: { requestId: 'r4', method: 'x', params: [1] } });
    assert.ok(badParams && !badParams.ok && badParams.rejection.answer?.requestId === 'r4');
    const noId = validateConduitUp({ event: 'api_request', data: { method: 'x' } });
    assert.ok(noId && !noId.ok && noId.rejection.answer === undefined);
  });

  test('master_request: only checkMaster/becomeMaster with a topic', () => {
    const ok = validateConduitUp({ event: 'master_request', data: { requestId: 'm1', method: 'checkMaster', params: { topic: 'connect::metrics', shouldNotBecomeMasterIfNone: true } } });
    assert.deepEqual(ok && ok.ok && ok.value, { event: ConduitUpEvent.MASTER_REQUEST, requestId: 'm1', method: 'checkMaster', topic: 'connect::metrics', shouldNotBecomeMasterIfNone: true });
    const release = validateConduitUp({ event: 'master_request', data: { requestId: 'm2', method: 'releaseMaster', params: { topic: 't' } } });
    assert.ok(release && !release.ok && release.rejection.answer?.requestId === 'm2');
    const noTopic = validateConduitUp({ event: 'master_request', data: { requestId: 'm3', method: 'becomeMaster', params: {} } });
    assert.ok(noTopic && !noTopic.ok);
  });

  test('broadcast, configure, outer_context_info and the signals', () => {
    const b = validateConduitUp({ event: 'broadcast', data: { event: 'mute', data: { mute: true } } });
    assert.deepEqual(b && b.ok && b.value, { event: ConduitUpEvent.BROADCAST, name: 'mute', data: { mute: true } });
    assert.ok(!validateConduitUp({ event: 'broadcast', data: { data: 1 } })!.ok);
    const c = validateConduitUp({ event: 'configure', data: { softphone: { allowFramedSoftphone: true } } });
    assert.deepEqual(c && c.ok && c.value, { event: ConduitUpEvent.CONFIGURE, options: { softphone: { allowFramedSoftphone: true } } });
    assert.ok(!validateConduitUp({ event: 'configure', data: 'x' })!.ok);
    const o = validateConduitUp({ event: 'outer_context_info', data: { streamsVersion: '2.28.1' } });
    assert.deepEqual(o && o.ok && o.value, { event: ConduitUpEvent.OUTER_CONTEXT_INFO, streamsVersion: '2.28.1' });
    for (const event of ['synchronize', 'iframe_style', 'reload_agent_configuration', 'media_device_request', 'terminate']) {
      assert.deepEqual(validateConduitUp({ event, data: { anything: 1 } }), { ok: true, value: { event } });
    }
  });

  test('unknown events and oversized messages are refused with a ValidationError', () => {
    const unknown = validateConduitUp({ event: 'webSocket::send', data: {} });
    assert.ok(unknown && !unknown.ok);
    assert.match(unknown.rejection.error.message, /unknown conduit event/);
    const big = validateConduitUp({ event: 'broadcast', data: { event: 'log', data: 'x'.repeat(MAX_UP_MESSAGE_CHARS + 1) } });
    assert.ok(big && !big.ok);
    assert.match(big.rejection.error.message, /larger than/);
  });
});

describe('broadcast routes and errors', () => {
  test('log lines go to the engine log, telemetry back to the sender, the rest to every tab', () => {
    assert.equal(broadcastRoute('log'), BroadcastRoute.LOG);
    assert.equal(broadcastRoute('server_bound_internal_log'), BroadcastRoute.LOG);
    assert.equal(broadcastRoute('client_metric'), BroadcastRoute.SENDER_ONLY);
    assert.equal(broadcastRoute('click_stream_data'), BroadcastRoute.SENDER_ONLY);
    assert.equal(broadcastRoute('contact::accepted'), BroadcastRoute.EVERY_TAB);
    assert.equal(broadcastRoute('mute'), BroadcastRoute.EVERY_TAB);
  });

  test('a failure is a JSON string of {type, message, stack, retryStatus}, as the genuine callers parse it', () => {
    assert.deepEqual(JSON.parse(conduitErrorString({ type: 'InvalidStateException', message: 'no' })),
      { type: 'InvalidStateException', message: 'no', stack: [], retryStatus: 'none' });
  });
});

describe('toEngineRequest: served and unserved methods', () => {
  test('every served method maps to a CTI operation', () => {
    for (const op of SERVED_CONDUIT_METHODS) {
      const method = op.charAt(0).toLowerCase() + op.slice(1);
      assert.equal(toEngineRequest(method, {}).ok, true, method);
    }
  });

  test('CTI methods pass through by their camelCase name', () => {
    assert.deepEqual(toEngineRequest('acceptContact', { contactId: 'c' }), { ok: true, method: 'acceptContact', params: { contactId: 'c' } });
    assert.deepEqual(toEngineRequest('putAgentState', { state: { name: 'Lunch', type: 'not_routable' }, enqueueNextState: true }),
      { ok: true, method: 'putAgentState', params: { state: { name: 'Lunch', type: 'not_routable' }, enqueueNextState: true } });
  });

  test('every unserved method is a typed UnknownMethodError at once; a wrong case, a CTI read or the session refresh too', () => {
    for (const method of [...Object.keys(UNSERVED_CONDUIT_METHODS), 'AcceptContact', 'AgentAppService.VoiceId.describeSpeaker',
      'getNewAuthToken', 'getAgentConfiguration', 'sendClientLogs']) {
      const r = toEngineRequest(method, {});
      assert.equal(r.ok, false, method);
      assert.equal(!r.ok && r.error.type, ErrorType.UNKNOWN_METHOD, method);
    }
  });

  test('updateAgentConfiguration keeps only what GetAgentConfiguration returns', () => {
    const r = toEngineRequest('updateAgentConfiguration', { configuration: {
      name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', agentStates: [{ name: 'x' }], permissions: ['p'],
      routingProfile: { name: 'RP', routingProfileARN: 'arn', routingProfileId: 'arn', queues: [{ queueARN: 'q' }],
        defaultOutboundQueue: { queueARN: 'q', name: 'Q', queueId: 'q' } },
    } });
    assert.deepEqual(r, { ok: true, method: 'updateAgentConfiguration', params: { configuration: {
      name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '',
      routingProfile: { name: 'RP', routingProfileARN: 'arn', defaultOutboundQueue: { queueARN: 'q', name: 'Q' } },
    } } });
  });

  test('createOutboundContact keeps the endpoint fields and the queue (relatedContactId is not in our contract)', () => {
    const r = toEngineRequest('createOutboundContact', { endpoint: { type: 'phone_number', phoneNumber: '+1', endpointId: 'e', endpointARN: 'e' }, queueARN: 'q', relatedContactId: 'c' });
    assert.deepEqual(r, { ok: true, method: 'createOutboundContact', params: { queueARN: 'q', endpoint: { endpointARN: 'e', type: 'phone_number', phoneNumber: '+1' } } });
  });
});
