/**
 * The SharedWorker host: the only file that knows it runs in a SharedWorker. It builds the engine with browser
 * dependencies — CTI over same-origin `/api`, tokens from `/auth/authorize` (cookies), IndexedDB, Web Locks for tab
 * liveness — and exposes one `EngineEndpoint` per connecting port through Comlink.
 *
 * Tab contract: a tab takes the Web Lock `TAB_LOCK_PREFIX + tabId` (and waits until it is granted) *before* its
 * hello, and holds it for its whole life; the engine queues for the same lock and is granted it when the tab is gone.
 */
import * as Comlink from 'comlink';
import type { PushCallback } from '../shared/endpoint';
import { ENGINE_LOCK_PREFIX, TAB_LOCK_PREFIX, TransportKind } from '../shared/protocol';
import { FetchAuthProvider } from './auth-provider';
import { BENCH_NAME_SUFFIX, BenchProbe, engineModeForWorkerName } from './bench-probe';
import { guardPort } from './comlink-guard';
import { HttpCtiClient } from './cti-client';
import { Engine, type LivenessWatcher } from './engine';
import { IdbStateStore } from './idb-store';
import { createTabEndpoint } from './tab-endpoint';
import { DEFAULT_TIMINGS } from './timings';

declare const self: SharedWorkerGlobalScope;

const liveness: LivenessWatcher = {
  async watch(tabId: string): Promise<void> {
    const locks = self.navigator.locks;
    if (!locks) return new Promise<void>(() => undefined); // no Web Locks: only `bye` reports departures
    const name = TAB_LOCK_PREFIX + tabId;
    const state = await locks.query();
    if (!state.held?.some((l) => l.name === name)) {
      console.warn(`connect-sync: tab ${tabId} connected without holding its lock ${name}; it will look dead at once`);
    }
    await locks.request(name, { mode: 'exclusive' }, async () => undefined);
  },
};

/** Frees what a dropped tab's push held: its transferred port, or a Comlink proxy. */
function releaseComlinkProxy(push: PushCallback): void {
  const held = push as unknown as { port?: MessagePort; [Comlink.releaseProxy]?: () => void };
  if (held.port) held.port.close();
  else held[Comlink.releaseProxy]?.();
}

/** Only a worker started under a `…:bench` name carries benchmark instruments (see bench-probe.ts). */
const bench = self.name.endsWith(BENCH_NAME_SUFFIX) ? new BenchProbe() : null;
/** The engine's id, and the lock it holds for its whole life: tabs queue for it to learn when this worker is gone. */
const engineId = crypto.randomUUID();
void self.navigator.locks?.request(ENGINE_LOCK_PREFIX + engineId, () => new Promise<void>(() => undefined));

// `X-Engine-Id` lets the backend tell pollers apart (its stats show that one engine polls at a time).
const cti = new HttpCtiClient({ endpoint: new URL('/api', self.location.origin), headers: { 'X-Engine-Id': engineId } });

const engine = new Engine({
  engineId,
  cti: bench ? bench.instrument(cti) : cti,
  auth: new FetchAuthProvider({ url: new URL('/auth/authorize', self.location.origin) }),
  store: new IdbStateStore(DEFAULT_TIMINGS.logRingSize),
  liveness,
  clock: { now: () => Date.now() },
  transport: TransportKind.SHARED_WORKER,
  // The original design's strategy, for the benchmark's ours/original comparison: only in a `…:baseline:bench` worker.
  mode: engineModeForWorkerName(self.name),
});

void engine.start();

self.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  const endpoint = createTabEndpoint({ engine, releasePush: releaseComlinkProxy });
  const offered = bench ? Object.freeze({ ...endpoint, ...bench.endpointMethods() }) : endpoint;
  // Only the offered methods are callable: Comlink alone would walk any path (`hello.constructor` is `Function`).
  Comlink.expose(offered, guardPort(port, Object.keys(offered)));
};
