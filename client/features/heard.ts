/**
 * What the ringtone hears on the bus besides state changes, and how many such events a page keeps while the code
 * that acts on them loads (`connect-features.js`, then `connect-ringtone.js`). Its own small module: the library's
 * main bundle keeps them before the features chunk arrives, without carrying the ringtone's loader.
 */
import { ConfigurationEvents, ContactEvents, EventType } from '../../shared/enums';
import { ENGINE_EVENTS } from '../../shared/protocol';
import type { EventBus, Subscription } from '../api/event-bus';

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

/** Events kept while loading. A page hears a few (an accept, a device choice) in the moments the chunk takes; the
 * bound keeps a page that hears a flood from growing without end (the oldest go first: the latest matter most). */
export const MAX_HEARD_BEFORE = 100;

/**
 * Keeps the ringtone's events heard on `bus` in `heard`, oldest first, at most `MAX_HEARD_BEFORE` (the page's side of
 * `keepUntilLoaded` in `client/tab/on-demand.ts`).
 *
 * @example
 * const heard: HeardEvent[] = [];
 * const stop = keepUntilLoaded(keepHeard(bus, heard), loadRingtone(), (api) => api.startRingtone({ ...deps, heardBefore: heard }),
 *   failed);
 */
export function keepHeard(bus: EventBus, heard: HeardEvent[]): Subscription {
  return bus.subscribeMany(RINGTONE_HEARS, (data: unknown, name: string) => {
    heard.push({ name: name as HeardName, data });
    if (heard.length > MAX_HEARD_BEFORE) heard.shift();
  });
}
