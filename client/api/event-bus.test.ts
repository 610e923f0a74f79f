import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_EVENTS, EventBus, registerPayloadRehydrator, Subscription } from './event-bus';
import { Logger } from './log';

function quietLogger(): Logger {
  const log = new Logger({ console: { debug() {}, info() {}, log() {}, warn() {}, error() {} } });
  return log;
}

describe('EventBus', () => {
  test('subscribeAll callbacks run before the named ones, each in subscription order', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const order: string[] = [];
    bus.subscribe('x', () => order.push('named-1'));
    bus.subscribeAll(() => order.push('all-1'));
    bus.subscribe('x', () => order.push('named-2'));
    bus.subscribeAll(() => order.push('all-2'));
    bus.trigger('x');
    assert.deepEqual(order, ['all-1', 'all-2', 'named-1', 'named-2']);
  });

  test('callbacks get (data ?? null, eventName, bus) with this = the subscription', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const seen: unknown[] = [];
    const sub = bus.subscribe('e', function (this: Subscription, data, name, b) { seen.push(data, name, b, this); });
    bus.trigger('e');
    assert.deepEqual(seen.slice(0, 2), [null, 'e']);
    assert.equal(seen[2], bus);
    assert.equal(seen[3], sub);
    assert.match(sub.id, /^sub-\d+$/);
    assert.equal(sub.eventName, 'e');
  });

  test('a throwing callback is logged and does not stop the others', () => {
    const log = quietLogger();
    const bus = new EventBus({ logger: log });
    const called: string[] = [];
    bus.subscribe('e', () => { throw new Error('boom'); });
    bus.subscribe('e', () => called.push('second'));
    assert.doesNotThrow(() => bus.trigger('e', 1));
    assert.deepEqual(called, ['second']);
    const entry = log.getLogs().find((x) => x.level === 'ERROR');
    assert.ok(entry, 'an ERROR entry was logged');
    assert.equal(entry.exception?.message, 'boom');
  });

  test('unsubscribe stops delivery, also for a callback removed during the same trigger', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const calls: string[] = [];
    let second: Subscription | null = null;
    bus.subscribe('e', () => { calls.push('first'); second?.unsubscribe(); });
    second = bus.subscribe('e', () => calls.push('second'));
    bus.trigger('e');
    bus.trigger('e');
    assert.deepEqual(calls, ['first', 'first']);
    assert.equal(bus.getSubscriptions('e').length, 1);
  });

  test('a subscription made during a trigger starts with the next trigger', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const calls: string[] = [];
    bus.subscribe('e', () => { if (!calls.includes('sub')) { calls.push('sub'); bus.subscribe('e', () => calls.push('late')); } });
    bus.trigger('e');
    assert.deepEqual(calls, ['sub']);
    bus.trigger('e');
    assert.deepEqual(calls, ['sub', 'late']);
  });

  test('getSubscriptions returns a copy; unsubscribeAll clears everything', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const a = bus.subscribe('a', () => {});
    bus.subscribeAll(() => {});
    const list = bus.getSubscriptions('a');
    list.pop();
    assert.deepEqual(bus.getSubscriptions('a'), [a]);
    bus.unsubscribeAll();
    assert.equal(bus.getSubscriptions('a').length, 0);
    assert.equal(bus.getSubscriptions(ALL_EVENTS).length, 0);
    assert.equal(a.isActive(), false);
  });

  test('bridge() re-triggers (data, event) on the bus', () => {
    const bus = new EventBus({ logger: quietLogger() });
    const got: unknown[] = [];
    bus.subscribe('b', (d) => got.push(d));
    bus.bridge()({ x: 1 }, 'b');
    assert.deepEqual(got, [{ x: 1 }]);
  });

  test('subscribeMany ends every linked subscription with the returned one', () => {
    const bus = new EventBus({ logger: quietLogger() });
    let n = 0;
    const sub = bus.subscribeMany(['p', 'q'], () => n++);
    bus.trigger('p');
    bus.trigger('q');
    sub.unsubscribe();
    bus.trigger('p');
    bus.trigger('q');
    assert.equal(n, 2);
  });

  test('registered rehydrators turn event data into API objects by name prefix', () => {
    class Thing { constructor(readonly id: string) {} }
    registerPayloadRehydrator('test::thing', (d) => new Thing((d as { id: string }).id));
    const bus = new EventBus({ logger: quietLogger() });
    let got: unknown;
    bus.subscribe('test::thing::42', (d) => { got = d; });
    bus.trigger('test::thing::42', { id: '42' });
    assert.ok(got instanceof Thing);
    assert.equal((got as Thing).id, '42');
  });

  test('subscribe rejects a missing callback with a clear error', () => {
    const bus = new EventBus({ logger: quietLogger() });
    assert.throws(() => bus.subscribe('e', undefined as never), /f must be a function/);
  });

  test('hasSubscribers: by name or through subscribeAll; a trigger nobody hears rehydrates nothing', () => {
    const bus = new EventBus();
    assert.equal(bus.hasSubscribers('e'), false);
    const sub = bus.subscribe('e', () => undefined);
    assert.equal(bus.hasSubscribers('e'), true);
    assert.equal(bus.hasSubscribers('other'), false);
    sub.unsubscribe();
    assert.equal(bus.hasSubscribers('e'), false);
    const all = bus.subscribeAll(() => undefined);
    assert.equal(bus.hasSubscribers('other'), true);
    all.unsubscribe();
    let rehydrated = 0;
    registerPayloadRehydrator('bus-test::', (d) => { rehydrated++; return d; });
    bus.trigger('bus-test::x', { a: 1 });
    assert.equal(rehydrated, 0);
    const got: unknown[] = [];
    bus.subscribe('bus-test::x', (d) => got.push(d));
    bus.trigger('bus-test::x', { a: 1 });
    assert.equal(rehydrated, 1);
    assert.deepEqual(got, [{ a: 1 }]);
  });
});
