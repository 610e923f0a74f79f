/**
 * A follower's watch on the leader. Any message of the current leader is proof of life. After `silenceMs` without
 * one, the follower does not conclude anything yet: a leader in a background tab has its timers (and so its
 * heartbeats) throttled to once a second, or once a minute after five minutes hidden, while its message handlers still
 * run promptly. So it pings, and only a ping left unanswered for `probeTimeoutMs` makes the leader a suspect (frozen,
 * suspended or wedged). Our own timers can be late too (a hidden or frozen follower): a check that runs far later
 * than scheduled restarts the probe instead of concluding.
 */

/** Leader heartbeat period: four per two seconds keeps the silence threshold at three missed beats, costs one channel
 * message per half second per browser, and does not matter for a closed or crashed leader (the lock hands over at
 * once); it only bounds how quickly a frozen leader is noticed. */
export const HEARTBEAT_INTERVAL_MS = 500;
/** Three missed heartbeats. A GC pause or a long task delays one beat, not three; a background leader's timers run
 * about once a second, so it rarely crosses this and, when it does, answers the probe. */
export const LEADER_SILENCE_MS = 1500;
/** A live leader answers a ping from its message handler within milliseconds, even with throttled timers; 500 ms also
 * covers a long task on its main thread. Frozen-leader detection thus takes about 2 s. */
export const PROBE_TIMEOUT_MS = 500;
/** How often a follower looks at the silence: the resolution of the detection, at negligible cost. */
export const WATCH_CHECK_MS = 250;
/** A check running more than this many periods late means our own timers were throttled or frozen. */
export const LATE_CHECK_FACTOR = 4;

export interface LeaderWatchOptions {
  ping(nonce: number): void;
  /** The leader stayed silent and did not answer the probe. */
  suspect(): void;
  silenceMs?: number;
  probeTimeoutMs?: number;
  checkMs?: number;
  now?: () => number;
}

/**
 * @example
 * const watch = new LeaderWatch({ ping: (n) => channel.postMessage({ kind: 'ping', nonce: n }), suspect: () => trySteal() });
 * watch.start();
 * channel.onmessage = (e) => { if (fromLeader(e.data)) watch.seen(); };
 */
export class LeaderWatch {
  private lastSeen = 0;
  private lastCheck = 0;
  private probe: { nonce: number; deadline: number } | null = null;
  private nonce = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly silenceMs: number;
  private readonly probeTimeoutMs: number;
  private readonly checkMs: number;
  private readonly now: () => number;

  constructor(private readonly o: LeaderWatchOptions) {
    this.silenceMs = o.silenceMs ?? LEADER_SILENCE_MS;
    this.probeTimeoutMs = o.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
    this.checkMs = o.checkMs ?? WATCH_CHECK_MS;
    this.now = o.now ?? (() => Date.now());
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Starts watching, counting silence from now. */
  start(): void {
    if (this.timer) return;
    this.seen();
    this.lastCheck = this.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.probe = null;
  }

  /** A message from the current leader arrived. */
  seen(): void {
    this.lastSeen = this.now();
    this.probe = null;
  }

  /** A pong arrived; only the answer to the probe in flight counts. */
  pong(nonce: number): void {
    if (this.probe && nonce === this.probe.nonce) this.seen();
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.check(), this.checkMs);
  }

  private check(): void {
    const t = this.now();
    const late = t - this.lastCheck > this.checkMs * LATE_CHECK_FACTOR;
    this.lastCheck = t;
    if (late && this.probe) this.sendProbe(t); // our own timers slept: the old deadline proves nothing
    else if (this.probe && t >= this.probe.deadline) {
      this.probe = null;
      this.lastSeen = t; // one suspicion per silence: the next needs a whole new silence
      this.o.suspect();
    } else if (!this.probe && t - this.lastSeen > this.silenceMs) this.sendProbe(t);
    if (this.timer) this.schedule();
  }

  private sendProbe(t: number): void {
    this.probe = { nonce: ++this.nonce, deadline: t + this.probeTimeoutMs };
    this.o.ping(this.probe.nonce);
  }
}
