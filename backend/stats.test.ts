import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINE_ID_HEADER } from '../shared/cti';
import { BackendStats } from './stats';
import { startHarness, type Harness } from '../testing/backend/test-kit';

describe('BackendStats pollers', () => {
  test('records per agent and engine the count and the first and last poll start', () => {
    const stats = new BackendStats();
    stats.pollStarted('agent1', 'e1', 100);
    stats.pollStarted('agent1', 'e1', 250);
    stats.pollStarted('agent1', 'e2', 300);
    stats.pollStarted('agent2', undefined, 400);
    const { pollers } = stats.view();
    assert.deepEqual(pollers.agent1, { e1: { count: 2, first: 100, last: 250 }, e2: { count: 1, first: 300, last: 300 } });
    assert.deepEqual(pollers.agent2, { '(none)': { count: 1, first: 400, last: 400 } });
  });

  test('reset forgets them; engine ids are capped in length and number', () => {
    const stats = new BackendStats();
    stats.pollStarted('agent1', 'x'.repeat(500), 1);
    assert.deepEqual(Object.keys(stats.view().pollers.agent1!).map((k) => k.length), [128]);
    for (let i = 0; i < 150; i++) stats.pollStarted('agent1', `e${i}`, i);
    const engines = stats.view().pollers.agent1!;
    assert.equal(Object.keys(engines).length, 101);
    assert.ok(engines['(more)']!.count >= 50);
    stats.reset();
    assert.deepEqual(stats.view().pollers, {});
  });
});

describe('GET /sim/stats pollers', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('a GetAgentSnapshot call is recorded under its X-Engine-Id; other operations are not', async () => {
    await h.control('POST', '/sim/stats/reset');
    const res = await h.cti('GetAgentSnapshot', { timeout: 0 }, { headers: { [ENGINE_ID_HEADER]: 'engine-a' } });
    assert.equal(res.status, 200);
    await h.cti('GetAgentStates', {}, { headers: { [ENGINE_ID_HEADER]: 'engine-b' } });
    const stats = (await h.control('GET', '/sim/stats')).body;
    assert.deepEqual(Object.keys(stats.pollers.agent1), ['engine-a']);
    assert.equal(stats.pollers.agent1['engine-a'].count, 1);
    assert.ok(stats.pollers.agent1['engine-a'].first <= Date.now());
  });
});
