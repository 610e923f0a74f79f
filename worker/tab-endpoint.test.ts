import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTabEndpoint } from './tab-endpoint';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { DownType, ErrorType, UpType, type Response } from '../shared/protocol';
import { flush } from '../testing/worker/clock';

describe('createTabEndpoint', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_700_000_000_000 }));
  afterEach(() => mock.timers.reset());

  test('post before hello → NotConnectedError', async () => {
    const h = harness();
    const ep = createTabEndpoint({ engine: h.engine });
    const res = await ep.post({ type: UpType.SYNCHRONIZE, seq: 1 }) as Response;
    assert.ok(!res.ok && res.error.type === ErrorType.NOT_CONNECTED);
  });

  test('the first hello binds the connection; a second hello with another id is refused', async () => {
    const h = harness();
    const ep = createTabEndpoint({ engine: h.engine });
    const a = new FakeTab('a');
    const w = await ep.hello(a.hello(), a.push);
    assert.ok(!('error' in w) && w.tabId === 'a');
    const other = new FakeTab('b');
    const refused = await ep.hello(other.hello(), other.push);
    assert.ok('error' in refused && /already speaks for tab a/.test(refused.error.message));
    assert.deepEqual(h.engine.inspect().tabs.map((t) => t.tabId), ['a']);
    await ep.post({ type: UpType.SYNCHRONIZE, seq: 3 });
    assert.deepEqual(a.ofType(DownType.ACKNOWLEDGE), [{ type: DownType.ACKNOWLEDGE, tabId: 'a', seq: 3, version: h.engine.state.version }]);
  });

  test('concurrent hellos for two ids: one wins', async () => {
    const h = harness();
    const ep = createTabEndpoint({ engine: h.engine });
    const [x, y] = await Promise.all([ep.hello(new FakeTab('x').hello(), () => undefined), ep.hello(new FakeTab('y').hello(), () => undefined)]);
    assert.equal(['error' in x, 'error' in y].filter(Boolean).length, 1);
  });

  test('a refused hello does not bind; a later valid one does', async () => {
    const h = harness();
    const ep = createTabEndpoint({ engine: h.engine });
    const bad = await ep.hello({ ...new FakeTab('a').hello(), protocol: 99 }, () => undefined);
    assert.ok('error' in bad);
    const good = await ep.hello(new FakeTab('c').hello(), () => undefined);
    assert.ok(!('error' in good));
  });

  test('the exposed object has only hello and post, and cannot be changed', () => {
    const h = harness();
    const ep = createTabEndpoint({ engine: h.engine });
    assert.deepEqual(Object.keys(ep).sort(), ['hello', 'post']);
    assert.throws(() => { (ep as unknown as Record<string, unknown>).engine = 1; });
  });

  test('bye drops the tab and releases its push; the same tab may hello again', async () => {
    const h = harness();
    const released: unknown[] = [];
    const ep = createTabEndpoint({ engine: h.engine, releasePush: (p) => released.push(p) });
    const a = new FakeTab('a');
    await ep.hello(a.hello(), a.push);
    await ep.post({ type: UpType.BYE });
    await flush();
    assert.deepEqual(released, [a.push]);
    assert.equal(h.engine.inspect().tabs.length, 0);
    const again = await ep.hello(a.hello(), a.push);
    assert.ok(!('error' in again));
  });
});
