/**
 * Held long polls per access token are capped: a client (buggy or hostile) that opens poll after poll cannot pile up
 * held requests. Past the cap, the newest is held and the oldest is answered at once (with the snapshot as it is), so
 * a client that simply re-polls after a lost connection never loses its newest poll.
 */

export interface LongPollSlot {
  /** Aborts when this poll has been pushed out by newer ones: the handler answers now. */
  signal: AbortSignal;
  release(): void;
}

export class LongPollLimiter {
  private readonly byToken = new Map<string, AbortController[]>();

  /** `max`: limits.maxLongPollsPerToken. */
  constructor(private readonly max: number) {}

  /**
   * @example
   *   const slot = limiter.hold(token);
   *   try { await watchers.waitForChange(agent, 30_000, AbortSignal.any([clientGone, slot.signal])); }
   *   finally { slot.release(); }
   */
  hold(token: string): LongPollSlot {
    const list = this.byToken.get(token) ?? [];
    this.byToken.set(token, list);
    const controller = new AbortController();
    list.push(controller);
    while (list.length > this.max) list.shift()!.abort();
    return {
      signal: controller.signal,
      release: () => {
        const i = list.indexOf(controller);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0 && this.byToken.get(token) === list) this.byToken.delete(token);
      },
    };
  }

  /** Long polls held for `token` now. */
  count(token: string): number {
    return this.byToken.get(token)?.length ?? 0;
  }
}
