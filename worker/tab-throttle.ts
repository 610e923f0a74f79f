/**
 * Per-tab flood control: each tab id gets a token bucket (`tabBurstMessages` at once, `tabMessagesPerSecond`
 * sustained). A message past it is refused with `ThrottledError` before it is even parsed, so a looping or hostile
 * tab costs the engine almost nothing and the other tabs keep their share. One warning per throttling episode.
 */
import { LogLevel } from '../shared/enums';
import { ErrorType, UpType, wireError, type WireError } from '../shared/protocol';
import { TokenBucket } from '../shared/rate-limit';
import type { EngineTimings } from './timings';

/**
 * @example
 * const throttle = new TabThrottle(timings, log);
 * const refused = throttle.check(tabId, raw, Date.now());
 * if (refused) return errorResponse(raw, refused);
 */
export class TabThrottle {
  /** Per tab id; kept across a reconnect of the same id, so reconnecting does not refill the bucket. */
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly t: Pick<EngineTimings, 'tabBurstMessages' | 'tabMessagesPerSecond'>,
    private readonly log: (level: LogLevel, text: string) => void) {}

  /** Null when the message may go on (and counts it); the error to answer when the tab is over its rate. `bye`
   * always passes: a departure must never be refused. */
  check(tabId: string, raw: unknown, now: number): WireError | null {
    if ((raw as { type?: unknown } | null)?.type === UpType.BYE) return null;
    let bucket = this.buckets.get(tabId);
    if (!bucket) this.buckets.set(tabId, bucket = new TokenBucket({ burst: this.t.tabBurstMessages, perSecond: this.t.tabMessagesPerSecond }, now));
    const before = bucket.refused;
    if (bucket.take(now)) {
      if (before > 0) this.log(LogLevel.WARN, `tab ${tabId}: no longer throttled (${before} messages refused)`);
      bucket.refused = 0;
      return null;
    }
    if (before === 0) this.log(LogLevel.WARN, `tab ${tabId}: throttled: more than ${this.t.tabBurstMessages} messages at once or ${this.t.tabMessagesPerSecond}/s`);
    return wireError(ErrorType.THROTTLED, `too many messages from tab ${tabId} (at most ${this.t.tabMessagesPerSecond}/s); retry later`);
  }

  /** The tab is gone. */
  forget(tabId: string): void {
    this.buckets.delete(tabId);
  }
}
