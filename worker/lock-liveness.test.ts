import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostLocks } from '../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../shared/protocol';
import { lockLiveness } from './lock-liveness';
import { flush } from './testing/clock';

/** Locks whose grant the test controls; aborting a waiting request rejects it, as the browser does. */
function locks() {
  const waiting = new Map<string, { grant(): void }>();
  const api: HostLocks = {
    request: (name, options, cb) => new Promise((resolve, reject) => {
      waiting.set(name, { grant: () => { Promise.resolve(cb()).then(resolve, reject); } });
      options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    }),
  };
  return { api, waiting };
}

describe('lockLiveness', () => {
  test('a tab is dead when its lock is granted to the engine', async () => {
    const l = locks();
    const stop = new AbortController();
    let dead = false;
    void lockLiveness(l.api, stop.signal).watch('t1').then(() => { dead = true; });
    assert.deepEqual([...l.waiting.keys()], [`${TAB_LOCK_PREFIX}t1`]);
    await flush();
    assert.equal(dead, false);
    l.waiting.get(`${TAB_LOCK_PREFIX}t1`)!.grant();
    await flush();
    assert.equal(dead, true);
  });

  test('when the host stops, its watches end quietly: no tab is reported dead, nothing rejects', async () => {
    const l = locks();
    const stop = new AbortController();
    const outcomes: string[] = [];
    lockLiveness(l.api, stop.signal).watch('t1').then(() => outcomes.push('dead'), () => outcomes.push('failed'));
    stop.abort();
    await flush();
    assert.equal(outcomes.length, 0);
    lockLiveness(l.api, stop.signal).watch('t2').then(() => outcomes.push('dead'), () => outcomes.push('failed'));
    lockLiveness(undefined, new AbortController().signal).watch('t3').then(() => outcomes.push('dead'));
    await flush();
    assert.equal(outcomes.join(), '');
    assert.equal(l.waiting.has(`${TAB_LOCK_PREFIX}t2`), false, 'no request after the stop');
  });
});
