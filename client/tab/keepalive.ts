/**
 * SYNCHRONIZE / ACKNOWLEDGE between a tab and the engine. The tab sends `synchronize {seq}` every `intervalMs`; the
 * engine answers that tab alone with `acknowledge {tabId, seq}`. No answer within `timeoutMs` raises `ack_timeout`;
 * the first answer after that raises `acknowledge` again.
 *
 * Page timers are throttled in background tabs (at most once a second, once a minute after five minutes hidden)
 * and stop entirely in a frozen tab. A timer that fires long after it was due says nothing about the engine, so when
 * the gap since the previous tick far exceeds the interval we re-check (send a fresh SYNCHRONIZE and give it a whole
 * ACK window) instead of raising a timeout: no false ACK_TIMEOUT from throttling or freezing.
 */

/** Default SYNCHRONIZE period, as the original (CCP_SYN_TIMEOUT). */
export const SYN_INTERVAL_MS = 1000;
/** Default wait for an ACK, as the original (CCP_ACK_TIMEOUT): three missed beats, well above a busy worker's
 * worst answer time (tens of ms) yet short enough that an agent learns quickly that the CCP lost its engine. */
export const ACK_TIMEOUT_MS = 3000;
/** A tick later than this multiple of the interval means our own timers were throttled or frozen. */
export const THROTTLE_GAP_FACTOR = 2;

export interface KeepaliveOptions {
  intervalMs?: number;
  timeoutMs?: number;
  /** Sends `synchronize {seq}` (errors are ignored: a lost SYN is a missing ACK). */
  send(seq: number): void;
  onTimeout(): void;
  onRestored(): void;
  now?: () => number;
}

export class Keepalive {
  private seq = 0;
  private lastAckAt: number;
  /** When the ACK window of the current check started (moved forward after a throttled tick). */
  private windowStart: number;
  private lastTick: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timedOut = false;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: KeepaliveOptions) {
    this.intervalMs = options.intervalMs ?? SYN_INTERVAL_MS;
    this.timeoutMs = options.timeoutMs ?? ACK_TIMEOUT_MS;
    this.now = options.now ?? (() => Date.now());
    const t = this.now();
    this.lastAckAt = t;
    this.windowStart = t;
    this.lastTick = t;
  }

  /** True while no ACK has arrived within the timeout. */
  get isTimedOut(): boolean {
    return this.timedOut;
  }

  start(): void {
    if (this.timer) return;
    const t = this.now();
    this.lastTick = t;
    this.windowStart = t;
    this.beat();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Feed every `acknowledge` the engine sends to this tab. */
  acknowledged(seq: number): void {
    if (seq > this.seq || seq < 1) return; // not one of ours
    this.lastAckAt = this.now();
    if (this.timedOut) {
      this.timedOut = false;
      this.options.onRestored();
    }
  }

  private beat(): void {
    const t = this.now();
    const gap = t - this.lastTick;
    this.lastTick = t;
    if (gap > this.intervalMs * THROTTLE_GAP_FACTOR) {
      // Our own timers were late: whatever we missed is not the engine's fault. Start a fresh window.
      this.windowStart = t;
    } else if (!this.timedOut && t - Math.max(this.lastAckAt, this.windowStart) > this.timeoutMs) {
      this.timedOut = true;
      this.options.onTimeout();
    }
    this.seq += 1;
    try {
      this.options.send(this.seq);
    } catch {
      // a send that throws is a missing ACK, handled by the window above
    }
    this.timer = setTimeout(() => this.beat(), this.intervalMs);
  }
}
