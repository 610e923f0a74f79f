import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LEADER_LOCK_NAME } from '../../shared/broadcast-protocol';
import { TAB_LOCK_PREFIX } from '../../shared/protocol';
import { holdTabLock } from '../tab/liveness';
import { flush } from '../../testing/client/fallback-browser';
import { FakeLockManager } from '../../testing/client/fake-locks';
import { BRIDGE_SOURCE, LockBridgeType, MAX_LOCK_NAME_CHARS, type FrameLockMessage } from './bridge-protocol';
import { FrameLockService, frameLockPrefix, type FrameEpochs } from './frame-lock-service';
import { LeaderElector } from '../fallback/leader-election';
import { ParentLocks, type ParentPort } from './parent-locks';

const CCP = 'http://127.0.0.1:8080';
const PREFIX = frameLockPrefix(CCP);
const FRAME = { name: 'the CCP frame window' };

function memoryEpochs(): FrameEpochs {
  let counter = 0;
  return { read: async () => counter, bump: async (atLeast) => (counter = Math.max(counter, atLeast) + 1) };
}

/** One CRM tab: its page (the lock service on the shared manager) and its CCP frame (ParentLocks), joined by a fake
 * postMessage that delivers asynchronously, as the browser does. */
function crmTab(manager: FakeLockManager, id: string, epochs = memoryEpochs()) {
  const client = manager.client(id);
  let toFrame: (data: unknown) => void = () => undefined;
  const sentToPage: unknown[] = [];
  const service = new FrameLockService({
    ccpOrigin: CCP, isFrame: (s) => s === FRAME, locks: client, epochs,
    post: (msg) => queueMicrotask(() => toFrame(structuredClone(msg))),
  });
  const port: ParentPort = {
    post: (msg) => { sentToPage.push(msg); queueMicrotask(() => service.onMessage({ source: FRAME, origin: CCP, data: structuredClone(msg) })); },
    listen: (f) => { toFrame = f; return () => { toFrame = () => undefined; }; },
  };
  return { client, service, port, sentToPage, frame: () => new ParentLocks(port) };
}

function electorOn(locks: ParentLocks, events: string[], name: string): LeaderElector {
  return new LeaderElector(locks, {
    elected: async (term) => { events.push(`${name} elected ${term}`); },
    deposed: (term) => events.push(`${name} deposed ${term}`),
  });
}

describe('delegated Web Locks (CCP frame → CRM page)', () => {
  test('the frames of two CRM tabs elect one leader in the pages\' shared lock manager; closing its tab hands over', async () => {
    const m = new FakeLockManager();
    const a = crmTab(m, 'crm-a');
    const b = crmTab(m, 'crm-b');
    const events: string[] = [];
    const ea = electorOn(a.frame(), events, 'a');
    const eb = electorOn(b.frame(), events, 'b');
    ea.start();
    await flush();
    eb.start();
    await flush();
    assert.deepEqual([ea.isLeading, eb.isLeading], [true, false]);
    assert.equal(m.holderOf(PREFIX + LEADER_LOCK_NAME), 'crm-a', 'namespaced under the CCP origin, held by the CRM page');
    assert.equal(m.holderOf(LEADER_LOCK_NAME), undefined);
    assert.equal(await ea.holds(ea.currentTerm), true);
    m.drop(a.client); // the CRM tab whose frame leads is closed
    await flush();
    assert.equal(eb.isLeading, true);
    assert.equal(m.holderOf(PREFIX + LEADER_LOCK_NAME), 'crm-b');
    assert.deepEqual(events, ['a elected 1', 'b elected 1']);
  });

  test('a steal through the bridge deposes the holding frame, which learns it from its page', async () => {
    const m = new FakeLockManager();
    const events: string[] = [];
    const ea = electorOn(crmTab(m, 'crm-a').frame(), events, 'a');
    const eb = electorOn(crmTab(m, 'crm-b').frame(), events, 'b');
    ea.start();
    await flush();
    const aTerm = ea.currentTerm;
    await eb.steal();
    await flush();
    assert.equal(eb.isLeading, true);
    assert.equal(ea.isLeading, false);
    assert.equal(await ea.holds(aTerm), false);
    assert.deepEqual(events.sort(), ['a deposed 1', 'a elected 1', 'b elected 1']);
    assert.equal(m.query().held!.filter((l) => l.name === PREFIX + LEADER_LOCK_NAME).length, 1);
  });

  test('ifAvailable, release and query: the frame sees only its own locks, under its own names', async () => {
    const m = new FakeLockManager();
    const page = m.client('crm-a');
    let releaseOther!: () => void;
    void page.request('the-crm-own-lock', {}, () => new Promise<void>((r) => { releaseOther = r; }));
    const a = crmTab(m, 'crm-a-frame').frame();
    const b = crmTab(m, 'crm-b-frame').frame();
    let release!: () => void;
    const held = a.request('guard', { mode: 'exclusive' }, () => new Promise<void>((r) => { release = r; }));
    await flush();
    assert.equal(await b.request('guard', { ifAvailable: true }, (lock) => lock === null ? 'busy' : 'got it'), 'busy');
    const snapshot = await b.query();
    assert.deepEqual(snapshot.held!.map((l) => l.name), ['guard']);
    assert.deepEqual(snapshot.pending, []);
    release();
    await held;
    await flush();
    assert.equal(m.holderOf(PREFIX + 'guard'), undefined, 'given back in the page');
    assert.equal(await b.request('guard', { ifAvailable: true }, (lock) => lock?.name), 'guard');
    releaseOther();
  });

  test('an aborted signal drops a waiting request in the page too', async () => {
    const m = new FakeLockManager();
    const a = crmTab(m, 'crm-a').frame();
    const b = crmTab(m, 'crm-b').frame();
    void a.request('x', {}, () => new Promise(() => undefined));
    const controller = new AbortController();
    const waiting = b.request('x', { signal: controller.signal }, () => 'never');
    await flush();
    assert.equal(m.query().pending!.length, 1);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await flush();
    assert.equal(m.query().pending!.length, 0);
  });

  test('tab liveness: a lock held for a tab through the bridge is granted to a watcher once that tab\'s page is gone', async () => {
    const m = new FakeLockManager();
    const a = crmTab(m, 'crm-a');
    const held = await holdTabLock('tab-1', a.frame());
    assert.ok(held);
    const leader = crmTab(m, 'crm-b').frame();
    let gone = false;
    void leader.request(TAB_LOCK_PREFIX + 'tab-1', { mode: 'exclusive' }, async () => { gone = true; });
    await flush();
    assert.equal(gone, false);
    m.drop(a.client);
    await flush();
    assert.equal(gone, true);
  });

  test('the frame reloading (a new instance) frees what the previous instance held', async () => {
    const m = new FakeLockManager();
    const tab = crmTab(m, 'crm-a');
    void tab.frame().request('leader', {}, () => new Promise(() => undefined));
    await flush();
    assert.equal(m.holderOf(PREFIX + 'leader'), 'crm-a');
    const reloaded = tab.frame();
    assert.equal(await reloaded.request('leader', {}, (lock) => !!lock), true, 'granted: the old instance\'s lock was given back');
    await flush();
    assert.equal(m.holderOf(PREFIX + 'leader'), undefined);
  });

  test('the page ignores other windows, other origins and malformed requests', async () => {
    const m = new FakeLockManager();
    const { service } = crmTab(m, 'crm-a');
    const request = (over: Partial<Record<string, unknown>>) => ({
      source: BRIDGE_SOURCE, type: LockBridgeType.REQUEST, session: 's', lid: 1, name: 'leader', mode: 'exclusive',
      ifAvailable: false, steal: false, ...over,
    } satisfies Record<string, unknown>);
    service.onMessage({ source: { other: true }, origin: CCP, data: request({}) });
    service.onMessage({ source: FRAME, origin: 'http://evil.example', data: request({}) });
    for (const bad of [{ name: 'x'.repeat(MAX_LOCK_NAME_CHARS + 1) }, { steal: true, ifAvailable: true }, { mode: 'weird' },
      { lid: -1 }, { session: '' }, { source: 'someone-else' }]) {
      service.onMessage({ source: FRAME, origin: CCP, data: request(bad) });
    }
    await flush();
    assert.deepEqual(m.query().held, []);
    service.onMessage({ source: FRAME, origin: CCP, data: request({}) });
    await flush();
    assert.equal(m.holderOf(PREFIX + 'leader'), 'crm-a', 'the same request from the frame is served');
  });

  test('epochs are bumped in the page, above what the frame has seen; a parent that does not serve locks is not used', async () => {
    const m = new FakeLockManager();
    const shared = memoryEpochs();
    const a = crmTab(m, 'crm-a', shared).frame();
    const b = crmTab(m, 'crm-b', shared).frame();
    assert.equal(await a.epochs.bump(0), 1);
    assert.equal(await b.epochs.bump(0), 2);
    assert.equal(await a.epochs.bump(10), 11);
    assert.equal(await b.epochs.read(), 11);
    const silent: ParentPort = { post: () => undefined, listen: () => () => undefined };
    assert.equal(await ParentLocks.connect(silent, 20), null);
    const tab = crmTab(m, 'crm-c');
    assert.ok(await ParentLocks.connect(tab.port, 1000));
    assert.ok(tab.sentToPage.some((x) => (x as FrameLockMessage).type === LockBridgeType.CALL));
  });
});
