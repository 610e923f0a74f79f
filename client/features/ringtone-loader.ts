/**
 * Starts a CCP page's ringtone from the chunk `connect-ringtone.js`, loaded now. What the ringtone would have heard
 * while the chunk loaded (`RINGTONE_HEARS`: an accepted contact, a master change, logout, a ringer device) is kept
 * and handed to it; the ringing itself it reads from the state when it starts, so nothing is missed. A load failure is logged
 * as a typed error: this tab then never rings (another CCP tab can: the ringtone master is asked at each ring).
 */
import { keepHeard, MAX_HEARD_BEFORE, type HeardEvent } from './heard';
import type { RingtoneApi, RingtoneHandle, RingtoneStartOptions } from './ringtone-api';
import { toWireError } from '../../shared/errors';
import { keepUntilLoaded } from '../tab/on-demand';

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
  let ringtone: RingtoneHandle | null = null;
  let stopped = false;
  const stopKeeping = keepUntilLoaded(keepHeard(o.bus, heard), load(), (api) => {
    ringtone = api.startRingtone({ ...o, heardBefore: heard.splice(0) });
  }, (e: unknown) => {
    if (!stopped) o.log.error('ringtone: could not load it; this tab will not ring: %j', toWireError(e));
  });
  return {
    stop: () => {
      stopped = true;
      stopKeeping();
      ringtone?.stop();
      ringtone = null;
    },
  };
}
