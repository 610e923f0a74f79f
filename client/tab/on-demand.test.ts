import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorType } from '../../shared/protocol';
import { loadEmbedding, loadEngine, loadFallback, loadRelay, loadRingtone, onDemand } from './on-demand';

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
