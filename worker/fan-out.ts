/**
 * The engine's fan-out strategy: how a published change reaches the tabs. One seam so a benchmark can measure another
 * design against the engine's own.
 */
import type { Hub } from './hub';
import type { Publication, StatePublisher } from './publisher';

/**
 * How the engine fans the state out to its tabs. The engine's own (`DELTA_FAN_OUT`): a change goes out once as a
 * delta, an unchanged answer sends nothing, a new tab alone gets the full state. Another strategy can be given to
 * measure a design against this one; only the benchmark's own bundles do (bench/), nothing that ships.
 */
export interface FanOut {
  /** A tab connected: it (at least) gets the full state. */
  tabConnected(hub: Hub, tabId: string, publisher: StatePublisher): void;
  /** The state was offered to the publisher: `p` is what changed (null: nothing a tab could observe); `fromBackend`
   * for a long-poll answer or a configuration round. */
  offered(hub: Hub, p: Publication | null, publisher: StatePublisher, fromBackend: boolean): void;
}

export const DELTA_FAN_OUT: FanOut = Object.freeze({
  tabConnected: (hub, tabId, publisher) => hub.send(tabId, publisher.fullJson()),
  offered: (hub, p) => {
    if (p) hub.sendAll(p.json, 'state');
  },
} satisfies FanOut);
