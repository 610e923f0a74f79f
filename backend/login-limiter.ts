/**
 * Password guessing: failed logins are counted per username and per client address over a sliding window; past
 * either limit further attempts — even with the right password — wait until the oldest failure leaves the window.
 * A success clears the username's count (not the address's: one right password does not excuse a hundred guesses).
 */
import type { Clock } from './sim/clock';

/**
 * Most keys (usernames plus addresses) remembered at once: a guesser inventing usernames must not grow memory without
 * bound. 10,000 is far past any real user base of this simulator; past it the least recently failed are forgotten.
 */
const MAX_TRACKED_KEYS = 10_000;

export interface LoginLimits {
  loginFailuresPerUsername: number;
  loginFailuresPerAddress: number;
  loginWindowMs: number;
}

export type LoginVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export class LoginLimiter {
  /** Key → times of its failures within the window, oldest first. Map order: least recently failed first. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits, private readonly clock: Clock) {}

  /**
   * Whether an attempt for `username` from `address` may be checked at all.
   * @example
   *   const verdict = limiter.check('agent1', req.socket.remoteAddress ?? '');
   *   if (!verdict.ok) res.setHeader('Retry-After', Math.ceil(verdict.retryAfterMs / 1000));
   */
  check(username: string, address: string): LoginVerdict {
    const wait = Math.max(
      this.waitFor(`user:${username}`, this.limits.loginFailuresPerUsername),
      this.waitFor(`addr:${address}`, this.limits.loginFailuresPerAddress));
    return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
  }

  failed(username: string, address: string): void {
    this.note(`user:${username}`, this.limits.loginFailuresPerUsername);
    this.note(`addr:${address}`, this.limits.loginFailuresPerAddress);
  }

  succeeded(username: string): void {
    this.failures.delete(`user:${username}`);
  }

  clear(): void {
    this.failures.clear();
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.limits.loginWindowMs;
    const times = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private waitFor(key: string, limit: number): number {
    const times = this.recent(key);
    if (times.length < limit) return 0;
    return Math.max(1, times[times.length - limit]! + this.limits.loginWindowMs - this.clock.now());
  }

  private note(key: string, limit: number): void {
    const times = [...this.recent(key), this.clock.now()].slice(-limit);
    this.failures.delete(key);
    this.failures.set(key, times);
    while (this.failures.size > MAX_TRACKED_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }
}
