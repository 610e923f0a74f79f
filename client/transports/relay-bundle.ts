/**
 * Entry of `connect-relay.js`: the CCP-frame side of the iframe bridge, which `core.ts` loads only when the CCP page
 * runs inside a frame, so that a standalone CCP page does not carry it. It installs `globalThis.ConnectSyncRelay`.
 */
import { IframeRelay, refuseParent } from './iframe-relay';
import { RELAY_GLOBAL, type RelayApi } from './relay-api';

export const relayApi: RelayApi = Object.freeze({
  startRelay: (o) => {
    const relay = new IframeRelay(o);
    relay.start();
    return relay;
  },
  refuseParent,
} satisfies RelayApi);

(globalThis as Record<string, unknown>)[RELAY_GLOBAL] = relayApi;
