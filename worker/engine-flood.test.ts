import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType, ErrorType, TabRole, type Response } from '../shared/protocol';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { advance, flush } from '../testing/worker/clock';
import { DEFAULT_TIMINGS } from './timings';

const NOW = 1_700_000_000_000;

const throttled = (r: unknown) => (r as Response | undefined)?.ok === false && (r as { error: { type: string } }).error.type === ErrorType.THROTTLED;

describe('Engine: a flooding tab is throttled, the others are not', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('past its burst a tab gets ThrottledError; its flood does not reach the others; they keep their share', async () => {
    const h = harness();
    const calm = await h.connect(new FakeTab('calm'));
    await h.connect(new FakeTab('flood', 'auto', TabRole.CRM));
    h.cti.on('AcceptContact', () => ({}));
    calm.clear();
    const answers: unknown[] = [];
    for (let i = 0; i < 5_000; i++) {
      answers.push(await h.engine.handle('flood', { type: 'broadcast', event: 'contact::view', data: { contactId: `c${i}` }, requestId: `b${i}` }));
    }
    const refused = answers.filter(throttled).length;
    assert.ok(refused >= 5_000 - DEFAULT_TIMINGS.tabBurstMessages - 10, `refused ${refused}`);
    await flush();
    assert.ok(calm.events('contact::view').length <= DEFAULT_TIMINGS.tabBurstMessages + 10, 'the flood was cut at the burst');
    // The calm tab is untouched: requests answered, SYNCHRONIZE acknowledged.
    const r = await h.engine.handle('calm', { type: 'request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c1' } });
    assert.deepEqual(r, { type: DownType.RESPONSE, requestId: 'r1', ok: true, data: {} });
    await h.engine.handle('calm', { type: 'synchronize', seq: 1 });
    assert.equal(calm.ofType(DownType.ACKNOWLEDGE).length, 1);
    // One warning for the episode, not one per message.
    await h.engine.stop();
    const warned = h.store.logs.filter((l) => /throttled/.test(l.text));
    assert.ok(warned.length >= 1 && warned.length <= 3, `${warned.length} throttling lines`);
  });

  test('a throttled tab recovers at the sustained rate; bye always passes', async () => {
    const h = harness();
    await h.connect(new FakeTab('t'));
    for (let i = 0; i < DEFAULT_TIMINGS.tabBurstMessages; i++) await h.engine.handle('t', { type: 'resync' });
    assert.ok(throttled(await h.engine.handle('t', { type: 'inspect' })));
    await advance(mock.timers, 1_000);
    assert.equal(throttled(await h.engine.handle('t', { type: 'inspect' })), false);
    for (let i = 0; i < DEFAULT_TIMINGS.tabBurstMessages; i++) await h.engine.handle('t', { type: 'resync' });
    await h.engine.handle('t', { type: 'bye' });
    assert.deepEqual(h.engine.inspect().tabs, []);
  });
});
