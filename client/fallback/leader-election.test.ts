import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { LEADER_LOCK_NAME } from '../../shared/broadcast-protocol';
import { flush } from '../../testing/client/fallback-browser';
import { FakeLockManager } from '../../testing/client/fake-locks';
import { LeaderElector, REQUEUE_AFTER_FAILURE_MS } from './leader-election';

function elector(manager: FakeLockManager, id: string, elected: (term: number) => Promise<void> = async () => undefined) {
  const events: string[] = [];
  const locks = manager.client(id);
  const e = new LeaderElector(locks, {
    elected: async (term) => { events.push(`elected ${term}`); await elected(term); },
    deposed: (term) => events.push(`deposed ${term}`),
  });
  return { e, events, locks };
}

describe('LeaderElector', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('tabs queue on one lock: one leads, the next leads when it resigns', async () => {
    const m = new FakeLockManager();
    const a = elector(m, 'a');
    const b = elector(m, 'b');
    a.e.start();
    b.e.start();
    await flush();
    assert.deepEqual([a.e.isLeading, b.e.isLeading], [true, false]);
    a.e.stop();
    await flush();
    assert.deepEqual([a.e.isLeading, b.e.isLeading], [false, true]);
    assert.equal(m.holderOf(LEADER_LOCK_NAME), 'b');
    assert.deepEqual(a.events, ['elected 1']);
  });

  test('a steal deposes the holder (told when it can run) and leaves the stealer alone in charge', async () => {
    const m = new FakeLockManager();
    const a = elector(m, 'a');
    const b = elector(m, 'b');
    a.e.start();
    await flush();
    b.e.start();
    await flush();
    const aTerm = a.e.currentTerm;
    a.locks.freeze();
    await b.e.steal();
    assert.equal(b.e.isLeading, true);
    assert.equal(await b.e.holds(b.e.currentTerm), true);
    assert.equal(a.e.isLeading, true, 'frozen: it has not been told yet');
    a.locks.thaw();
    await flush();
    assert.equal(await a.e.holds(aTerm), false);
    assert.deepEqual(a.events, ['elected 1', 'deposed 1']);
    assert.equal(m.query().held!.filter((l) => l.name === LEADER_LOCK_NAME).length, 1);
    assert.equal(m.query().pending!.filter((l) => l.name === LEADER_LOCK_NAME && l.clientId === 'a').length, 1, 'queued again');
  });

  test('holds() asks the lock manager: a stolen lock is seen before the rejection arrives', async () => {
    const m = new FakeLockManager();
    const a = elector(m, 'a');
    a.e.start();
    await flush();
    const term = a.e.currentTerm;
    assert.equal(await a.e.holds(term), true);
    assert.equal(await a.e.holds(term + 1), false);
    a.locks.freeze(); // the rejection waits, the query does not (it is our own call)
    await elector(m, 'b').e.steal();
    assert.equal(a.e.isLeading, true);
    assert.equal(await a.e.holds(term), false);
  });

  test('a term that cannot start gives the lock back and queues again later', async () => {
    const m = new FakeLockManager();
    let fail = true;
    const a = elector(m, 'a', async () => { if (fail) throw new Error('no engine'); });
    const b = elector(m, 'b');
    a.e.start();
    await flush();
    assert.equal(a.e.isLeading, false);
    b.e.start();
    await flush();
    assert.equal(b.e.isLeading, true, 'the next tab took over');
    fail = false;
    b.e.stop();
    await flush();
    assert.equal(a.e.isLeading, false, 'not before the pause');
    mock.timers.tick(REQUEUE_AFTER_FAILURE_MS);
    await flush();
    assert.equal(a.e.isLeading, true);
  });
});
