/**
 * The fallback transports (BroadcastChannel + a Web Locks leader, and in-page): the chunk `connect-fallback.js`,
 * which `choose.ts` loads (`loadFallback` in `on-demand.ts`) only when there is no usable SharedWorker, so that the
 * SharedWorker path does not carry them. The engine itself is yet another chunk, loaded only by a page that hosts it
 * (`loadEngine`).
 */
import { BROADCAST_CHANNEL_NAME } from '../../shared/broadcast-protocol';
import type { HostLocks } from '../../shared/engine-host';
import type { StateFull } from '../../shared/protocol';
import { loadEngine } from '../tab/on-demand';
import { BroadcastTransport } from './broadcast';
import type { EpochCounter } from './epoch-counter';
import { InPageTransport } from './in-page';
import type { LocksLike } from './leader-election';
import { ParentLocks, windowParentPort } from '../embed/parent-locks';
import type { Transport, TransportInfo } from '../tab/transport';

export interface FallbackOptions {
  /** The CCP origin (this page's). */
  origin: string;
  /** Where the engine persists: `memory` where IndexedDB is denied (a third-party frame). */
  storage?: 'indexeddb' | 'memory';
}

/** Web Locks and the epoch counter, taken by the page that embeds this CCP frame (see `parent-locks.ts`). */
export interface DelegatedLocks {
  locks: LocksLike;
  epochs: EpochCounter;
  /** The embedding page's origin: the broadcast channel is scoped to the pages that share its locks. */
  parentOrigin: string;
}

export interface BroadcastOptions extends FallbackOptions {
  locks: LocksLike;
  /** Delegated locks: their epoch counter and channel scope; the session is shared for the next leader. */
  delegated?: DelegatedLocks;
  seed?: () => StateFull | null;
  log?: (level: 'info' | 'warn' | 'error', text: string) => void;
  onChange?: (info: TransportInfo) => void;
}

export interface FallbackApi {
  createBroadcastTransport(o: BroadcastOptions): Transport;
  createInPageTransport(o: FallbackOptions & { locks?: HostLocks }): Transport;
  /** Asks the parent page (at `parentOrigin`) to take Web Locks for this frame; null when it does not answer. */
  delegateLocksToParent(parentOrigin: string, log?: (level: 'info' | 'warn', text: string) => void): Promise<DelegatedLocks | null>;
}

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
