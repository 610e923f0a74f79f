/**
 * The ringtone of a CCP page: the chunk `connect-ringtone.js`, which `tab/features.ts` loads (`loadRingtone` in
 * `on-demand.ts`) only for CCP pages, so that a CRM page (whose CCP frame rings instead) and other pages do not carry
 * it. It brings its own `<audio>` player.
 */
import { AudioRingtonePlayer, RingtoneManager } from './ringtone';
import { gatedRingtoneOptions } from './ringtone-gate';
import type { RingtoneApi } from './ringtone-api';
import { UrlGate } from '../tab/url-gate';

export const ringtoneApi: RingtoneApi = Object.freeze({
  startRingtone: (o) => {
    const gate = o.urls && new UrlGate(o.urls.ownOrigin, o.urls.trusted, o.log);
    const options = gate ? () => gatedRingtoneOptions(o.options(), gate) : o.options;
    const manager = new RingtoneManager({ ...o, options, player: new AudioRingtonePlayer(document) });
    manager.start();
    return manager;
  },
} satisfies RingtoneApi);
