/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time in
 * `[0, min(cap, base · 2^n))`. Full jitter (rather than ± a fraction) spreads the retries of many browsers that failed
 * together — a backend restart — evenly over the interval. A server's `Retry-After` is a floor added to the draw
 * (clamped to `[minRetryAfterMs, maxRetryAfterMs]`): `Retry-After: 0` must not turn the backoff into a hot loop, and
 * many browsers told the same "retry in 5 s" still spread out after it.
 */
import type { CtiError } from './cti-error';
import { DEFAULT_TIMINGS } from './timings';

export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
    private readonly maxRetryAfterMs: number = DEFAULT_TIMINGS.maxRetryAfterMs,
    private readonly minRetryAfterMs: number = DEFAULT_TIMINGS.minRetryAfterMs,
  ) {}

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.failures;
  }

  /**
   * The wait before the next try after a failure (counts the failure).
   *
   * @example
   * const b = new Backoff(500, 30_000);
   * await sleep(b.next(error)); // 0–500 ms, then 0–1000 ms, … up to 0–30 s
   */
  next(error?: Pick<CtiError, 'retryAfterMs'>): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    const draw = Math.floor(this.random() * ceiling);
    if (error?.retryAfterMs === undefined) return draw;
    const floor = Math.min(Math.max(this.minRetryAfterMs, error.retryAfterMs), Math.max(this.minRetryAfterMs, this.maxRetryAfterMs));
    return floor + draw;
  }

  /** After a success: the next failure starts from the base again. */
  reset(): void {
    this.failures = 0;
  }
}
