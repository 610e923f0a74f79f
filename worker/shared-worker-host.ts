/**
 * The SharedWorker host: builds the engine with browser dependencies — CTI over same-origin `/api`, tokens from
 * `/auth/authorize` (cookies), IndexedDB, Web Locks for tab liveness — and exposes one `EngineEndpoint` per
 * connecting port through Comlink. `shared-worker.ts` starts it as shipped; the benchmark's own worker bundle
 * (bench/) starts it with its instruments (`HostExtras`), which nothing that ships carries.
 *
 * Tab contract: a tab takes the Web Lock `TAB_LOCK_PREFIX + tabId` (and waits until it is granted) *before* its
 * hello, and holds it for its whole life; the engine queues for the same lock and is granted it when the tab is gone.
 */
import * as Comlink from 'comlink';
import type { PushCallback } from '../shared/endpoint';
import { ENGINE_ID_HEADER } from '../shared/cti';
import { ENGINE_LOCK_PREFIX, TAB_LOCK_PREFIX, TransportKind } from '../shared/protocol';
import { FetchAuthProvider } from './auth-provider';
import { guardPort } from '../shared/comlink-guard';
import { HttpCtiClient, type CtiClient } from './cti-client';
import { Engine, type FanOut, type LivenessWatcher } from './engine';
import { IdbStateStore } from './idb-store';
import { holdForever, watchTabLock } from './lock-liveness';
import { createTabEndpoint } from './tab-endpoint';
import { DEFAULT_TIMINGS, type EngineTimings } from './timings';

/** What the host uses of its global scope (a `SharedWorkerGlobalScope`). */
export interface SharedWorkerScope {
  readonly location: { readonly origin: string };
  readonly navigator: { readonly locks?: LockManager };
  onconnect: ((event: MessageEvent) => void) | null;
}

/** What a measuring build adds to the host; the shipped worker adds nothing. */
export interface HostExtras {
  /** Wraps the engine's CTI client (e.g. to record when answers arrive). */
  instrument?(cti: CtiClient): CtiClient;
  /** Methods added to each port's endpoint, beside `hello` and `post`. */
  endpointMethods?(): Record<string, (...args: never[]) => unknown>;
  fanOut?: FanOut;
  timings?: Partial<EngineTimings>;
}

/** Frees what a dropped tab's push held: its transferred port, or a Comlink proxy. */
function releaseComlinkProxy(push: PushCallback): void {
  const held = push as unknown as { port?: MessagePort; [Comlink.releaseProxy]?: () => void };
  if (held.port) held.port.close();
  else held[Comlink.releaseProxy]?.();
}

function livenessIn(scope: SharedWorkerScope): LivenessWatcher {
  return {
    async watch(tabId: string): Promise<void> {
      const locks = scope.navigator.locks;
      if (!locks) return new Promise<void>(() => undefined); // no Web Locks: only `bye` reports departures
      const name = TAB_LOCK_PREFIX + tabId;
      const state = await locks.query();
      if (!state.held?.some((l) => l.name === name)) {
        console.warn(`connect-sync: tab ${tabId} connected without holding its lock ${name}; it will look dead at once`);
      }
      await watchTabLock(locks, tabId);
    },
  };
}

/**
 * @example
 * declare const self: SharedWorkerGlobalScope;
 * hostSharedWorker(self);
 */
export function hostSharedWorker(scope: SharedWorkerScope, extras: HostExtras = {}): Engine {
  /** The engine's id, and the lock it holds for its whole life: tabs queue for it to learn when this worker is gone. */
  const engineId = crypto.randomUUID();
  // A page of the origin that steals it gets it only until it lets go: the engine queues for it again at once.
  if (scope.navigator.locks) holdForever(scope.navigator.locks, ENGINE_LOCK_PREFIX + engineId);

  // The engine id header lets the backend tell pollers apart (its stats show that one engine polls at a time).
  const cti = new HttpCtiClient({ endpoint: new URL('/api', scope.location.origin), headers: { [ENGINE_ID_HEADER]: engineId } });

  const engine = new Engine({
    engineId,
    cti: extras.instrument ? extras.instrument(cti) : cti,
    auth: new FetchAuthProvider({ url: new URL('/auth/authorize', scope.location.origin) }),
    store: new IdbStateStore(DEFAULT_TIMINGS.logRingSize),
    liveness: livenessIn(scope),
    clock: { now: () => Date.now() },
    transport: TransportKind.SHARED_WORKER,
    fanOut: extras.fanOut,
    timings: extras.timings,
  });

  void engine.start();

  scope.onconnect = (event: MessageEvent) => {
    const port = event.ports[0];
    if (!port) return;
    const endpoint = createTabEndpoint({ engine, releasePush: releaseComlinkProxy });
    const offered = extras.endpointMethods ? Object.freeze({ ...endpoint, ...extras.endpointMethods() }) : endpoint;
    // Only the offered methods are callable: Comlink alone would walk any path (`hello.constructor` is `Function`).
    Comlink.expose(offered, guardPort(port, Object.keys(offered)));
  };
  return engine;
}
