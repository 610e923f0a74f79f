/**
 * The API of the chunk `connect-ringtone.js` (`ringtone-session.ts`), as its loader (`loadRingtone` in
 * `on-demand.ts`, `startRingtoneOnDemand` in `ringtone-loader.ts`) sees it. Types only, apart from the chunk and the
 * loader, so that naming the chunk's API imports neither.
 */
import type { RingtoneDeps } from './ringtone';
import type { RingtoneUrlTrust } from './ringtone-gate';

/** What the ringtone needs from the page; the chunk brings its own `<audio>` player. With `urls`, the chunk drops
 * every `ringtoneUrl` the CCP does not trust (see `ringtone-gate.ts`). */
export type RingtoneStartOptions = Omit<RingtoneDeps, 'player'> & { urls?: RingtoneUrlTrust };

/** A started ringtone. */
export interface RingtoneHandle {
  stop(): void;
}

export interface RingtoneApi {
  /** Starts the ringtone of this page (it rings while a contact rings and this tab is the ringtone master). */
  startRingtone(o: RingtoneStartOptions): RingtoneHandle;
}
