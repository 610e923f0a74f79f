import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DownType, ErrorType, TAB_LOCK_PREFIX, TabRole, TransportKind, UpType, type Down, type Hello, type Up, type Welcome,
} from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import { LogLevel } from '../../shared/enums';
import { FakeLockManager } from '../../testing/client/fake-locks';
import { PERSISTED_LOAD_DEADLINE_MS } from './on-demand';
import { TabSession, type SessionHost } from './session';
import type { Transport } from './transport';

/** Lets queued microtasks, lock grants and chunk imports run: a bounded number of macrotask turns. */
const settle = async (): Promise<void> => { for (let i = 0; i < 40; i++) await new Promise((r) => setImmediate(r)); };

/** Live timers of the code under test: set and not yet cleared (nor fired, for timeouts). */
class TimerWatch {
  readonly live = new Set<unknown>();
  /** The delay each timer was set with. */
  readonly delays = new Map<unknown, number | undefined>();
  private readonly saved = { setTimeout, clearTimeout, setInterval, clearInterval };

  install(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    const { live, saved } = this;
    g.setTimeout = (f: () => void, ms?: number, ...args: unknown[]) => {
      const id = saved.setTimeout(() => { live.delete(id); f(...(args as [])); }, ms);
      live.add(id);
      this.delays.set(id, ms);
      return id;
    };
    g.setInterval = (f: () => void, ms?: number) => {
      const id = saved.setInterval(f, ms);
      live.add(id);
      return id;
    };
    g.clearTimeout = (id: ReturnType<typeof setTimeout>) => { live.delete(id); saved.clearTimeout(id); };
    g.clearInterval = (id: ReturnType<typeof setInterval>) => { live.delete(id); saved.clearInterval(id); };
  }

  uninstall(): void {
    Object.assign(globalThis, this.saved);
    for (const id of this.live) { this.saved.clearTimeout(id as ReturnType<typeof setTimeout>); this.saved.clearInterval(id as ReturnType<typeof setInterval>); }
  }
}

/** A page's event target and interval timer, counting what is registered. */
class FakeHost implements SessionHost {
  readonly listeners = new Map<string, Set<(e: PageTransitionEvent) => void>>();
  readonly intervals = new Set<number>();
  private next = 1;
  ticks = new Map<number, () => void>();

  addEventListener(type: string, f: (e: PageTransitionEvent) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(f);
  }

  removeEventListener(type: string, f: (e: PageTransitionEvent) => void): void {
    this.listeners.get(type)?.delete(f);
  }

  setInterval(f: () => void): unknown {
    const id = this.next++;
    this.intervals.add(id);
    this.ticks.set(id, f);
    return id;
  }

  clearInterval(id: unknown): void {
    this.intervals.delete(id as number);
    this.ticks.delete(id as number);
  }

  count(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }

  fire(type: 'pagehide' | 'pageshow', persisted: boolean): void {
    for (const f of [...this.listeners.get(type) ?? []]) f({ persisted } as PageTransitionEvent);
  }
}

/** An engine that welcomes every hello and records what the tab sends. */
class FakeTransport implements Transport {
  readonly kind = TransportKind.SHARED_WORKER;
  readonly sent: Up[] = [];
  readonly posted: Up[] = [];
  closed = false;

  async connect(hello: Hello, _onDown: (msg: Down) => void): Promise<Welcome> {
    return { tabId: hello.tabId, engineId: 'e1', tabCount: 3, transport: this.kind, state: { type: DownType.STATE, version: 1, data: null, skew: 0 } };
  }

  async post(msg: Up): Promise<PostResult> {
    this.posted.push(msg);
    return undefined;
  }

  send(msg: Up): void { this.sent.push(msg); }
  close(): void { this.closed = true; }
}

describe('TabSession: one object from init to terminate', () => {
  const timers = new TimerWatch();
  beforeEach(() => timers.install());
  afterEach(() => timers.uninstall());

  async function started(host: FakeHost, locks: FakeLockManager, restart: () => void = () => undefined) {
    const session = new TabSession(undefined, host);
    session.context.log.setEchoLevel(LogLevel.CRITICAL);
    assert.equal(session.claim(), true);
    const transport = new FakeTransport();
    const client = locks.client('tab');
    await session.connect(transport, { role: TabRole.PAGE, readPersisted: false, holdLock: true, locks: async () => client, restart });
    await settle();
    return { session, transport };
  }

  test('end() leaves nothing behind: timers, listeners, the liveness lock, the link, owned parts, subscriptions', async () => {
    const host = new FakeHost();
    const locks = new FakeLockManager();
    const { session, transport } = await started(host, locks);
    const tabId = session.tabId!;
    // Running: the log timer, the pagehide/pageshow listeners, the keepalive, the lock, the upstream.
    assert.equal(host.intervals.size, 1);
    assert.equal(host.count('pagehide'), 1);
    assert.equal(host.count('pageshow'), 1);
    assert.ok(timers.live.size > 0, 'the keepalive runs');
    assert.equal(locks.holderOf(TAB_LOCK_PREFIX + tabId), 'tab');
    assert.ok(session.context.upstream);
    assert.equal(session.connectedTabs, 3);
    const stopped: string[] = [];
    session.own(() => stopped.push('frame'));
    session.own(() => stopped.push('lock service'));
    const early = session.own(() => stopped.push('early listener'));
    early();
    early();
    let seen = 0;
    session.context.bus.subscribe('custom', () => { seen++; });

    session.end();
    await settle();

    assert.equal(session.ended, true);
    assert.equal(session.started, false);
    assert.equal(host.intervals.size, 0, 'the log timer is cleared');
    assert.equal(host.count('pagehide'), 0);
    assert.equal(host.count('pageshow'), 0);
    assert.equal(timers.live.size, 0, 'no timer of the link is left');
    assert.equal(locks.holderOf(TAB_LOCK_PREFIX + tabId), undefined, 'the liveness lock is given back');
    assert.deepEqual(locks.query().pending, []);
    assert.equal(transport.closed, true);
    assert.deepEqual(transport.sent.map((m) => m.type).filter((t) => t === UpType.BYE), [UpType.BYE]);
    assert.equal(session.context.upstream, null);
    assert.equal(session.tabId, null);
    assert.equal(session.connectedTabs, 0);
    assert.deepEqual(stopped, ['early listener', 'lock service', 'frame'], 'each part stopped once, newest first');
    session.context.bus.trigger('custom', null);
    assert.equal(seen, 0, 'subscriptions are dropped');
    assert.equal(session.context.state.version, -1, 'state is dropped');
    // A part handed over after the end (a chunk that arrived late) is stopped at once.
    session.own(() => stopped.push('late relay'));
    assert.equal(stopped.at(-1), 'late relay');
    assert.equal(session.claim(), false, 'an ended session does not start again');
  });

  test('a second init is refused while the session runs', async () => {
    const { session } = await started(new FakeHost(), new FakeLockManager());
    assert.equal(session.claim(), false);
    assert.ok(session.context.log.getLogs().some((e) => /already initialised/.test(e.text)));
    session.end();
  });

  test('back/forward cache: pagehide disconnects and keeps the session; pageshow connects again', async () => {
    const host = new FakeHost();
    const locks = new FakeLockManager();
    let restarts = 0;
    const { session, transport } = await started(host, locks, () => { restarts++; });
    const tabId = session.tabId!;
    host.fire('pagehide', true);
    await settle();
    assert.equal(transport.closed, true);
    assert.equal(session.context.upstream, null);
    assert.equal(host.intervals.size, 0);
    assert.equal(timers.live.size, 0);
    assert.equal(locks.holderOf(TAB_LOCK_PREFIX + tabId), undefined);
    assert.equal(session.started, true, 'still initialised');
    host.fire('pageshow', true);
    assert.equal(restarts, 1);
    host.fire('pageshow', true);
    assert.equal(restarts, 1, 'restored once');
    session.end();
    assert.equal(host.count('pagehide') + host.count('pageshow'), 0);
  });

  test('terminate while connecting (the persisted state still loading): the connect rejects, nothing is left', async () => {
    const host = new FakeHost();
    const session = new TabSession(undefined, host);
    session.context.log.setEchoLevel(LogLevel.CRITICAL);
    session.claim();
    const transport = new FakeTransport();
    // The persisted state is read beside the hello, never before it (in node its read fails: no IndexedDB).
    const connecting = session.connect(transport, { role: TabRole.PAGE, readPersisted: true, holdLock: false, restart: () => undefined });
    session.end();
    await assert.rejects(connecting, { type: ErrorType.NOT_CONNECTED });
    await settle();
    assert.equal(transport.closed, true);
    assert.equal(host.intervals.size, 0);
    assert.equal(host.count('pagehide'), 0);
    assert.equal(session.context.upstream, null);
  });

  test('terminate while the persisted read hangs: the session stops waiting for it, its deadline is cleared', async () => {
    // An IndexedDB whose open never answers (another context's transaction holds the database).
    const g = globalThis as { indexedDB?: unknown };
    g.indexedDB = { open: () => ({}) };
    try {
      const session = new TabSession(undefined, new FakeHost());
      session.context.log.setEchoLevel(LogLevel.CRITICAL);
      session.claim();
      await session.connect(new FakeTransport(), { role: TabRole.PAGE, readPersisted: true, holdLock: false, restart: () => undefined });
      await settle();
      const deadlines = (): number => [...timers.live].filter((id) => timers.delays.get(id) === PERSISTED_LOAD_DEADLINE_MS).length;
      assert.equal(deadlines(), 1, 'the read is pending, within its deadline');
      session.end();
      await settle();
      assert.equal(deadlines(), 0, 'the deadline did not outlive the session');
    } finally {
      delete g.indexedDB;
    }
  });
});
