/**
 * The CCP-frame side of the iframe bridge: the chunk `connect-relay.js`, which `core.ts` loads (`loadRelay` in
 * `on-demand.ts`) only when the CCP page runs inside a frame, so that a standalone CCP page does not carry it.
 *
 * The frame speaks to an approved parent in one of two protocols: our own bridge (a connect-sync CRM) or the Streams
 * conduit (a CRM on the genuine `amazon-connect-streams` library). Both greet the parent at once (`ready`, and
 * `acknowledge {id}`); each ignores the other's messages, and the parent's first valid message decides which one the
 * frame speaks from then on.
 */
import { ConduitRelay } from '../conduit/conduit-relay';
import { IframeRelay, refuseParent, type RelayOptions } from './iframe-relay';
import { ErrorType, wireError } from '../../shared/protocol';

/** A started relay. */
export interface RelayHandle {
  stop(): void;
}

export interface RelayApi {
  /** Relays for the (approved) parent page: listens, and greets the parent in both protocols. */
  startRelay(o: RelayOptions): RelayHandle;
  /** Tells a parent that is not approved that we refuse it, and nothing else. */
  refuseParent(parentOrigin: string, reason: string): void;
  /** Relays for the parent when `approved`, else refuses it (logged through `o.onError`): null then. */
  bridge(approved: boolean, o: RelayOptions): RelayHandle | null;
}

/** The protocols a framing parent may speak. */
export enum ParentProtocol {
  BRIDGE = 'connect-sync-bridge',
  CONDUIT = 'streams-conduit',
}

function startRelay(o: RelayOptions): RelayHandle {
  {
    let spoken: ParentProtocol | null = null;
    const claim = (p: ParentProtocol) => (): boolean => {
      spoken ??= p;
      return spoken === p;
    };
    const bridge = new IframeRelay({ ...o, claim: claim(ParentProtocol.BRIDGE) });
    const conduit = new ConduitRelay({
      parentOrigin: o.parentOrigin, createTransport: o.createTransport, locks: o.locks, onConfigure: o.onConfigure,
      log: (level, text) => (level === 'info' ? undefined : o.onError({ type: level === 'error' ? 'ConduitError' : 'ConduitWarning', message: text })),
      claim: claim(ParentProtocol.CONDUIT),
    });
    bridge.start();
    conduit.start();
    return { stop: () => { bridge.stop(); conduit.stop(); } };
  }
}

export const relayApi: RelayApi = Object.freeze({
  startRelay,
  refuseParent,
  bridge: (approved, o) => {
    if (approved) return startRelay(o);
    o.onError(wireError(ErrorType.FORBIDDEN, `refusing to bridge to ${o.parentOrigin}: not an approved origin`));
    refuseParent(o.parentOrigin, 'origin not approved');
    return null;
  },
} satisfies RelayApi);
