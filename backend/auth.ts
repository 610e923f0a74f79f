/**
 * Sessions and tokens. A login (form, popup or control API) opens a cookie session; `/auth/authorize` (same origin
 * only) turns the session into a short-lived access token (the CTI API's bearer). The session itself is the refresh
 * credential and stays behind the HttpOnly cookie: page script never sees a refresh token. Only the control API's
 * login (tools and tests) hands one out, for GetNewAuthToken. Every token dies with its session: at logout, at
 * `expire-session`, and when the session's lifetime ends (a refresh never extends it).
 */
import type { Clock } from './sim/clock';
import { newSecret } from './sim/ids';

export const SESSION_COOKIE = 'connect_sync_session';
/** Expired tokens are swept every this many grants, so the maps stay small without a timer. */
const SWEEP_EVERY_GRANTS = 500;

export interface TokenGrant {
  accessToken: string;
  /** Epoch milliseconds. */
  expiration: number;
  refreshToken: string;
}

interface TokenRecord {
  username: string;
  expiresAtMs: number;
  sessionId?: string;
}

interface SessionRecord {
  username: string;
  expiresAtMs: number;
}

export type TokenCheck = { ok: true; username: string } | { ok: false; reason: string };

export class AuthService {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private grants = 0;

  /** `sessionTtlMs`: a login session's lifetime (config `sessionTtlSeconds`); no token outlives its session. */
  constructor(private readonly tokenTtlMs: number, private readonly clock: Clock, readonly sessionTtlMs: number) {}

  /** Opens a cookie session for `username`; returns the session id (the cookie's value). */
  openSession(username: string): string {
    const id = newSecret();
    this.sessions.set(id, { username, expiresAtMs: this.clock.now() + this.sessionTtlMs });
    return id;
  }

  /** The session's agent, or undefined when the id is unknown, ended or expired. */
  sessionUser(sessionId: string | undefined): string | undefined {
    if (sessionId === undefined) return undefined;
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    if (session.expiresAtMs <= this.clock.now()) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return session.username;
  }

  endSession(sessionId: string): void {
    this.sessions.delete(sessionId);
    for (const [token, record] of this.tokens) if (record.sessionId === sessionId) this.tokens.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.sessionId === sessionId) this.refreshTokens.delete(token);
  }

  /**
   * A new access token (and refresh token) for `username`, tied to `sessionId` when it came from one: neither lives
   * past the session. A grant without a session (tests, tools) has a refresh token that buys nothing.
   */
  grant(username: string, sessionId?: string): TokenGrant {
    if (++this.grants % SWEEP_EVERY_GRANTS === 0) this.sweep();
    const now = this.clock.now();
    const sessionEnd = sessionId !== undefined ? this.sessions.get(sessionId)?.expiresAtMs ?? now : Infinity;
    const accessToken = newSecret();
    const refreshToken = newSecret();
    const expiration = Math.min(now + this.tokenTtlMs, sessionEnd);
    this.tokens.set(accessToken, { username, expiresAtMs: expiration, ...(sessionId ? { sessionId } : {}) });
    this.refreshTokens.set(refreshToken, { username, expiresAtMs: Math.min(now + this.sessionTtlMs, sessionEnd),
      ...(sessionId ? { sessionId } : {}) });
    return { accessToken, expiration, refreshToken };
  }

  check(token: string | undefined): TokenCheck {
    if (token === undefined || token === '') return { ok: false, reason: 'missing auth token' };
    const record = this.tokens.get(token);
    if (!record) return { ok: false, reason: 'unknown or revoked auth token' };
    if (record.expiresAtMs <= this.clock.now()) {
      this.tokens.delete(token);
      return { ok: false, reason: 'auth token expired' };
    }
    if (record.sessionId !== undefined && this.sessionUser(record.sessionId) === undefined) {
      this.tokens.delete(token);
      return { ok: false, reason: 'the login session of this auth token ended' };
    }
    return { ok: true, username: record.username };
  }

  /**
   * GetNewAuthToken: a refresh token of `username` buys a new grant (the old refresh token is spent) while its login
   * session lives; the new grant ends with that session too.
   */
  refresh(refreshToken: string, username: string): TokenGrant | undefined {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.username !== username || record.expiresAtMs <= this.clock.now()) return undefined;
    this.refreshTokens.delete(refreshToken);
    if (record.sessionId === undefined || this.sessionUser(record.sessionId) !== username) return undefined;
    return this.grant(username, record.sessionId);
  }

  /** Revokes every session, token and refresh token of `username`. */
  expireAgent(username: string): { sessions: number; tokens: number } {
    let sessions = 0;
    let tokens = 0;
    for (const [id, s] of this.sessions) if (s.username === username) { this.sessions.delete(id); sessions++; }
    for (const [t, r] of this.tokens) if (r.username === username) { this.tokens.delete(t); tokens++; }
    for (const [t, r] of this.refreshTokens) if (r.username === username) this.refreshTokens.delete(t);
    return { sessions, tokens };
  }

  /** Forgets everything (simulation reset). */
  clear(): void {
    this.sessions.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [t, r] of this.tokens) if (r.expiresAtMs <= now) this.tokens.delete(t);
    for (const [t, r] of this.refreshTokens) if (r.expiresAtMs <= now) this.refreshTokens.delete(t);
    for (const [id, s] of this.sessions) if (s.expiresAtMs <= now) this.sessions.delete(id);
  }
}

export interface CookieOptions {
  /** Behind TLS (an https `PUBLIC_ORIGIN`): the browser sends the cookie over https only. */
  secure: boolean;
  /** The session's lifetime, in seconds. */
  maxAgeSeconds: number;
}

/**
 * `Set-Cookie` value opening a session: HttpOnly (no page script reads it), SameSite=Lax (no cross-site subrequest
 * carries it), Secure behind TLS.
 */
export function sessionCookie(sessionId: string, o: CookieOptions): string {
  return `${SESSION_COOKIE}=${sessionId}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${Math.max(1, Math.round(o.maxAgeSeconds))}`
    + (o.secure ? '; Secure' : '');
}

/** `Set-Cookie` value removing the session cookie. */
export function clearedSessionCookie(o: Pick<CookieOptions, 'secure'>): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${o.secure ? '; Secure' : ''}`;
}
