/**
 * The engine for a page that hosts it itself (the BroadcastChannel leader, or the in-page transport): the chunk
 * `connect-engine.js`, loaded with `import()` only when needed (`loadEngine` in `client/tab/on-demand.ts`). Its
 * `createHost` builds an `Engine` with the page's dependencies — CTI over `<origin>/api` tagged with `X-Engine-Id`
 * (held until the first token is known: followers re-send requests the moment it starts), tokens from
 * `<origin>/auth/authorize` (cookies), the same IndexedDB store as the SharedWorker host (fenced by the
 * leadership epoch; in memory where IndexedDB is denied), tab liveness through the page's Web Locks (or the ones its
 * embedding page takes for it) — and serves tabs of this page (endpoints) and
 * follower tabs (a channel server).
 */
import { ENGINE_ID_HEADER } from '../shared/cti';
import type { EngineHost, EngineHostFactory, EngineHostOptions } from '../shared/engine-host';
import { FetchAuthProvider, seededAuth } from './auth-provider';
import { EngineChannelServer } from './channel-server';
import { FirstTokenGate } from './first-token-gate';
import { HttpCtiClient } from './cti-client';
import { Engine } from './engine';
import { IdbStateStore } from './idb-store';
import { idbEpochFence, LeaderGuardedCti, LeaderStore } from './leader-fence';
import { lockLiveness } from './lock-liveness';
import { MemoryStore } from './store';
import { createTabEndpoint } from './tab-endpoint';
import { DEFAULT_TIMINGS } from './timings';

/** What differs from the SharedWorker's engine. No pause before re-polling after a change (`repollAfterChangeMs`):
 * a page's timers are throttled while it is hidden (Chromium runs a hidden page's timers at most once a second), and
 * a leader tab is often in the background, so a 5 ms pause could hold the next change for up to a second. */
const PAGE_HOST_TIMINGS = { repollAfterChangeMs: 0 };

/**
 * @example
 * const host = engineHostFactory.createHost({ transport: 'broadcast', epoch: 7, origin: location.origin, locks: navigator.locks });
 * const welcome = await host.endpoint().hello(hello, (json) => onDown(json));
 */
export function createHost(o: EngineHostOptions): EngineHost {
  const engineId = crypto.randomUUID();
  const http = new HttpCtiClient({ endpoint: new URL('/api', o.origin), headers: { [ENGINE_ID_HEADER]: engineId } });
  const watching = new AbortController();
  const memory = o.storage === 'memory';
  const store = new LeaderStore(memory ? new MemoryStore(DEFAULT_TIMINGS.logRingSize) : new IdbStateStore(DEFAULT_TIMINGS.logRingSize),
    o.epoch !== undefined && !memory ? idbEpochFence(o.epoch) : null, o.seed, () => Date.now());
  const gate = new FirstTokenGate(DEFAULT_TIMINGS.authFetchDeadlineMs);
  const engine = new Engine({
    cti: gate.cti(o.isLeader ? new LeaderGuardedCti(http, o.isLeader) : http),
    auth: gate.auth(seededAuth(new FetchAuthProvider({ url: new URL('/auth/authorize', o.origin) }), o.session ?? null, () => Date.now())),
    store,
    liveness: lockLiveness(o.locks, watching.signal),
    clock: { now: () => Date.now() },
    transport: o.transport,
    epoch: o.epoch,
    engineId,
    timings: PAGE_HOST_TIMINGS,
  });
  void engine.start();
  const servers = new Set<EngineChannelServer>();
  let stopping: Promise<void> | null = null;
  return Object.freeze({
    engineId,
    endpoint: () => createTabEndpoint({ engine }),
    serve(emit) {
      const server = new EngineChannelServer({ endpoint: (onRelease) => createTabEndpoint({ engine, releasePush: onRelease }), emit });
      servers.add(server);
      return server;
    },
    stop() {
      stopping ??= (async () => {
        for (const s of servers) s.close();
        watching.abort();
        await engine.stop();
      })();
      return stopping;
    },
  } satisfies EngineHost);
}

export const engineHostFactory: EngineHostFactory = Object.freeze({ createHost });
