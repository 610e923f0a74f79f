import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfiguration } from './config-loader';
import { FakeCti, paged } from '../testing/worker/fake-cti';
import { ROUTING_PROFILE_ARN } from '../testing/worker/agent-data';
import { CtiError } from './cti-error';

const opts = { pageSize: 2, timeoutMs: 1_000 };

describe('loadConfiguration', () => {
  test('follows every page of every list (3 pages each)', async () => {
    const cti = new FakeCti()
      .on('GetAgentPermissions', paged('permissions', ['p1', 'p2', 'p3', 'p4', 'p5'], 2))
      .on('GetAgentStates', paged('states', [1, 2, 3, 4, 5].map((i) => ({ type: 'not_routable', name: `S${i}` })), 2))
      .on('GetDialableCountryCodes', paged('countryCodes', ['us', 'ca', 'gb', 'de', 'fr'], 2))
      .on('GetRoutingProfileQueues', paged('queues', [1, 2, 3, 4, 5].map((i) => ({ queueARN: `q${i}`, name: `Q${i}` })), 2));
    const cfg = await loadConfiguration(cti, opts);
    assert.deepEqual(cfg.permissions, ['p1', 'p2', 'p3', 'p4', 'p5']);
    assert.deepEqual(cfg.agentStates.map((s) => s.name), ['S1', 'S2', 'S3', 'S4', 'S5']);
    assert.deepEqual(cfg.dialableCountries, ['us', 'ca', 'gb', 'de', 'fr']);
    assert.deepEqual(cfg.routingProfile.queues?.map((q) => q.queueARN), ['q1', 'q2', 'q3', 'q4', 'q5']);
    for (const op of ['GetAgentPermissions', 'GetAgentStates', 'GetDialableCountryCodes', 'GetRoutingProfileQueues'] as const) {
      const calls = cti.callsOf(op);
      assert.equal(calls.length, 3, op);
      assert.deepEqual(calls.map((c) => c.input.nextToken), [null, 'p1', 'p2'], op);
      assert.ok(calls.every((c) => c.input.maxResults === 2), op);
    }
    assert.equal(cti.callsOf('GetRoutingProfileQueues')[0]!.input.routingProfileARN, ROUTING_PROFILE_ARN);
  });

  test('a failing page fails the round', async () => {
    let n = 0;
    const cti = new FakeCti().on('GetAgentStates', (input) => {
      n++;
      if (input.nextToken) throw new CtiError('InternalServiceException', 'boom', 500);
      return { states: [], nextToken: 'p1' };
    });
    await assert.rejects(loadConfiguration(cti, opts), (e: unknown) => e instanceof CtiError && e.type === 'InternalServiceException');
    assert.equal(n, 2);
  });

  test('a repeating nextToken is refused instead of looping forever', async () => {
    const cti = new FakeCti().on('GetDialableCountryCodes', () => ({ countryCodes: ['us'], nextToken: 'same' }));
    await assert.rejects(loadConfiguration(cti, opts), /nextToken repeats/);
  });
});
