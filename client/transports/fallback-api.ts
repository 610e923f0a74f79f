/**
 * The surface of `connect-fallback.js` (the BroadcastChannel and in-page transports, loaded on demand by
 * `choose.ts`): the global it installs and what that global offers. Types only, plus two names: importing this does
 * not pull the fallback code into `connect-streams.js`.
 */
import type { HostLocks } from '../../shared/engine-host';
import type { StateFull } from '../../shared/protocol';
import type { EpochCounter } from './epoch-counter';
import type { LocksLike } from './leader-election';
import type { Transport, TransportInfo } from './transport';

export const FALLBACK_GLOBAL = 'ConnectSyncFallback';
export const FALLBACK_BUNDLE_FILE = 'connect-fallback.js';

export interface FallbackOptions {
  /** URL of `connect-engine.js`. */
  engineUrl: string;
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
  delegateLocksToParent(parentOrigin: string): Promise<DelegatedLocks | null>;
}

export function isFallbackApi(x: unknown): x is FallbackApi {
  return typeof x === 'object' && x !== null && typeof (x as FallbackApi).createBroadcastTransport === 'function';
}
