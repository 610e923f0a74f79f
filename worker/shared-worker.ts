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
import { TAB_LOCK_PREFIX, TransportKind } from '../shared/protocol';
import { FetchAuthProvider } from './auth-provider';
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

function releaseComlinkProxy(push: PushCallback): void {
  const proxy = push as unknown as { [Comlink.releaseProxy]?: () => void };
  proxy[Comlink.releaseProxy]?.();
}

const engine = new Engine({
  cti: new HttpCtiClient({ endpoint: new URL('/api', self.location.origin) }),
  auth: new FetchAuthProvider({ url: new URL('/auth/authorize', self.location.origin) }),
  store: new IdbStateStore(DEFAULT_TIMINGS.logRingSize),
  liveness,
  clock: { now: () => Date.now() },
  transport: TransportKind.SHARED_WORKER,
});

void engine.start();

self.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  Comlink.expose(createTabEndpoint({ engine, releasePush: releaseComlinkProxy }), port);
};
