import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigurationEvents, ContactEvents } from '../../shared/enums';
import { ErrorType, wireError } from '../../shared/protocol';
import type { EventBus } from '../api/event-bus';
import { keepHeard, RINGTONE_HEARS, type HeardEvent, type HeardName } from '../features/heard';
import { freshContext } from '../../testing/client/context';
import { flush } from '../../testing/client/fake-upstream';
import { keepUntilLoaded, loadEmbedding, loadEngine, loadFallback, loadRelay, loadRingtone, onDemand } from './on-demand';

/** What webpack rejects `import()` with when a chunk's script fails. */
function chunkLoadError(url: string): Error {
  return Object.assign(new Error(`Loading chunk 819 failed.\n(error: ${url})`), { name: 'ChunkLoadError', type: 'error', request: url });
}

describe('onDemand', () => {
  test('a chunk that does not load is a typed NotConnectedError naming its URL', async () => {
    const url = 'https://ccp.example/connect-embed.js';
    await assert.rejects(onDemand('connect-embed.js', () => Promise.reject(chunkLoadError(url))), (e: unknown) => {
      assert.equal((e as { type: string }).type, ErrorType.NOT_CONNECTED);
      assert.match((e as { message: string }).message, /^could not load https:\/\/ccp\.example\/connect-embed\.js: Loading chunk 819 failed/);
      assert.ok(!(e instanceof Error), 'a plain {type, message} object');
      return true;
    });
  });

  test('any other failure (the module threw while it ran) is typed too, named after the chunk', async () => {
    await assert.rejects(onDemand('connect-relay.js', () => Promise.reject(new TypeError('boom'))),
      { type: ErrorType.NOT_CONNECTED, message: 'could not load connect-relay.js: boom' });
  });

  test('a failed load is tried again on the next call', async () => {
    let calls = 0;
    const load = () => (++calls === 1 ? Promise.reject(chunkLoadError('/connect-fallback.js')) : Promise.resolve('api'));
    await assert.rejects(onDemand('connect-fallback.js', load), { type: ErrorType.NOT_CONNECTED });
    assert.equal(await onDemand('connect-fallback.js', load), 'api');
    assert.equal(calls, 2);
  });

  test('each loader resolves to what its chunk offers', async () => {
    assert.equal(typeof (await loadFallback()).createBroadcastTransport, 'function');
    assert.equal(typeof (await loadEngine()).createHost, 'function');
    assert.equal(typeof (await loadEmbedding()).open, 'function');
    assert.equal(typeof (await loadRelay()).startRelay, 'function');
    assert.equal(typeof (await loadRingtone()).startRingtone, 'function');
  });
});

describe('keepUntilLoaded', () => {
  /** A chunk that arrives when the test says so; once started, it hears the ringtone's events itself. */
  function deferredChunk(bus: EventBus) {
    const got: HeardEvent[] = [];
    let arrive!: () => void;
    let fail!: (e: unknown) => void;
    const chunk = {
      starts: 0,
      start(before: readonly HeardEvent[]): void {
        chunk.starts++;
        got.push(...before);
        bus.subscribeMany(RINGTONE_HEARS, (data: unknown, name: string) => { got.push({ name: name as HeardName, data }); });
      },
    };
    const loaded = new Promise<typeof chunk>((resolve, reject) => { arrive = () => resolve(chunk); fail = reject; });
    return { chunk, got, loaded, arrive: () => arrive(), fail: (e: unknown) => fail(e) };
  }
  const listening = (bus: EventBus): number => RINGTONE_HEARS.reduce((n, name) => n + bus.getSubscriptions(name).length, 0);
  /** The page keeping the ringtone's events for a chunk still loading, handing them over as the chunk starts. */
  function keepingForChunk() {
    const { ctx: { bus } } = freshContext();
    const c = deferredChunk(bus);
    const heard: HeardEvent[] = [];
    const failures: unknown[] = [];
    const stop = keepUntilLoaded(keepHeard(bus, heard), c.loaded, (chunk) => chunk.start(heard.splice(0)), (e) => failures.push(e));
    return { bus, c, heard, failures, stop };
  }

  test('what was heard before the chunk arrived is handed over in order, once; after that events go straight to the chunk', async () => {
    const { bus, c, heard, failures } = keepingForChunk();
    bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd1' });
    bus.trigger(ContactEvents.ACCEPTED, { contactId: 'c1' });
    bus.trigger('agent::refresh', null); // not one that is kept
    bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd2' });
    assert.equal(c.got.length, 0, 'nothing reaches the chunk before it arrives');
    c.arrive();
    await flush();
    bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd3' });
    // As the bus delivers them (an accepted contact as an API Contact).
    const delivered = (e: HeardEvent): unknown => (e.name === ContactEvents.ACCEPTED ? (e.data as { getContactId(): string }).getContactId() : e.data);
    assert.deepEqual(c.got.map((e) => [e.name, delivered(e)]), [
      [ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd1' }],
      [ContactEvents.ACCEPTED, 'c1'],
      [ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd2' }],
      [ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd3' }],
    ]);
    assert.equal(c.chunk.starts, 1);
    assert.deepEqual(heard, [], 'the page keeps nothing after the hand-over');
    assert.equal(listening(bus), RINGTONE_HEARS.length, 'only the chunk listens');
    assert.deepEqual(failures, []);
  });

  test('stopped before the chunk arrives (terminate): the chunk is handed nothing and nothing is left listening', async () => {
    const { bus, c, heard, stop } = keepingForChunk();
    bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd1' });
    stop();
    assert.equal(listening(bus), 0);
    bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'd2' });
    c.arrive();
    await flush();
    assert.equal(c.chunk.starts, 0);
    assert.equal(heard.length, 1, 'nothing kept after the stop');
  });

  test('a chunk that cannot load: the page stops keeping, the failure is reported, nothing is handed over', async () => {
    const { bus, c, heard, failures } = keepingForChunk();
    bus.trigger(ContactEvents.ACCEPTED, { contactId: 'c1' });
    const error = wireError(ErrorType.NOT_CONNECTED, 'could not load /connect-ringtone.js');
    c.fail(error);
    await flush();
    assert.deepEqual(failures, [error]);
    assert.equal(c.chunk.starts, 0);
    assert.equal(listening(bus), 0, 'nothing is left listening');
    bus.trigger(ContactEvents.ACCEPTED, { contactId: 'c2' });
    assert.equal(heard.length, 1, 'nothing kept after the failure');
  });
});
