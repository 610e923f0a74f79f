import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostLocks } from '../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../shared/protocol';
import { FakeLockManager } from '../testing/client/fake-locks';
import { holdForever, lockLiveness, watchTabLock } from './lock-liveness';
import { flush } from '../testing/worker/clock';

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

describe('tab and engine locks stolen by another page of the origin', { timeout: 5_000 }, () => {
  test('watchTabLock: a tab waiting for its own lock is alive, so the watch goes on; it ends when nobody waits', async () => {
    const manager = new FakeLockManager();
    const tab = manager.client('tab');
    const name = `${TAB_LOCK_PREFIX}t1`;
    let releaseTab!: () => void;
    void tab.request(name, {}, () => new Promise<void>((r) => { releaseTab = r; })).catch(() => undefined);
    await flush();
    let gone = false;
    void watchTabLock(manager.client('engine'), 't1').then(() => { gone = true; });
    await flush();
    // A page steals it; the tab queues for it again (client/tab/liveness.ts) before the thief lets go.
    let releaseThief!: () => void;
    void manager.client('thief').request(name, { steal: true }, () => new Promise<void>((r) => { releaseThief = r; }));
    await flush();
    void tab.request(name, {}, () => new Promise<void>((r) => { releaseTab = r; }));
    releaseThief();
    await flush();
    assert.equal(gone, false, 'the tab is alive: it waited for its lock');
    assert.equal(manager.holderOf(name), 'tab');
    assert.deepEqual(manager.query().pending?.map((p) => p.clientId), ['engine'], 'the engine watches again');
    releaseTab(); // the tab closes
    await flush();
    assert.equal(gone, true);
  });

  test('holdForever: a stolen lock is queued for again and held once the thief lets go', async () => {
    const manager = new FakeLockManager();
    const name = 'connect-sync:engine:e1';
    holdForever(manager.client('engine'), name);
    await flush();
    assert.equal(manager.holderOf(name), 'engine');
    let releaseThief!: () => void;
    void manager.client('thief').request(name, { steal: true }, () => new Promise<void>((r) => { releaseThief = r; }));
    await flush();
    assert.equal(manager.holderOf(name), 'thief');
    assert.deepEqual(manager.query().pending?.map((p) => p.clientId), ['engine'], 'one request, queued: no tug of war');
    releaseThief();
    await flush();
    assert.equal(manager.holderOf(name), 'engine');
    assert.deepEqual(manager.query().pending, []);
  });
});
