/**
 * The engine's token: adopted from a tab (`session`) or fetched from the auth provider, handed to the CTI client,
 * refreshed ahead of its expiry, and — while polling is paused on auth — re-fetched periodically so that a login in
 * another window is picked up without any tab's help.
 */
import { LogLevel } from '../shared/enums';
import type { AuthProvider, AuthToken } from './auth-provider';
import type { CtiClient } from './cti-client';
import { asCtiError, isUnauthorized } from './cti-error';
import type { EngineTimings } from './timings';

export type RefreshOutcome = 'ok' | 'unauthorized' | 'failed';
export type TokenSource = 'provider' | 'tab';

/** setTimeout fires at once for delays above 2^31 − 1 ms (~24.8 days); longer waits are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AuthSessionOptions {
  provider: AuthProvider;
  cti: CtiClient;
  now: () => number;
  timings: Pick<EngineTimings, 'tokenRefreshLeadMs' | 'authRetryWhilePausedMs' | 'authFetchDeadlineMs'>;
  log: (level: LogLevel, text: string) => void;
  /** A new token is in use. */
  onToken: (source: TokenSource) => void;
}

/**
 * @example
 * const auth = new AuthSession({ provider, cti, now, timings, log, onToken: () => poller.start() });
 * await auth.refresh('start');                 // 'ok' | 'unauthorized' | 'failed'
 * auth.adopt({ accessToken, expiration }, 'tab');
 */
export class AuthSession {
  private token: string | undefined;
  private expiration: number | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<RefreshOutcome> | undefined;

  constructor(private readonly o: AuthSessionOptions) {}

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  get refreshing(): boolean {
    return this.inFlight !== undefined;
  }

  get recovering(): boolean {
    return this.recoveryTimer !== undefined;
  }

  adopt(token: AuthToken, source: TokenSource): void {
    this.token = token.accessToken;
    this.expiration = token.expiration;
    this.o.cti.setAuthToken(token.accessToken);
    this.scheduleRefresh();
    this.o.log(LogLevel.INFO, `session from ${source}${token.expiration ? `, expires ${new Date(token.expiration).toISOString()}` : ''}`);
    this.o.onToken(source);
  }

  /** Asks the provider once (joins an attempt already running). */
  refresh(reason: string): Promise<RefreshOutcome> {
    this.inFlight ??= this.fetchAndAdopt(reason).finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  /** Tries the provider every `authRetryWhilePausedMs` until it yields a token (or `stopRecovery`). */
  startRecovery(): void {
    if (this.recoveryTimer) return;
    this.recoveryTimer = setTimeout(() => {
      void this.refresh('paused on auth').then((outcome) => {
        this.recoveryTimer = undefined;
        if (outcome !== 'ok') this.startRecovery();
      });
    }, this.o.timings.authRetryWhilePausedMs);
  }

  stopRecovery(): void {
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
  }

  /** Forgets the token (logout). */
  clear(): void {
    this.stop();
    this.token = undefined;
    this.expiration = undefined;
    this.o.cti.setAuthToken(undefined);
  }

  stop(): void {
    this.stopRecovery();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private async fetchAndAdopt(reason: string): Promise<RefreshOutcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.timings.authFetchDeadlineMs);
    try {
      const token = await this.o.provider.fetchToken(controller.signal);
      this.adopt(token, 'provider');
      return 'ok';
    } catch (e) {
      const err = asCtiError(e);
      this.o.log(LogLevel.INFO, `auth provider (${reason}): ${err.type}: ${err.message}`);
      return isUnauthorized(err) ? 'unauthorized' : 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.expiration === undefined) return;
    const due = Math.min(MAX_TIMER_MS, Math.max(0, this.expiration - this.o.timings.tokenRefreshLeadMs - this.o.now()));
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh('token expiring').then((outcome) => {
        // A failed attempt is retried while the token still lives; after that the 401 path takes over.
        if (outcome === 'failed' && !this.refreshTimer && this.expiration !== undefined && this.o.now() < this.expiration) {
          this.refreshTimer = setTimeout(() => this.scheduleRefresh(), this.o.timings.authRetryWhilePausedMs);
        }
      });
    }, due);
  }
}
