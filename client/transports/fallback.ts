/**
 * Entry of `connect-fallback.js`: the fallback transports (BroadcastChannel + a Web Locks leader, and in-page), which
 * `choose.ts` loads only when there is no usable SharedWorker, so that the SharedWorker path does not carry them. It
 * installs `globalThis.ConnectSyncFallback`. The engine itself is yet another bundle, loaded only by a page that
 * hosts it (`engine-loader.ts`).
 */
import { BROADCAST_CHANNEL_NAME } from '../../shared/broadcast-protocol';
import { BroadcastTransport } from './broadcast';
import { loadEngine } from './engine-loader';
import { FALLBACK_GLOBAL, type FallbackApi } from './fallback-api';
import { InPageTransport } from './in-page';
import { ParentLocks, windowParentPort } from './parent-locks';

export const fallbackApi: FallbackApi = Object.freeze({
  createBroadcastTransport: (o) => new BroadcastTransport({
    node: () => ({
      loadEngine: () => loadEngine(o.engineUrl), origin: o.origin, locks: o.locks, seed: o.seed, log: o.log, storage: o.storage,
      ...(o.delegated ? {
        epochs: o.delegated.epochs, shareSessions: true, channelName: `${BROADCAST_CHANNEL_NAME}:frame:${o.delegated.parentOrigin}`,
      } : {}),
    }),
    onChange: o.onChange,
  }),
  createInPageTransport: (o) => new InPageTransport({ loadEngine: () => loadEngine(o.engineUrl), origin: o.origin, locks: o.locks, storage: o.storage }),
  delegateLocksToParent: async (parentOrigin) => {
    const p = await ParentLocks.connect(windowParentPort(parentOrigin));
    return p ? { locks: p.locks, epochs: p.epochs, parentOrigin } : null;
  },
} satisfies FallbackApi);

(globalThis as Record<string, unknown>)[FALLBACK_GLOBAL] = fallbackApi;
