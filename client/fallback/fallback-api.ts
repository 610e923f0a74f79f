/**
 * The API of the chunk `connect-fallback.js` (`fallback.ts`), as its loader (`loadFallback` in `on-demand.ts`) and
 * `choose.ts` see it: the options of its transports and what it offers. Types only, apart from the chunk, so that
 * the loader names what it loads without importing the chunk, which itself loads the engine through `on-demand.ts`.
 */
import type { HostLocks } from '../../shared/engine-host';
import type { StateFull } from '../../shared/protocol';
import type { Transport, TransportInfo } from '../tab/transport';
import type { EpochCounter } from './epoch-counter';
import type { LocksLike } from './leader-election';

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
