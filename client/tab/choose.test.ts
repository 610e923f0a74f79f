import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorType, PROTOCOL_VERSION, TabRole, TransportKind, UpType, wireError, type Hello, type Welcome } from '../../shared/protocol';
import { AutoTransport, candidateKinds, detectCapabilities, probeCapabilities, TransportChooser, type Candidate, type Capabilities } from './choose';
import type { FallbackApi } from '../fallback/fallback-api';
import type { Transport } from './transport';

const all: Capabilities = { sharedWorker: true, broadcastChannel: true, webLocks: true };
const hello: Hello = { type: UpType.HELLO, tabId: 't', protocol: PROTOCOL_VERSION, role: TabRole.CCP };

function fake(kind: TransportKind, outcome: 'ok' | 'fail', log: string[]): Candidate {
  return {
    kind,
    create: (): Transport => ({
      kind,
      connect: async () => {
        log.push(`connect ${kind}`);
        if (outcome === 'fail') throw wireError(ErrorType.TIMEOUT, `${kind} did not answer`);
        return { tabId: 't', engineId: kind, tabCount: 1, transport: kind, state: { type: 'state', version: 0, data: null, skew: 0 } } as Welcome;
      },
      post: async () => undefined,
      send: () => undefined,
      close: () => log.push(`close ${kind}`),
    }),
  };
}

describe('candidateKinds', () => {
  test('auto: SharedWorker first, then broadcast', () => {
    assert.deepEqual(candidateKinds('auto', all), { kinds: [TransportKind.SHARED_WORKER, TransportKind.BROADCAST] });
    assert.deepEqual(candidateKinds('auto', { ...all, sharedWorker: false }), { kinds: [TransportKind.BROADCAST] });
  });

  test('auto without Web Locks or BroadcastChannel: in-page, with a warning', () => {
    for (const caps of [{ ...all, webLocks: false }, { ...all, broadcastChannel: false }]) {
      const c = candidateKinds('auto', caps);
      assert.deepEqual(c.kinds, [TransportKind.SHARED_WORKER, TransportKind.IN_PAGE]);
      assert.match(c.warning ?? '', /in-page/);
    }
    assert.deepEqual(candidateKinds('auto', { sharedWorker: false, broadcastChannel: false, webLocks: false }).kinds, [TransportKind.IN_PAGE]);
  });

  test('forced: that kind only, or an error naming what is missing', () => {
    assert.deepEqual(candidateKinds('broadcast', all).kinds, [TransportKind.BROADCAST]);
    assert.deepEqual(candidateKinds('in-page', all).kinds, [TransportKind.IN_PAGE]);
    assert.deepEqual(candidateKinds('shared-worker', all).kinds, [TransportKind.SHARED_WORKER]);
    assert.match(candidateKinds('broadcast', { ...all, webLocks: false }).error ?? '', /Web Locks/);
    assert.match(candidateKinds('shared-worker', { ...all, sharedWorker: false }).error ?? '', /SharedWorker/);
  });

  test('detectCapabilities reads the globals', () => {
    assert.deepEqual(detectCapabilities({ SharedWorker: function SW() {}, BroadcastChannel: function BC() {}, navigator: { locks: {} } }), all);
    assert.deepEqual(detectCapabilities({ navigator: {} }), { sharedWorker: false, broadcastChannel: false, webLocks: false });
  });
});

describe('AutoTransport', () => {
  test('a SharedWorker that does not answer counts as unavailable: the next candidate is used', async () => {
    const log: string[] = [];
    const fallbacks: string[] = [];
    let chosen: TransportKind | null = null;
    const t = new AutoTransport({
      candidates: Promise.resolve([fake(TransportKind.SHARED_WORKER, 'fail', log), fake(TransportKind.BROADCAST, 'ok', log)]),
      first: TransportKind.SHARED_WORKER,
      onFallback: (kind, why) => fallbacks.push(`${kind}: ${why.type}`),
      onChosen: (kind) => { chosen = kind; },
    });
    assert.equal(t.kind, TransportKind.SHARED_WORKER);
    const welcome = await t.connect(hello, () => undefined);
    assert.equal(welcome.engineId, TransportKind.BROADCAST);
    assert.equal(t.kind, TransportKind.BROADCAST);
    assert.equal(chosen, TransportKind.BROADCAST);
    assert.deepEqual(log, ['connect shared-worker', 'close shared-worker', 'connect broadcast']);
    assert.deepEqual(fallbacks, ['shared-worker: TimeoutError']);
  });

  test('when nothing connects, the last error is the answer', async () => {
    const failed: string[] = [];
    const t = new AutoTransport({
      candidates: Promise.resolve([fake(TransportKind.BROADCAST, 'fail', [])]), first: TransportKind.BROADCAST,
      onFailed: (e) => failed.push(e.type),
    });
    await assert.rejects(t.connect(hello, () => undefined), { type: ErrorType.TIMEOUT });
    assert.deepEqual(failed, [ErrorType.TIMEOUT]);
    await assert.rejects(t.post({ type: UpType.INSPECT }, 100), { type: ErrorType.NOT_CONNECTED });
  });
});

describe('TransportChooser', () => {
  test('the first transport chooses; later ones (a relayed CRM) use the same kind; the log says which', async () => {
    const made: string[] = [];
    const log: string[] = [];
    const api: FallbackApi = {
      createBroadcastTransport: () => { made.push('broadcast'); return fake(TransportKind.BROADCAST, 'ok', []).create() as Transport; },
      createInPageTransport: () => { made.push('in-page'); return fake(TransportKind.IN_PAGE, 'ok', []).create() as Transport; },
      delegateLocksToParent: async () => null,
    };
    const chooser = new TransportChooser({
      choice: 'auto', caps: { sharedWorker: false, broadcastChannel: true, webLocks: true }, locks: {} as never,
      workerUrl: '/w.js', fallback: async () => api, origin: 'https://ccp.example',
      log: (level, text) => log.push(`${level} ${text}`),
    });
    const primary = chooser.create();
    const relay = chooser.create(); // made before the primary connected: waits for its choice
    const relayed = relay.connect(hello, () => undefined);
    assert.equal((await primary.connect(hello, () => undefined)).transport, TransportKind.BROADCAST);
    assert.equal((await relayed).transport, TransportKind.BROADCAST);
    assert.deepEqual(made, ['broadcast', 'broadcast']);
    assert.deepEqual(log, ['info transport: broadcast (chosen automatically)']);
  });
});

describe('TransportChooser in a third-party CCP frame (Web Locks denied)', () => {
  const denied: Capabilities = { sharedWorker: false, broadcastChannel: true, webLocks: false };

  async function choose(parent: string | null, delegated: boolean, caps: Capabilities = denied) {
    const made: { kind: string; options: Record<string, unknown> }[] = [];
    const asked: string[] = [];
    const log: string[] = [];
    const parentLocks = { request: async () => undefined, query: async () => ({}) };
    const api: FallbackApi = {
      createBroadcastTransport: (o) => { made.push({ kind: 'broadcast', options: o as never }); return fake(TransportKind.BROADCAST, 'ok', []).create() as Transport; },
      createInPageTransport: (o) => { made.push({ kind: 'in-page', options: o as never }); return fake(TransportKind.IN_PAGE, 'ok', []).create() as Transport; },
      delegateLocksToParent: async (origin, chunkLog) => {
        asked.push(origin);
        // The chunk says whether the parent lends its locks, through the chooser's log.
        if (!delegated) chunkLog?.('warn', `the page at ${origin} does not take them for it`);
        else chunkLog?.('info', `using the locks of the page at ${origin}`);
        return delegated ? { locks: parentLocks, epochs: { read: async () => 0, bump: async () => 1 }, parentOrigin: origin } : null;
      },
    };
    const chooser = new TransportChooser({
      choice: 'auto', caps, workerUrl: '/w.js', fallback: async () => api, origin: 'http://ccp.example',
      approvedParent: async () => parent, log: (level, text) => log.push(`${level} ${text}`),
    });
    const welcome = await chooser.create().connect(hello, () => undefined);
    return { welcome, made, asked, log, tabLocks: await chooser.tabLocks(), parentLocks };
  }

  test('an approved parent that takes the locks: broadcast over its locks, also for the tabs\' liveness locks', async () => {
    const r = await choose('http://crm.example', true);
    assert.equal(r.welcome.transport, TransportKind.BROADCAST);
    assert.deepEqual(r.asked, ['http://crm.example']);
    assert.equal(r.made[0]!.options.locks, r.parentLocks);
    assert.equal((r.made[0]!.options.delegated as { parentOrigin: string }).parentOrigin, 'http://crm.example');
    assert.equal(r.tabLocks, r.parentLocks);
    assert.ok(r.log.some((l) => /using the locks of the page at http:\/\/crm\.example/.test(l)));
  });

  test('Firefox: a SharedWorker the frame can start (partitioned) is not used over the parent\'s locks', async () => {
    // Firefox lets a third-party frame start a partitioned SharedWorker, but denies Web Locks in it, and the parent's
    // locks are in another partition: that engine could never see a tab die without pagehide.
    const started: string[] = [];
    const g = globalThis as Record<string, unknown>;
    g.SharedWorker = function SharedWorker(url: string) { started.push(url); throw new Error('not in node'); };
    try {
      const r = await choose('http://crm.example', true, { ...denied, sharedWorker: true });
      assert.equal(r.welcome.transport, TransportKind.BROADCAST);
      assert.deepEqual(started, [], 'no SharedWorker was started');
      assert.deepEqual(r.log.filter((l) => l.includes('shared-worker')), []);
    } finally {
      delete g.SharedWorker;
    }
  });

  test('no approved parent, or one that does not answer: in-page as before, with a warning', async () => {
    const unapproved = await choose(null, true);
    assert.deepEqual(unapproved.asked, [], 'an unapproved parent is never asked');
    assert.equal(unapproved.welcome.transport, TransportKind.IN_PAGE);
    assert.equal(unapproved.tabLocks, undefined);
    const silent = await choose('http://crm.example', false);
    assert.equal(silent.welcome.transport, TransportKind.IN_PAGE);
    assert.ok(silent.log.some((l) => l.startsWith('warn') && /does not take them/.test(l)));
  });
});

describe('probeCapabilities', () => {
  test('Web Locks that deny every request (a third-party frame with blocked storage) count as missing', async () => {
    const denied = { query: () => Promise.reject(Object.assign(new Error('The request was denied.'), { name: 'SecurityError' })) };
    const g = { SharedWorker: function SW() {}, BroadcastChannel: function BC() {}, navigator: { locks: denied } };
    assert.deepEqual(await probeCapabilities(g), { sharedWorker: true, broadcastChannel: true, webLocks: false });
    assert.deepEqual(candidateKinds('auto', await probeCapabilities(g)).kinds, [TransportKind.SHARED_WORKER, TransportKind.IN_PAGE]);
    const working = { navigator: { locks: { query: async () => ({ held: [] }) } } };
    assert.equal((await probeCapabilities(working)).webLocks, true);
  });
});
