/**
 * The engine's two backend loops: the agent-snapshot long poll and the configuration rounds. One instance, at most one
 * of each loop at a time (a generation number retires a stopped loop at its next await), typed failure handling:
 * - transient failures back off exponentially with full jitter (a `Retry-After` is a floor under the draw), reset after a success;
 * - `UnauthorizedException` from either loop pauses both (status `paused-auth`) until `start()` is called again;
 * - `AccessDeniedException` reports and retries slowly (status `access-denied`).
 */
import type { AgentConfiguration, AgentSnapshot } from '../shared/cti';
import { LogLevel } from '../shared/enums';
import { ErrorType, type EngineInfo } from '../shared/protocol';
import type { SkewSample } from '../shared/skew';
import { validateAgentSnapshot } from '../shared/validate-snapshot';
import { Backoff } from './backoff';
import { loadConfiguration } from './config-loader';
import type { CtiClient } from './cti-client';
import { asCtiError, CtiError, isAccessDenied, isUnauthorized } from './cti-error';
import type { EngineTimings } from './timings';

export type PollingStatus = EngineInfo['polling'];

export interface PollerHooks {
  onSnapshot(snapshot: AgentSnapshot, sample: SkewSample): void;
  onConfiguration(configuration: AgentConfiguration): void;
  /** Any successful answer: ends auth and access-denied episodes. */
  onBackendSuccess(): void;
  /** Called after the poller paused itself. */
  onUnauthorized(error: CtiError): void;
  onAccessDenied(error: CtiError): void;
  log(level: LogLevel, text: string): void;
}

export interface PollerOptions {
  cti: CtiClient;
  now: () => number;
  random: () => number;
  timings: EngineTimings;
  hooks: PollerHooks;
}

/**
 * @example
 * const poller = new Poller({ cti, now: Date.now, random: Math.random, timings, hooks });
 * poller.start();              // both loops run
 * poller.reloadConfiguration(); // one extra round now
 * poller.pauseForAuth();        // …until start() again with a fresh token
 */
export class Poller {
  private state: PollingStatus = 'stopped';
  private active = false;
  private generation = 0;
  private nextToken: string | null = null;
  private readonly controllers = new Set<AbortController>();
  private readonly cancels = new Set<() => void>();
  private wakeConfig: (() => void) | undefined;
  private configRequested = false;
  private pollStarts: number[] = [];
  private readonly snapshotBackoff: Backoff;
  private readonly configBackoff: Backoff;

  constructor(private readonly o: PollerOptions) {
    const t = o.timings;
    this.snapshotBackoff = new Backoff(t.backoffBaseMs, t.backoffCapMs, o.random, t.maxRetryAfterMs, t.minRetryAfterMs);
    this.configBackoff = new Backoff(t.backoffBaseMs, t.backoffCapMs, o.random, t.maxRetryAfterMs, t.minRetryAfterMs);
  }

  get status(): PollingStatus {
    return this.state;
  }

  get running(): boolean {
    return this.active;
  }

  /** Starts (or resumes) both loops; a no-op while they run. The first poll asks without a token, so it is answered
   * at once: that confirms persisted state and a new session quickly, and gives a quick skew sample. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.state = 'running';
    this.nextToken = null;
    this.snapshotBackoff.reset();
    this.configBackoff.reset();
    const gen = ++this.generation;
    void this.snapshotLoop(gen);
    void this.configLoop(gen);
  }

  stop(): void {
    this.halt('stopped');
  }

  /** Stops both loops until `start()`; in-flight calls are aborted. */
  pauseForAuth(): void {
    this.halt('paused-auth');
  }

  /** One configuration round now (coalesced with a round already running: it runs once more after it). */
  reloadConfiguration(): void {
    if (!this.active) return;
    this.configRequested = true;
    this.wakeConfig?.();
  }

  /** `GetAgentSnapshot` calls started within the last `pollRateWindowMs`. */
  pollsInWindow(): number {
    this.prunePolls(this.o.now());
    return this.pollStarts.length;
  }

  get token(): string | null {
    return this.nextToken;
  }

  private halt(status: PollingStatus): void {
    this.active = false;
    this.generation++;
    this.state = status;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    this.wakeConfig = undefined;
  }

  private current(gen: number): boolean {
    return this.active && gen === this.generation;
  }

  private async snapshotLoop(gen: number): Promise<void> {
    const t = this.o.timings;
    while (this.current(gen)) {
      const asked = this.nextToken;
      const sentAt = this.o.now();
      this.recordPoll(sentAt);
      let snapshot: AgentSnapshot;
      try {
        const out = await this.withAbort((signal) => this.o.cti.call('GetAgentSnapshot', { nextToken: asked, timeout: t.longPollTimeoutMs },
          { signal, timeoutMs: t.longPollTimeoutMs + t.longPollMarginMs, retries: 0 }));
        const checked = validateAgentSnapshot(out?.snapshot);
        if (!checked.ok) throw new CtiError(ErrorType.NETWORK, `GetAgentSnapshot: ${checked.error.message}`, 200);
        snapshot = checked.value;
        this.nextToken = typeof out.nextToken === 'string' ? out.nextToken : null;
      } catch (e) {
        if (!this.current(gen)) return;
        const wait = this.afterFailure(asCtiError(e), this.snapshotBackoff, 'GetAgentSnapshot', true);
        if (wait === null) return;
        await this.sleep(wait);
        continue;
      }
      if (!this.current(gen)) return;
      const receivedAt = this.o.now();
      this.snapshotBackoff.reset();
      this.state = 'running';
      this.safely(() => this.o.hooks.onBackendSuccess());
      this.safely(() => this.o.hooks.onSnapshot(snapshot, { sentAt, receivedAt, serverTime: snapshot.snapshotTimestamp * 1000 }));
      // No fixed pause before the next poll: the server holds it until something changes (or `timeout`), so the long
      // poll paces itself; a fixed gap (the original waited 100 ms) would only delay a change that follows another.
      // Two exceptions: after a change, a few ms for the tabs to take it before the re-poll competes with them for
      // the CPU (`repollAfterChangeMs`); and a server that does not hold polls (same token, answered at once).
      // (`repollDelayMs` is 0 by default; the benchmark's model of the original design sets its 100 ms.)
      const took = receivedAt - sentAt;
      const unchanged = asked !== null && this.nextToken === asked;
      const unheld = unchanged && took < t.unheldPollMinGapMs ? t.unheldPollMinGapMs - took : 0;
      const gap = Math.max(unheld, t.repollDelayMs, unchanged ? 0 : t.repollAfterChangeMs);
      if (gap > 0) await this.sleep(gap);
    }
  }

  private async configLoop(gen: number): Promise<void> {
    const t = this.o.timings;
    while (this.current(gen)) {
      this.configRequested = false;
      let wait: number;
      try {
        const configuration = await this.withAbort((signal) => loadConfiguration(this.o.cti,
          { pageSize: t.configPageSize, timeoutMs: t.configCallDeadlineMs, signal }));
        if (!this.current(gen)) return;
        this.configBackoff.reset();
        this.safely(() => this.o.hooks.onBackendSuccess());
        this.safely(() => this.o.hooks.onConfiguration(configuration));
        wait = t.configIntervalMs;
      } catch (e) {
        if (!this.current(gen)) return;
        const w = this.afterFailure(asCtiError(e), this.configBackoff, 'configuration round', false);
        if (w === null) return;
        wait = w;
      }
      if (this.configRequested || !this.current(gen)) continue;
      await this.sleep(wait, true);
    }
  }

  /** The wait before the next try, or null when the loops paused. */
  private afterFailure(err: CtiError, backoff: Backoff, what: string, ownsStatus: boolean): number | null {
    if (isUnauthorized(err)) {
      this.o.hooks.log(LogLevel.WARN, `${what}: ${err.type}; polling paused until a fresh session`);
      this.pauseForAuth();
      this.safely(() => this.o.hooks.onUnauthorized(err));
      return null;
    }
    if (isAccessDenied(err)) {
      if (ownsStatus) this.state = 'access-denied';
      this.o.hooks.log(LogLevel.WARN, `${what}: ${err.type}; retrying in ${this.o.timings.accessDeniedRetryMs} ms`);
      this.safely(() => this.o.hooks.onAccessDenied(err));
      return this.o.timings.accessDeniedRetryMs;
    }
    const wait = backoff.next(err);
    if (ownsStatus) this.state = 'backoff';
    this.o.hooks.log(LogLevel.WARN, `${what} failed (${err.type}: ${err.message}); retry ${backoff.attempts} in ${wait} ms`);
    return wait;
  }

  private async withAbort<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      return await fn(controller.signal);
    } finally {
      this.controllers.delete(controller);
    }
  }

  /** Resolves after `ms`, or at once when the loops halt (or, for the config wait, when a round is requested). */
  private sleep(ms: number, wakeable = false): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.cancels.delete(finish);
        if (this.wakeConfig === finish) this.wakeConfig = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.cancels.add(finish);
      if (wakeable) this.wakeConfig = finish;
    });
  }

  private recordPoll(at: number): void {
    this.pollStarts.push(at);
    this.prunePolls(at);
  }

  private prunePolls(now: number): void {
    const from = now - this.o.timings.pollRateWindowMs;
    while (this.pollStarts.length && this.pollStarts[0]! <= from) this.pollStarts.shift();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.o.hooks.log(LogLevel.ERROR, `engine hook failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
}
