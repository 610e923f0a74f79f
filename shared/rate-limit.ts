/**
 * A token bucket: `burst` messages at once, `perSecond` sustained. Pure (the caller passes the time), so the engine
 * (per tab) and the CCP frame's relay (per CRM parent) use it alike under fake or real clocks.
 *
 * @example
 * const bucket = new TokenBucket({ burst: 200, perSecond: 50 }, Date.now());
 * if (!bucket.take(Date.now())) reply({ type: 'ThrottledError', message: 'too many messages' });
 */
export interface RateLimit {
  /** Tokens when full: how many messages may arrive at once. */
  burst: number;
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Messages refused since the last one that was let through (for one log line per episode). */
  refused = 0;

  constructor(private readonly limit: RateLimit, now: number) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** True when a message may pass now (and counts it); false when the bucket is empty. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last); // a clock stepping back refills nothing
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed / 1000) * this.limit.perSecond);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.refused++;
    return false;
  }
}
