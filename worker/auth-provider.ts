/**
 * Where the engine gets a token without a tab: the CCP origin's `/auth/authorize` (cookies), as the original worker
 * refreshed its token. A 401/403 means "no session" (`UnauthorizedException`): the agent must log in.
 *
 * The engine holds access tokens only. The session — the refresh credential — stays in the HttpOnly cookie, which
 * this request carries to the CCP's own origin only (`credentials: 'same-origin'`); the backend answers
 * `/auth/authorize` to its own origin only and never with a refresh token.
 */
import { ErrorType } from '../shared/protocol';
import { CtiError } from './cti-error';

export interface AuthToken {
  accessToken: string;
  /** Epoch ms, when known. */
  expiration?: number;
}

export interface AuthProvider {
  /** A fresh token, or a `CtiError` (`UnauthorizedException` when there is no session). */
  fetchToken(signal?: AbortSignal): Promise<AuthToken>;
}

/** Accepts epoch seconds, epoch ms or a date string; undefined when unusable. */
export function expirationMs(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x) && x > 0) return x < 1e12 ? x * 1000 : x;
  if (typeof x === 'string' && x.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(x.trim())) return expirationMs(Number(x));
    const t = Date.parse(x);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * @example
 * const auth = new FetchAuthProvider({ url: new URL('/auth/authorize', self.location.origin) });
 * const { accessToken, expiration } = await auth.fetchToken();
 */
export class FetchAuthProvider implements AuthProvider {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: { url: string | URL; fetch?: typeof fetch }) {
    this.fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  }

  async fetchToken(signal?: AbortSignal): Promise<AuthToken> {
    let res: Response;
    let body: unknown;
    try {
      res = await this.fetchFn(String(this.o.url), { credentials: 'same-origin', signal, headers: { Accept: 'application/json' } });
      body = res.ok ? await res.json() : undefined;
    } catch (e) {
      throw new CtiError(ErrorType.NETWORK, `authorize: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    if (res.status === 401 || res.status === 403) throw new CtiError(ErrorType.UNAUTHORIZED, 'authorize: no session', res.status);
    if (!res.ok) throw new CtiError(ErrorType.NETWORK, `authorize: HTTP ${res.status}`, res.status);
    const o = (body ?? {}) as Record<string, unknown>;
    if (typeof o.accessToken !== 'string' || o.accessToken === '') {
      throw new CtiError(ErrorType.NETWORK, 'authorize: the answer has no accessToken', res.status);
    }
    return { accessToken: o.accessToken, expiration: expirationMs(o.expiration) };
  }
}

/** Hands out `session` once (while it has not expired), then asks `inner`: a new leader without cookies resumes
 * with the session its predecessor used; a token that then fails is not offered again.
 *
 * @example
 * const auth = seededAuth(new FetchAuthProvider({ url }), previousLeaderSession, () => Date.now());
 */
export function seededAuth(inner: AuthProvider, session: AuthToken | null, now: () => number): AuthProvider {
  let seed = session;
  return {
    fetchToken(signal) {
      const s = seed;
      seed = null;
      if (s && (s.expiration === undefined || s.expiration > now())) return Promise.resolve(s);
      return inner.fetchToken(signal);
    },
  };
}
