/**
 * Tab liveness for an engine hosted by a page: the same per-tab Web Locks as the SharedWorker host, through the
 * page's lock manager (one per origin, shared with the SharedWorker's). Watches end quietly when the host stops.
 */
import type { HostLocks } from '../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../shared/protocol';
import type { LivenessWatcher } from './engine';

const never = (): Promise<void> => new Promise<void>(() => undefined);

/**
 * @example
 * const stop = new AbortController();
 * const liveness = lockLiveness(navigator.locks, stop.signal); // stop.abort() when the host stops
 */
export function lockLiveness(locks: HostLocks | undefined, signal: AbortSignal): LivenessWatcher {
  return {
    watch(tabId: string): Promise<void> {
      // No Web Locks: only `bye` reports departures.
      if (!locks || signal.aborted) return never();
      return locks.request(TAB_LOCK_PREFIX + tabId, { mode: 'exclusive', signal }, async () => undefined).then(
        () => (signal.aborted ? never() : undefined),
        (e: unknown) => (signal.aborted ? never() : Promise.reject(e)),
      );
    },
  };
}
