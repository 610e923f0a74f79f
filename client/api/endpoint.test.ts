import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Address, Endpoint, toCtiEndpoint } from './endpoint';

describe('Endpoint', () => {
  test('defaults every field to null; endpointId is an alias of endpointARN', () => {
    assert.deepEqual({ ...new Endpoint() }, {
      endpointARN: null, endpointId: null, type: null, name: null, phoneNumber: null, agentLogin: null, queue: null,
    });
    const e = new Endpoint({ endpointId: 'ep-1', type: 'agent' });
    assert.equal(e.endpointARN, 'ep-1');
    assert.equal(e.endpointId, 'ep-1');
  });

  test('byPhoneNumber, byAgent, byQueue', () => {
    assert.deepEqual({ ...Endpoint.byPhoneNumber('+12065550100', 'Bob') }, {
      endpointARN: null, endpointId: null, type: 'phone_number', name: 'Bob', phoneNumber: '+12065550100', agentLogin: null, queue: null,
    });
    assert.equal(Endpoint.byPhoneNumber('+1').name, null);
    const agent = Endpoint.byAgent('agent2', 'ep-a2');
    assert.equal(agent.type, 'agent');
    assert.equal(agent.name, 'agent2');
    const queue = Endpoint.byQueue({ queueARN: 'q-1', name: 'Sales' });
    assert.equal(queue.type, 'queue');
    assert.equal(queue.name, 'Sales');
  });

  test('stripPhoneNumber removes a sip: URI wrapper', () => {
    assert.equal(new Endpoint({ phoneNumber: 'sip:+12065550100@sip.example.com' }).stripPhoneNumber(), '+12065550100');
    assert.equal(Endpoint.byPhoneNumber('+12065550100').stripPhoneNumber(), '+12065550100');
    assert.equal(new Endpoint().stripPhoneNumber(), '');
  });

  test('toCtiEndpoint drops nulls and the endpointId alias', () => {
    assert.deepEqual(toCtiEndpoint(Endpoint.byPhoneNumber('+1206')), { type: 'phone_number', phoneNumber: '+1206' });
    assert.deepEqual(toCtiEndpoint(new Endpoint({ endpointId: 'ep', type: 'queue', queue: { queueARN: 'q' } })),
      { type: 'queue', endpointARN: 'ep', queue: { queueARN: 'q' } });
  });

  test('connect.Address is connect.Endpoint', () => {
    assert.equal(Address, Endpoint);
  });
});
