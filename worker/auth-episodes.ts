/**
 * The engine's auth and access episodes: what it does when the backend answers 401 (unauthorized) or 403 (access
 * denied), and how an episode ends. A first 401 pauses polling and asks the auth provider silently; a second 401, or
 * a failed attempt, announces `auth_fail` to every tab once and retries the provider until a session arrives. A 403
 * announces `access_denied` once. Any backend success ends both episodes; tabs that connect during one are told.
 */
import { EventType, LogLevel } from '../shared/enums';
import type { AuthSession } from './auth-session';
import { eventJson } from './down-messages';
import type { Hub } from './hub';
import type { Poller } from './poller';

/** `silent`: the provider is being asked after a first 401; `announced`: tabs were told `auth_fail`. */
export type AuthEpisode = 'none' | 'silent' | 'announced';

/** Where the engine is in its life; the episodes act only on a running engine that was not logged out. */
export interface EnginePhase {
  /** Between `start()` and `stop()`. */
  running: boolean;
  /** Persisted state restored: tabs may be served and polling may start. */
  ready: boolean;
  /** A tab logged out (`terminate`): polling stays stopped until a new session. */
  terminated: boolean;
}

export interface AuthEpisodesDeps {
  auth: Pick<AuthSession, 'refresh' | 'refreshing' | 'startRecovery' | 'stopRecovery'>;
  poller: Pick<Poller, 'start' | 'pauseForAuth' | 'running'>;
  hub: Pick<Hub, 'send' | 'sendAll'>;
  phase(): EnginePhase;
  log(level: LogLevel, text: string): void;
  noteEvent(event: string): void;
}

/**
 * @example
 * const episodes = new AuthEpisodes({ auth, poller, hub, phase: () => engine.phase, log, noteEvent });
 * poller hooks: onUnauthorized: () => episodes.onUnauthorized(), onBackendSuccess: () => episodes.onBackendSuccess()
 */
export class AuthEpisodes {
  private auth: AuthEpisode = 'none';
  private access = false;

  constructor(private readonly d: AuthEpisodesDeps) {}

  /** The current auth episode. */
  get authEpisode(): AuthEpisode {
    return this.auth;
  }

  /** First 401 of an episode: pause and try the provider silently; a second one (or a failed attempt) tells tabs. */
  onUnauthorized(): void {
    const { running, terminated } = this.d.phase();
    if (!running || terminated) return;
    this.d.poller.pauseForAuth();
    if (this.auth === 'announced') return;
    if (this.auth === 'silent') {
      if (!this.d.auth.refreshing) this.announceAuthFailure();
      return;
    }
    this.auth = 'silent';
    void this.d.auth.refresh('unauthorized').then((outcome) => {
      if (outcome !== 'ok' && this.auth === 'silent') this.announceAuthFailure();
    });
  }

  /** Tells every tab `auth_fail` and retries the provider until a session arrives (from it or from a tab). */
  announceAuthFailure(): void {
    this.auth = 'announced';
    this.d.poller.pauseForAuth();
    this.d.log(LogLevel.WARN, 'auth failed: tabs told (auth_fail); waiting for a fresh session');
    this.d.noteEvent(EventType.AUTH_FAIL);
    this.d.hub.sendAll(eventJson(EventType.AUTH_FAIL), 'control');
    this.d.auth.startRecovery();
  }

  /** 403: every tab hears `access_denied` once per episode. */
  onAccessDenied(): void {
    if (this.access) return;
    this.access = true;
    this.d.noteEvent(EventType.ACCESS_DENIED);
    this.d.hub.sendAll(eventJson(EventType.ACCESS_DENIED), 'control');
  }

  /** Any backend success ends both episodes (and resumes polling paused for auth). */
  onBackendSuccess(): void {
    if (this.auth !== 'none') {
      this.d.log(LogLevel.INFO, 'auth recovered');
      this.auth = 'none';
      this.d.auth.stopRecovery();
      const { ready, running, terminated } = this.d.phase();
      if (ready && running && !terminated && !this.d.poller.running) this.d.poller.start();
    }
    this.access = false;
  }

  /** A tab joining during an announced episode hears it too. */
  replayTo(tabId: string): void {
    if (this.auth === 'announced') this.d.hub.send(tabId, eventJson(EventType.AUTH_FAIL));
    if (this.access) this.d.hub.send(tabId, eventJson(EventType.ACCESS_DENIED));
  }

  /** A tab connected while the engine has no usable session: ask the provider now (the agent may have logged in). */
  async tryProviderFor(tabId: string): Promise<void> {
    const outcome = await this.d.auth.refresh('tab connected');
    if (outcome === 'unauthorized' && this.d.phase().terminated) this.d.hub.send(tabId, eventJson(EventType.AUTH_FAIL));
  }

  /** Logout: the session is gone on purpose, so no episode is left open. */
  reset(): void {
    this.auth = 'none';
    this.access = false;
  }
}
