/**
 * The surface of `connect-ringtone.js` (the ringtone of a CCP page: `ringtone.ts`, its rules and built-in sound),
 * which `tab-features.ts` loads on demand for CCP pages only: the global it installs, what that global offers, and
 * the events the ringtone listens to (kept by the page while the bundle loads). Importing this does not pull the
 * ringtone into `connect-streams.js`.
 */
import { ConfigurationEvents, ContactEvents, EventType } from '../shared/enums';
import { ENGINE_EVENTS } from '../shared/protocol';
import type { RingtoneDeps } from './ringtone';

export const RINGTONE_GLOBAL = 'ConnectSyncRingtone';
export const RINGTONE_BUNDLE_FILE = 'connect-ringtone.js';

/** The bus events the ringtone acts on besides state changes (which it reads from the state when it starts). */
export const RINGTONE_HEARS = [
  ContactEvents.ACCEPTED, ENGINE_EVENTS.MASTER_CHANGED, EventType.TERMINATED, ConfigurationEvents.SET_RINGER_DEVICE,
] as const;

export type HeardName = typeof RINGTONE_HEARS[number];

/** One of those events, as raised on the bus. */
export interface HeardEvent {
  name: HeardName;
  data: unknown;
}

/** What the ringtone needs from the page; the bundle brings its own `<audio>` player. */
export type RingtoneStartOptions = Omit<RingtoneDeps, 'player'>;

/** A started ringtone. */
export interface RingtoneHandle {
  stop(): void;
}

export interface RingtoneApi {
  /** Starts the ringtone of this page (it rings while a contact rings and this tab is the ringtone master). */
  startRingtone(o: RingtoneStartOptions): RingtoneHandle;
}

export function isRingtoneApi(x: unknown): x is RingtoneApi {
  return typeof x === 'object' && x !== null && typeof (x as RingtoneApi).startRingtone === 'function';
}
