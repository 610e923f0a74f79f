/**
 * The surface of `connect-relay.js` (the CCP-frame side of the iframe bridge), which `core.ts` loads on demand only
 * when the CCP page runs inside a frame: the global it installs and what that global offers. Types only, plus three
 * names: importing this does not pull the relay code into `connect-streams.js`.
 */
import type { RelayOptions } from './iframe-relay';

export const RELAY_GLOBAL = 'ConnectSyncRelay';
export const RELAY_BUNDLE_FILE = 'connect-relay.js';

/** A started relay. */
export interface RelayHandle {
  stop(): void;
}

export interface RelayApi {
  /** Relays for the (approved) parent page: listens, and tells the parent it is ready. */
  startRelay(o: RelayOptions): RelayHandle;
  /** Tells a parent that is not approved that we refuse it, and nothing else. */
  refuseParent(parentOrigin: string, reason: string): void;
}

export function isRelayApi(x: unknown): x is RelayApi {
  return typeof x === 'object' && x !== null && typeof (x as RelayApi).startRelay === 'function'
    && typeof (x as RelayApi).refuseParent === 'function';
}
