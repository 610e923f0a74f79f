/**
 * Which URLs handed to the library may be opened (`window.open`), navigated to or loaded (`src`). A CRM on an approved
 * origin may act as a CRM, nothing more, yet its `initCCP` options reach the CCP frame, which runs on the CCP origin:
 * a `javascript:` login URL opened there would run with the CCP's origin and `opener.connect` in reach. So every such
 * URL is resolved against the CCP origin and kept only when it is http(s) and on an origin the CCP trusts for that
 * use: its own, or one its server lists (`GET /approved-origins`: `loginOrigins` for the login page, the approved CRM
 * origins for a ringtone). Anything else is dropped with a typed warning in the log, and the default is used.
 */
import { ErrorType, wireError, type WireError } from '../../shared/protocol';

/** The only schemes a URL from a page may have: no `javascript:`, `data:`, `blob:`, `file:`… */
export const SAFE_URL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);
/** Longer than any real login or sound URL; refusing more keeps a page from making us parse megabytes. */
export const MAX_URL_CHARS = 2048;

/** What a URL is for; names the option in warnings. */
export enum UrlUse {
  LOGIN = 'loginUrl',
  RINGTONE = 'ringtoneUrl',
}

/** The origins the CCP trusts, besides its own, as its server lists them. */
export interface TrustedOrigins {
  /** Origins a login page may be on (`LOGIN_ORIGINS` on the server). */
  login: readonly string[];
  /** The approved CRM origins (`APPROVED_ORIGINS`): a CRM may ring with a sound of its own origin. */
  approved: readonly string[];
}

export type UrlCheck = { ok: true; url: string } | { ok: false; error: WireError };

/**
 * `raw` resolved against `ownOrigin`, when it is http(s) and on `ownOrigin` or one of `allowed`; a typed error
 * otherwise.
 *
 * @example
 * checkUrl('/login?popup=1', 'https://ccp.example', []);          // { ok: true, url: 'https://ccp.example/login?popup=1' }
 * checkUrl('javascript:alert(1)', 'https://ccp.example', []).ok;   // false
 */
export function checkUrl(raw: unknown, ownOrigin: string, allowed: readonly string[]): UrlCheck {
  const refuse = (why: string): UrlCheck => ({ ok: false, error: wireError(ErrorType.VALIDATION, why) });
  if (typeof raw !== 'string' || raw.length === 0) return refuse('not a URL');
  if (raw.length > MAX_URL_CHARS) return refuse(`longer than ${MAX_URL_CHARS} characters`);
  let url: URL;
  try {
    url = new URL(raw, ownOrigin);
  } catch {
    return refuse('not a URL');
  }
  if (!SAFE_URL_PROTOCOLS.has(url.protocol)) return refuse(`scheme ${url.protocol} is not http(s)`);
  if (url.username || url.password) return refuse('credentials in a URL are not allowed');
  if (url.origin !== ownOrigin && !allowed.includes(url.origin)) return refuse(`origin ${url.origin} is not trusted for this use`);
  return { ok: true, url: url.href };
}

/** The origins a URL of `use` may be on, besides the CCP's own. */
export function allowedOrigins(use: UrlUse, trusted: TrustedOrigins): readonly string[] {
  return use === UrlUse.LOGIN ? trusted.login : trusted.approved;
}
