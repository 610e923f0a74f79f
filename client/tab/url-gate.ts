/**
 * A `url-policy.ts` check applied to options as they are read, warning once per refused value. Its own module: only
 * the ringtone chunk uses it, so it stays out of the library bundle.
 */
import type { Logger } from '../api/log';
import { allowedOrigins, checkUrl, type TrustedOrigins, type UrlUse } from './url-policy';

/**
 * Checks URLs as options are read (often: the ringtone reads its options at every state change) and warns once per
 * refused value, through the log.
 *
 * @example
 * const gate = new UrlGate(location.origin, () => trustedOrigins, log);
 * const loginUrl = gate.pass(UrlUse.LOGIN, options.loginUrl); // undefined when refused: use the default
 */
export class UrlGate {
  private readonly warned = new Set<string>();

  constructor(
    private readonly ownOrigin: string,
    private readonly trusted: () => TrustedOrigins,
    private readonly log: Logger,
  ) {}

  /** `raw` resolved, or undefined when absent or refused. */
  pass(use: UrlUse, raw: unknown): string | undefined {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const r = checkUrl(raw, this.ownOrigin, allowedOrigins(use, this.trusted()));
    if (r.ok) return r.url;
    const key = `${use}\u0000${String(raw)}`;
    if (!this.warned.has(key)) {
      if (this.warned.size < MAX_WARNED) this.warned.add(key);
      this.log.warn('%s refused (%s); using the default instead', use, r.error.message).withObject(r.error);
    }
    return undefined;
  }
}

/** Distinct refused values remembered so as to warn once each; beyond that, each refusal warns again (bounded memory). */
const MAX_WARNED = 100;
