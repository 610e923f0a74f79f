/**
 * Long-poll waiters, per agent. A waiter sleeps on one timer and is woken by a change to its agent, by its timeout,
 * or by its client going away; nothing polls, so hundreds of held requests cost no CPU while they wait.
 */

interface Waiter {
  wake(): void;
}

export class SnapshotWatchers {
  private readonly byAgent = new Map<string, Set<Waiter>>();

  /**
   * Resolves when `username` changes, after `timeoutMs`, or when `signal` aborts — whichever comes first.
   * @example
   *   await watchers.waitForChange('agent1', 30_000, abortOnClientClose.signal);
   */
  waitForChange(username: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let set = this.byAgent.get(username);
      if (!set) {
        set = new Set();
        this.byAgent.set(username, set);
      }
      const waiters = set;
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.byAgent.get(username) === waiters) this.byAgent.delete(username);
          resolve();
        },
      };
      const onAbort = (): void => waiter.wake();
      const timer = setTimeout(waiter.wake, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(waiter);
    });
  }

  /** Wakes every long poll of `username`. */
  notify(username: string): void {
    const set = this.byAgent.get(username);
    if (!set) return;
    for (const waiter of [...set]) waiter.wake();
  }

  /** Wakes every long poll (reset, shutdown). */
  notifyAll(): void {
    for (const username of [...this.byAgent.keys()]) this.notify(username);
  }

  /** Held long polls, per agent or in all. */
  count(username?: string): number {
    if (username !== undefined) return this.byAgent.get(username)?.size ?? 0;
    let total = 0;
    for (const set of this.byAgent.values()) total += set.size;
    return total;
  }
}
