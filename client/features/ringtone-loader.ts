/**
 * Starts a CCP page's ringtone from the chunk `connect-ringtone.js`, loaded now. What the ringtone would have heard
 * while the chunk loaded (`RINGTONE_HEARS`: an accepted contact, a master change, logout, a ringer device) is kept
 * and handed to it; the ringing itself it reads from the state when it starts, so nothing is missed. A load failure is logged
 * as a typed error: this tab then never rings (another CCP tab can: the ringtone master is asked at each ring).
 */
import { MAX_HEARD_BEFORE, RINGTONE_HEARS, type HeardEvent } from './heard';
import type { RingtoneApi, RingtoneHandle, RingtoneStartOptions } from './ringtone-api';
import { toWireError } from '../../shared/errors';

export { MAX_HEARD_BEFORE, RINGTONE_HEARS, type HeardEvent, type HeardName } from './heard';
export type { RingtoneApi, RingtoneHandle, RingtoneStartOptions } from './ringtone-api';

/**
 * @example
 * const ringtone = startRingtoneOnDemand(deps, loadRingtone);
 * ringtone.stop(); // terminate, also before the chunk arrived
 *
 * `keptBefore`: what the page heard before this loader ran (while `connect-features.js` loaded), oldest first.
 */
export function startRingtoneOnDemand(o: Omit<RingtoneStartOptions, 'heardBefore'>, load: () => Promise<RingtoneApi>,
  keptBefore: readonly HeardEvent[] = []): RingtoneHandle {
  const heard: HeardEvent[] = keptBefore.slice(-MAX_HEARD_BEFORE);
  let listening = RINGTONE_HEARS.map((name) => o.bus.subscribe(name, (data: unknown) => {
    heard.push({ name, data });
    if (heard.length > MAX_HEARD_BEFORE) heard.shift();
  }));
  const stopListening = (): void => {
    for (const s of listening) s.unsubscribe();
    listening = [];
  };
  let ringtone: RingtoneHandle | null = null;
  let stopped = false;
  load().then((api) => {
    if (stopped) return;
    // In one go: the ringtone subscribes, then the page stops keeping; no event falls between the two.
    ringtone = api.startRingtone({ ...o, heardBefore: heard.splice(0) });
    stopListening();
  }, (e: unknown) => {
    stopListening();
    if (!stopped) o.log.error('ringtone: could not load it; this tab will not ring: %j', toWireError(e));
  });
  return {
    stop: () => {
      stopped = true;
      stopListening();
      ringtone?.stop();
      ringtone = null;
    },
  };
}
