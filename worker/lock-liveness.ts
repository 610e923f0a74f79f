/**
 * Tab liveness over Web Locks, for both hosts (the SharedWorker and a page hosting the engine): the engine queues for
 * each tab's lock and is granted it when the tab is gone. Watches end quietly when the host stops.
 *
 * Web Locks are per origin, so any page of the origin can steal a tab's lock and let it go: the engine is then
 * granted it with the tab alive. A tab whose lock is stolen queues for it again (client/tab/liveness.ts), so while the
 * engine holds a tab's lock it looks at the queue: someone waiting for that lock means the tab is alive, and the
 * engine lets it have the lock and watches again instead of dropping the tab.
 */
import type { HostLocks } from '../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../shared/protocol';
import type { LivenessWatcher } from './engine';

const never = (): Promise<void> => new Promise<void>(() => undefined);

/**
 * Resolves when the tab `tabId` is gone: its lock was granted to us and nobody waits for it (with a lock manager
 * that has no `query`, the grant alone). Each round needs the lock to be released by someone, so it cannot spin.
 *
 * @example
 * await watchTabLock(navigator.locks, tabId, stop.signal); // the tab is gone
 */
export async function watchTabLock(locks: HostLocks, tabId: string, signal?: AbortSignal): Promise<void> {
  const name = TAB_LOCK_PREFIX + tabId;
  for (;;) {
    const waitedFor = await locks.request(name, { mode: 'exclusive', ...(signal ? { signal } : {}) }, async () => {
      if (!locks.query) return false;
      const snapshot = await locks.query();
      return (snapshot.pending ?? []).some((l) => l.name === name);
    });
    if (waitedFor !== true) return;
  }
}

/**
 * Holds the lock `name` for the rest of this context's life, taking it back (queueing, never stealing: no tug of war)
 * each time another page of the origin steals it (the only way a held lock ends with `AbortError`).
 *
 * @example
 * holdForever(navigator.locks, ENGINE_LOCK_PREFIX + engineId);
 */
export function holdForever(locks: HostLocks, name: string): void {
  locks.request(name, {}, never).catch((e: unknown) => {
    if ((e as { name?: unknown } | null)?.name === 'AbortError') holdForever(locks, name); // stolen; anything else: give up
  });
}

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
      return watchTabLock(locks, tabId, signal).then(
        () => (signal.aborted ? never() : undefined),
        (e: unknown) => (signal.aborted ? never() : Promise.reject(e)),
      );
    },
  };
}
