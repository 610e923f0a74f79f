/**
 * The fallback transports (BroadcastChannel + a Web Locks leader, and in-page): the chunk `connect-fallback.js`,
 * which `choose.ts` loads (`loadFallback` in `on-demand.ts`) only when there is no usable SharedWorker, so that the
 * SharedWorker path does not carry them. The engine itself is yet another chunk, loaded only by a page that hosts it
 * (`loadEngine`). Its API's types are in `fallback-api.ts`.
 */
import { BROADCAST_CHANNEL_NAME } from '../../shared/broadcast-protocol';
import { loadEngine } from '../tab/on-demand';
import { BroadcastTransport } from './broadcast';
import type { FallbackApi } from './fallback-api';
import { InPageTransport } from './in-page';
import { ParentLocks, windowParentPort } from '../embed/parent-locks';

export const fallbackApi: FallbackApi = Object.freeze({
  createBroadcastTransport: (o) => new BroadcastTransport({
    node: () => ({
      loadEngine, origin: o.origin, locks: o.locks, seed: o.seed, log: o.log, storage: o.storage,
      ...(o.delegated ? {
        epochs: o.delegated.epochs, shareSessions: true, channelName: `${BROADCAST_CHANNEL_NAME}:frame:${o.delegated.parentOrigin}`,
      } : {}),
    }),
    onChange: o.onChange,
  }),
  createInPageTransport: (o) => new InPageTransport({ loadEngine, origin: o.origin, locks: o.locks, storage: o.storage }),
  delegateLocksToParent: async (parentOrigin, log) => {
    const p = await ParentLocks.connect(windowParentPort(parentOrigin)).catch(() => null);
    if (!p) {
      log?.('warn', `Web Locks are denied in this frame and the page at ${parentOrigin} does not take them for it`);
      return null;
    }
    log?.('info', `Web Locks and IndexedDB are denied in this frame (third-party): using the locks of the page at ${parentOrigin}`
      + ', the engine keeps its state in memory');
    return { locks: p.locks, epochs: p.epochs, parentOrigin };
  },
} satisfies FallbackApi);
