/**
 * The check of ringtone URLs, in the ringtone chunk (`connect-ringtone.js`): only a CCP page rings, so only it needs
 * the check, and the library bundle stays within its budget. The rules are `url-policy.ts`'s.
 */
import type { RingtoneChannelOptions, RingtoneOptions } from './ringtone-rules';
import type { UrlGate } from '../tab/url-gate';
import { UrlUse, type TrustedOrigins } from '../tab/url-policy';

/** What the page tells the chunk to check ringtone URLs against. */
export interface RingtoneUrlTrust {
  /** The CCP origin (the page's own). */
  ownOrigin: string;
  /** The origins its server trusts, once read. */
  trusted: () => TrustedOrigins;
}

/**
 * `o` with each `ringtoneUrl` that is not http(s) on the CCP origin or an approved CRM origin dropped (the built-in
 * tone rings instead; the gate warns once per refused URL). The ringtone plays in a CCP page: a CRM's `data:` or
 * third-party URL is never loaded there.
 *
 * @example
 * const safe = gatedRingtoneOptions(ringtoneOptionsOf(init), new UrlGate(location.origin, getTrustedOrigins, log));
 */
export function gatedRingtoneOptions(o: RingtoneOptions, gate: UrlGate): RingtoneOptions {
  const channel = (c: RingtoneChannelOptions | undefined): RingtoneChannelOptions | undefined =>
    c && { ...c, ringtoneUrl: gate.pass(UrlUse.RINGTONE, c.ringtoneUrl) };
  return { softphone: channel(o.softphone), chat: channel(o.chat) };
}
