/**
 * Clock skew (server clock minus local clock, ms) estimated from `GetAgentSnapshot` answers. Pure: the caller stamps
 * the local send and receive times and passes the server's `snapshotTimestamp` (converted to ms).
 *
 * The method, and why:
 * - For a call sent at `s` and answered at `r` (local clock) whose server stamp is `t`, causality alone bounds the
 *   skew: the server stamped between the request's arrival and the answer's departure, so
 *   `t − r ≤ skew ≤ t − s`. Assuming symmetric network legs, the best single estimate is the midpoint
 *   `t − (s + r)/2` (NTP's), whose error is at most `(r − s)/2`.
 * - A *long poll* that the server held (waiting for a change) has a round trip of up to the hold time, so its midpoint
 *   would be off by up to half of it (15 s for a 30 s hold). Only answers that came back quickly (round trip ≤
 *   `maxRttMs`) are used as estimates: the first poll of an engine (no `nextToken`: answered at once), polls re-issued
 *   after a change had already happened, polls after an error. Held answers are not averaged in.
 * - Of the quick samples in a sliding window the one with the smallest round trip wins (it has the tightest error
 *   bound; averaging would mix in the queueing noise of slower samples).
 * - Held answers still give a *hard* bound. If a new answer's bounds exclude the current estimate by more than
 *   `stepToleranceMs`, the local clock must have stepped (sleep, manual change, NTP step): the window is dropped and
 *   the new answer starts a fresh one. A held answer then seeds it with `t − r` plus half the best round trip seen
 *   before (the answer's one-way trip back), clamped into its bounds, until a quick sample replaces it.
 */
import { MAX_PLAUSIBLE_SKEW_MS } from './protocol';

export interface SkewSample {
  /** Local time the request was sent, ms. */
  sentAt: number;
  /** Local time the answer arrived, ms. */
  receivedAt: number;
  /** The server's clock when it built the answer (`snapshotTimestamp * 1000`), ms. */
  serverTime: number;
}

export interface SkewEstimate {
  /** Server minus local, ms (positive: the server is ahead). */
  skew: number;
  /** Round trip of the sample in use, ms: the estimate's error is at most half of it. */
  rtt: number;
}

export interface SkewOptions {
  /** How many quick samples the window keeps. */
  windowSize: number;
  /** Samples older than this leave the window (the newest one always stays, so the estimate never vanishes). */
  windowMs: number;
  /** A sample with a longer round trip is not used as an estimate (it was held by the server). */
  maxRttMs: number;
  /** How far outside a sample's causal bounds the estimate may lie before it is declared stale (clock step). */
  stepToleranceMs: number;
  /** A sample whose bounds allow only a larger skew than this (either way) is discarded (`MAX_PLAUSIBLE_SKEW_MS`). */
  maxSkewMs: number;
}

/** Largest skew believed (see `protocol.ts`, where it lives so that a tab checking a state's skew does not load this
 * model). */
export { MAX_PLAUSIBLE_SKEW_MS };

/**
 * - 8 samples / 5 min: quick samples are rare in steady state (most polls are held), so a count-only window could
 *   keep a sample for hours; 5 min bounds how long a drifting local clock (tens of ppm: a few ms per 5 min) can
 *   leave the estimate behind, while 8 samples is enough for the min-round-trip filter to reject a queueing spike.
 * - 2 s: a LAN/WAN round trip is tens of ms; anything above 2 s was a held long poll or a stalled network, and its
 *   midpoint error (up to 1 s) is larger than the durations it would correct.
 * - 1000 ms: wire timestamps are epoch seconds and the contract allows whole seconds, whose truncation alone moves
 *   a stamp by up to 1 s; a smaller step is invisible in the second-granularity durations agents see.
 */
export const DEFAULT_SKEW_OPTIONS: SkewOptions = {
  windowSize: 8,
  windowMs: 5 * 60_000,
  maxRttMs: 2_000,
  stepToleranceMs: 1_000,
  maxSkewMs: MAX_PLAUSIBLE_SKEW_MS,
};

interface WindowEntry {
  skew: number;
  rtt: number;
  at: number;
}

/**
 * Keeps the skew estimate of one engine.
 *
 * @example
 * const est = new SkewEstimator();
 * est.add({ sentAt: 1_000, receivedAt: 1_040, serverTime: 6_020 }); // → { skew: 5000, rtt: 40 }
 */
export class SkewEstimator {
  private window: WindowEntry[] = [];
  private bestRttSeen: number | null = null;
  private readonly opts: SkewOptions;

  constructor(opts: Partial<SkewOptions> = {}) {
    this.opts = { ...DEFAULT_SKEW_OPTIONS, ...opts };
  }

  /** Adds one answer; returns the estimate in use afterwards (null while there is none). */
  add(sample: SkewSample): SkewEstimate | null {
    const rtt = sample.receivedAt - sample.sentAt;
    if (!Number.isFinite(rtt) || rtt < 0 || !Number.isFinite(sample.serverTime) || sample.serverTime <= 0) return this.current();
    const lower = sample.serverTime - sample.receivedAt;
    const upper = sample.serverTime - sample.sentAt;
    // Every skew this sample allows is absurd (a broken clock, a bogus stamp): it must neither be used nor, by
    // contradicting the estimate, clear the window of good samples.
    if (lower > this.opts.maxSkewMs || upper < -this.opts.maxSkewMs) return this.current();
    const quick = rtt <= this.opts.maxRttMs;
    if (this.contradicts(lower, upper)) {
      const halfTrip = (this.bestRttSeen ?? 0) / 2;
      this.window = [];
      if (!quick) this.window.push({ skew: clamp(lower + halfTrip, lower, upper), rtt, at: sample.receivedAt });
    }
    if (quick) {
      this.window.push({ skew: sample.serverTime - (sample.sentAt + rtt / 2), rtt, at: sample.receivedAt });
      this.bestRttSeen = Math.min(this.bestRttSeen ?? rtt, rtt);
    }
    this.trim(sample.receivedAt);
    return this.current();
  }

  /** The sample with the smallest round trip in the window, or null before any usable sample. */
  current(): SkewEstimate | null {
    let best: WindowEntry | null = null;
    for (const e of this.window) if (!best || e.rtt < best.rtt) best = e;
    return best ? { skew: best.skew, rtt: best.rtt } : null;
  }

  private contradicts(lower: number, upper: number): boolean {
    const cur = this.current();
    if (!cur) return false;
    const tol = this.opts.stepToleranceMs;
    return cur.skew < lower - tol || cur.skew > upper + tol;
  }

  private trim(now: number): void {
    while (this.window.length > this.opts.windowSize) this.window.shift();
    const newest = this.window[this.window.length - 1];
    this.window = this.window.filter((e) => e === newest || now - e.at <= this.opts.windowMs);
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Below this change the published skew stays as it is, so a poll that only moves the estimate by a millisecond
 * publishes nothing. 2 ms: `Date.now()` has 1 ms steps and the worker's timers 0.1 ms, so a 1 ms wobble is noise;
 * durations are shown to the second; and every publish costs a delta to every tab.
 */
export const SKEW_HYSTERESIS_MS = 2;

/**
 * The skew to publish next: the estimate rounded to whole ms, or the published value when the change is below the
 * hysteresis.
 *
 * @example
 * publishableSkew(5000, 5001.4); // → 5000 (unchanged)
 * publishableSkew(5000, 5003.6); // → 5004
 */
export function publishableSkew(published: number, estimate: number | null | undefined,
  hysteresisMs: number = SKEW_HYSTERESIS_MS): number {
  if (estimate === null || estimate === undefined || !Number.isFinite(estimate)) return published;
  const rounded = Math.round(estimate);
  return Math.abs(rounded - published) < hysteresisMs ? published : rounded;
}
