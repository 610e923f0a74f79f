/**
 * The CCP-frame side of the iframe bridge: the chunk `connect-relay.js`, which `core.ts` loads (`loadRelay` in
 * `on-demand.ts`) only when the CCP page runs inside a frame, so that a standalone CCP page does not carry it.
 */
import { IframeRelay, refuseParent, type RelayOptions } from './iframe-relay';

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

export const relayApi: RelayApi = Object.freeze({
  startRelay: (o) => {
    const relay = new IframeRelay(o);
    relay.start();
    return relay;
  },
  refuseParent,
} satisfies RelayApi);
