/**
 * Entry of `connect-ringtone.js`: the ringtone of a CCP page, which `tab-features.ts` loads only for CCP pages, so
 * that a CRM page (whose CCP frame rings instead) and other pages do not carry it. It installs
 * `globalThis.ConnectSyncRingtone`.
 */
import { AudioRingtonePlayer, RingtoneManager } from './ringtone';
import { RINGTONE_GLOBAL, type RingtoneApi } from './ringtone-api';

export const ringtoneApi: RingtoneApi = Object.freeze({
  startRingtone: (o) => {
    const manager = new RingtoneManager({ ...o, player: new AudioRingtonePlayer(document) });
    manager.start();
    return manager;
  },
} satisfies RingtoneApi);

(globalThis as Record<string, unknown>)[RINGTONE_GLOBAL] = ringtoneApi;
