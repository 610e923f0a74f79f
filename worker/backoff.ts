/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time in
 * `[0, min(cap, base · 2^n))`. Full jitter (rather than ± a fraction) spreads the retries of many browsers that failed
 * together — a backend restart — evenly over the interval. A server's `Retry-After` overrides the draw.
 */
import type { CtiError } from './cti-error';

export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
    private readonly maxRetryAfterMs: number = Number.POSITIVE_INFINITY,
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
    if (error?.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), this.maxRetryAfterMs);
    return Math.floor(this.random() * ceiling);
  }

  /** After a success: the next failure starts from the base again. */
  reset(): void {
    this.failures = 0;
  }
}
