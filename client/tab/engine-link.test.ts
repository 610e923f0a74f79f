import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DownType, ErrorType, MasterMethod, TAB_LOCK_PREFIX, TransportKind, UpType, type Down, type Hello, type Up, type Welcome, type WireError,
} from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import { EngineLink, REQUEST_MARGIN_MS, type LinkSink } from './engine-link';
import { TabEvent } from '../../shared/tab-events';
import { FakeLockManager } from '../../testing/client/fake-locks';
import type { Transport } from './transport';

/** Every test settles within this (the link's keepalive is stopped in `finally`, so nothing outlives a test). */
const TEST_DEADLINE_MS = 5_000;
/** Lets queued microtasks and lock grants run: a bounded number of macrotask turns. */
const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };

/** A transport to an engine that registers a tab per hello (`onHello`); `rejoin` says the last hello again. */
class FakeTransport implements Transport {
  readonly kind = TransportKind.SHARED_WORKER;
  hellos: Hello[] = [];
  rejoins = 0;

  constructor(private readonly onHello: (hello: Hello) => void) {}

  private welcome(hello: Hello): Welcome {
    return { tabId: hello.tabId, engineId: 'e1', tabCount: 1, transport: this.kind, state: { type: DownType.STATE, version: 1, data: null, skew: 0 } };
  }

  async connect(hello: Hello, _onDown: (msg: Down) => void): Promise<Welcome> {
    this.hellos.push(hello);
    this.onHello(hello);
    return this.welcome(hello);
  }

  async rejoin(): Promise<Welcome> {
    this.rejoins++;
    const hello = this.hellos[this.hellos.length - 1];
    assert.ok(hello, 'rejoin only after connect');
    this.hellos.push(hello);
    this.onHello(hello);
    return this.welcome(hello);
  }

  async post(_msg: Up): Promise<PostResult> { return undefined; }
  send(): void {}
  close(): void {}
}

const sink = (): LinkSink & { errors: unknown[] } => {
  const errors: unknown[] = [];
  return { errors, state: () => 'applied', event: (name, data) => { if (name === TabEvent.LINK_ERROR) errors.push(data); }, logs: () => undefined };
};

/** An engine that registers a tab at hello and, like the shipped ones before the fix, drops it when granted its lock. */
function droppingEngine(locks: FakeLockManager) {
  const engine = locks.client('engine');
  const registered = new Set<string>();
  const transport = new FakeTransport((hello) => {
    registered.add(hello.tabId);
    void engine.request(TAB_LOCK_PREFIX + hello.tabId, {}, async () => { registered.delete(hello.tabId); });
  });
  return { registered, transport };
}

describe('EngineLink: a stolen liveness lock', { timeout: TEST_DEADLINE_MS }, () => {
  test('stolen and released (the engine drops the tab): the tab re-takes its lock and says hello once more', async () => {
    const locks = new FakeLockManager();
    const { registered, transport } = droppingEngine(locks);
    const s = sink();
    const link = new EngineLink({ transport, sink: s, tabId: 't1', locks: async () => locks.client('tab') });
    try {
      await link.connect();
      await settle();
      assert.equal(locks.holderOf(`${TAB_LOCK_PREFIX}t1`), 'tab');

      let release!: () => void;
      void locks.client('attacker').request(`${TAB_LOCK_PREFIX}t1`, { steal: true }, () => new Promise<void>((r) => { release = r; }));
      await settle();
      assert.equal(locks.holderOf(`${TAB_LOCK_PREFIX}t1`), 'attacker');
      assert.ok(registered.has('t1'), 'still registered while the attacker holds the lock');
      release();
      await settle();
      assert.equal(locks.holderOf(`${TAB_LOCK_PREFIX}t1`), 'tab', 'the tab holds its lock again');
      assert.ok(registered.has('t1'), 'the engine knows the tab again');
      assert.equal(transport.rejoins, 1, 'exactly one reconnect');
      assert.equal(s.errors.length, 1, 'the theft is reported once');
      assert.equal(typeof (s.errors[0] as { type?: unknown }).type, 'string', 'as a typed error');
      assert.deepEqual(locks.query().pending?.map((p) => p.clientId), ['engine'], 'the engine watches the lock again');
    } finally {
      link.close();
    }
  });

  test('stolen and kept: the tab stays registered and waits for its lock; closing the link gives the wait up', async () => {
    const locks = new FakeLockManager();
    const transport = new FakeTransport(() => undefined);
    const link = new EngineLink({ transport, sink: sink(), tabId: 't2', locks: async () => locks.client('tab') });
    try {
      await link.connect();
      await settle();
      void locks.client('attacker').request(`${TAB_LOCK_PREFIX}t2`, { steal: true }, () => new Promise<void>(() => undefined));
      await settle();
      assert.equal(transport.rejoins, 0);
      assert.deepEqual(locks.query().pending?.map((p) => p.clientId), ['tab'], 'the tab queued for its lock again');
    } finally {
      link.close();
    }
    await settle();
    assert.deepEqual(locks.query().pending, [], 'a closed link stops waiting');
  });

  test('closing the link (terminate) releases the lock: no theft reported, no re-take', async () => {
    const locks = new FakeLockManager();
    const s = sink();
    const link = new EngineLink({ transport: new FakeTransport(() => undefined), sink: s, tabId: 't3', locks: async () => locks.client('tab') });
    await link.connect();
    link.close();
    await settle();
    assert.equal(locks.holderOf(`${TAB_LOCK_PREFIX}t3`), undefined);
    assert.deepEqual(locks.query().pending, []);
    assert.deepEqual(s.errors, []);
  });
});

/** A transport whose engine welcomes the tab only when `open()` is called, and refuses posts until then (as the
 * transport chooser does while it picks a transport). */
class SlowTransport implements Transport {
  readonly kind = TransportKind.SHARED_WORKER;
  readonly posted: Up[] = [];
  private connected = false;
  private welcomeNow: (() => void) | null = null;

  connect(hello: Hello): Promise<Welcome> {
    return new Promise((resolve) => {
      this.welcomeNow = () => {
        this.connected = true;
        resolve({ tabId: hello.tabId, engineId: 'e1', tabCount: 1, transport: this.kind, state: { type: DownType.STATE, version: 1, data: null, skew: 0 } });
      };
    });
  }

  open(): void { this.welcomeNow?.(); }

  async post(msg: Up): Promise<PostResult> {
    if (!this.connected) throw { type: ErrorType.NOT_CONNECTED, message: 'transport is not connected' };
    this.posted.push(msg);
    return { type: DownType.RESPONSE, requestId: (msg as { requestId?: string }).requestId, ok: true, data: 'done' } as unknown as PostResult;
  }

  send(): void {}
  close(): void {}
}

describe('EngineLink: calls made while it connects', { timeout: TEST_DEADLINE_MS }, () => {
  // A page renders the persisted state (and `connect.agent` fires on it) before the engine's welcome: an action taken
  // in that callback used to fail at once with NotConnectedError.
  test('a request made before the welcome waits for it, then goes through', async () => {
    const transport = new SlowTransport();
    const link = new EngineLink({ transport, sink: sink(), holdLock: false });
    try {
      const connecting = link.connect();
      const answer = link.request('putAgentState', { state: 'Available' });
      const master = link.master(MasterMethod.CHECK, 'softphone').catch((e: WireError) => e.type);
      link.broadcast('crm::hello');
      await settle();
      assert.equal(transport.posted.length, 0, 'nothing is posted before the welcome');
      transport.open();
      await connecting;
      assert.equal(await answer, 'done');
      await master;
      assert.deepEqual(transport.posted.map((m) => m.type), [UpType.REQUEST, UpType.MASTER, UpType.BROADCAST], 'in the order made');
    } finally {
      link.close();
    }
  });

  test('the wait has the call\'s deadline; closing the link ends it with NotConnectedError', async () => {
    const transport = new SlowTransport();
    const link = new EngineLink({ transport, sink: sink(), holdLock: false });
    void link.connect().catch(() => undefined);
    const inspect = link.inspect();
    link.close();
    await assert.rejects(inspect, (e: WireError) => e.type === ErrorType.NOT_CONNECTED);
    const late = new EngineLink({ transport: new SlowTransport(), sink: sink(), holdLock: false });
    void late.connect().catch(() => undefined);
    const started = Date.now();
    await assert.rejects(late.request('putAgentState', {}, { timeoutMs: 50 }), (e: WireError) => e.type === ErrorType.TIMEOUT);
    assert.ok(Date.now() - started < REQUEST_MARGIN_MS + 1_000, 'the request\'s own deadline (plus its margin) bounds the wait');
    late.close();
  });
});

describe('EngineLink: a lost delivery', { timeout: TEST_DEADLINE_MS }, () => {
  /** A transport whose engine welcomes at version 3 and lets the test push downs; records what the tab posts. */
  function pushingTransport() {
    let push: ((msg: Down) => void) | null = null;
    const posted: Up[] = [];
    const transport: Transport = {
      kind: TransportKind.BROADCAST,
      async connect(hello: Hello, onDown: (msg: Down) => void): Promise<Welcome> {
        push = onDown;
        return { tabId: hello.tabId, engineId: 'e1', tabCount: 1, transport: TransportKind.BROADCAST, state: { type: DownType.STATE, version: 3, data: null, skew: 0 } };
      },
      async post(msg: Up): Promise<PostResult> { posted.push(msg); return undefined; },
      send: () => undefined,
      close: () => undefined,
    };
    return { transport, posted, push: (msg: Down) => push!(msg) };
  }

  // A BroadcastChannel drops what reaches a page paused in the debugger (measured in this Chromium: a MessagePort
  // queues it): the fallback's follower then held an older version until the next change, possibly forever.
  test('an ACK from a later version than the tab holds makes it ask for the whole state; an ACK at its version does not', async () => {
    const t = pushingTransport();
    const link = new EngineLink({ transport: t.transport, sink: sink(), holdLock: false, tabId: 'me' });
    try {
      await link.connect();
      t.push({ type: DownType.ACKNOWLEDGE, tabId: 'me', seq: 1, version: 3 });
      t.push({ type: DownType.ACKNOWLEDGE, tabId: 'me', seq: 1 }); // an engine that does not say
      t.push({ type: DownType.ACKNOWLEDGE, tabId: 'other', seq: 1, version: 9 });
      await settle();
      assert.deepEqual(t.posted.map((m) => m.type), []);
      t.push({ type: DownType.ACKNOWLEDGE, tabId: 'me', seq: 2, version: 5 }); // deltas 4 and 5 never arrived
      await settle();
      assert.deepEqual(t.posted.map((m) => m.type), [UpType.RESYNC]);
    } finally {
      link.close();
    }
  });
});
