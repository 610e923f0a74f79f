/**
 * What a page on the CCP origin does beyond the API once `initSharedWorker` accepted it: the login popup (every role
 * but the inspector) and the ringtone (CCP pages only, standalone or framed). Options come from `initSharedWorker`
 * and, in a CCP frame, from the CRM's `initCCP` (forwarded through the bridge; those win). A CRM page (`initCCP`)
 * runs neither: its CCP frame does, being on the CCP origin.
 */
import { MasterMethod, wireError, ErrorType, type MasterResult } from '../../shared/protocol';
import type { LoginPopupManager, LoginPopupOptions } from '../features/auth-popup';
import { getContext } from './context';
import { getPageOptions, getTabId, getTrustedOrigins, supplySession } from './core';
import { loadLoginPopup, loadRingtone } from './on-demand';
import { AgentEvents, EventType, LoginPopupEvents } from '../../shared/enums';
import { toWireError } from '../../shared/errors';
import { startRingtoneOnDemand, type RingtoneHandle } from '../features/ringtone-loader';
import type { RingtoneChannelOptions, RingtoneOptions } from '../features/ringtone-rules';

/** The login and ringtone options `initSharedWorker` takes (the same names as `initCCP`'s). */
export interface TabFeatureOptions {
  /** Default true: on `auth_fail`, one tab of the browser opens the login popup. */
  loginPopup?: boolean;
  /** Close the popup once the session is back. */
  loginPopupAutoClose?: boolean;
  /** Login page for the popup (default `<CCP origin>/login?popup=1`). */
  loginUrl?: string;
  loginOptions?: { autoClose?: boolean; height?: number; width?: number; top?: number; left?: number };
  softphone?: RingtoneChannelOptions & { allowFramedSoftphone?: boolean };
  chat?: RingtoneChannelOptions;
}

export type FeatureRole = 'ccp' | 'page' | 'inspector';

let ringtone: RingtoneHandle | null = null;
let loginPopup: LoginPopupManager | null = null;
/** Ends the wait for the login popup's chunk (terminate before it arrived). */
let stopLoginLoad: (() => void) | null = null;

/** The options in force now: the framing CRM's (if any) over this page's own. */
function effective(init: TabFeatureOptions): TabFeatureOptions {
  return { ...init, ...(getPageOptions() as TabFeatureOptions) };
}

// The CRM's options crossed a frame boundary: only fields of the expected types are used.
function objectOf(x: unknown): Record<string, unknown> {
  return x && typeof x === 'object' ? x as Record<string, unknown> : {};
}

function nonEmptyString(x: unknown): string | undefined {
  return typeof x === 'string' && x ? x : undefined;
}

function geometryOf(x: unknown): LoginPopupOptions['geometry'] {
  const o = objectOf(x);
  const out: NonNullable<LoginPopupOptions['geometry']> = {};
  for (const k of ['width', 'height', 'top', 'left'] as const) if (typeof o[k] === 'number' && Number.isFinite(o[k])) out[k] = o[k];
  return out;
}

function channelOf(x: unknown): RingtoneChannelOptions | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = objectOf(x);
  return { disableRingtone: o.disableRingtone === true, ringtoneUrl: nonEmptyString(o.ringtoneUrl) };
}

export function loginOptionsOf(init: TabFeatureOptions): LoginPopupOptions {
  const o = objectOf(effective(init));
  return {
    enabled: o.loginPopup !== false,
    loginUrl: nonEmptyString(o.loginUrl),
    autoClose: o.loginPopupAutoClose === true || objectOf(o.loginOptions).autoClose === true,
    geometry: geometryOf(o.loginOptions),
  };
}

export function ringtoneOptionsOf(init: TabFeatureOptions): RingtoneOptions {
  const o = objectOf(effective(init));
  return { softphone: channelOf(o.softphone), chat: channelOf(o.chat) };
}

function master(method: MasterMethod, topic: string): Promise<MasterResult> {
  const up = getContext().upstream;
  return up ? up.master(method, topic) : Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'the tab is not connected to the engine'));
}

/** Starts the features of `role` (stopping any running ones first). */
export function startTabFeatures(role: FeatureRole, init: TabFeatureOptions = {}): void {
  stopTabFeatures();
  if (typeof window === 'undefined' || role === 'inspector') return;
  const ctx = getContext();
  // The login popup is the chunk `connect-login.js`, loaded now. Until it is there, this tab only notes whether an
  // `auth_fail` is pending (the session back — data flowing, or a sign-in elsewhere — clears it).
  let authFailed = false;
  let waiting = true;
  const pending = [
    ctx.bus.subscribe(EventType.AUTH_FAIL, () => { authFailed = true; }),
    ctx.bus.subscribe(AgentEvents.REFRESH, () => { authFailed = false; }),
    ctx.bus.subscribe(LoginPopupEvents.SIGNED_IN, () => { authFailed = false; }),
  ];
  const stopWaiting = (): void => {
    waiting = false;
    for (const sub of pending) sub.unsubscribe();
  };
  stopLoginLoad = stopWaiting;
  loadLoginPopup().then((LoginPopup) => {
    if (!waiting) return;
    stopWaiting();
    stopLoginLoad = null;
    loginPopup = new LoginPopup({
      bus: ctx.bus,
      log: ctx.log,
      options: () => loginOptionsOf(init),
      eligible: () => window.parent !== window || ctx.state.initialized,
      master,
      supplySession,
      announce: (event, data) => {
        const up = getContext().upstream;
        if (up) up.broadcast(event, data);
        else ctx.bus.trigger(event, data);
      },
      tabId: getTabId,
      loginOrigins: () => getTrustedOrigins().login,
      host: {
        origin: location.origin,
        open: (url, name, features) => window.open(url, name, features),
        addEventListener: (type, f) => window.addEventListener(type, f),
        removeEventListener: (type, f) => window.removeEventListener(type, f),
      },
    });
    loginPopup.start({ authFailed });
  }, (e: unknown) => {
    stopWaiting();
    stopLoginLoad = null;
    ctx.log.error('login popup: could not load it; this tab will not open one: %j', toWireError(e));
  });
  if (role !== 'ccp') return;
  // The ringtone is the chunk `connect-ringtone.js`, loaded now: CCP pages only ring.
  ringtone = startRingtoneOnDemand({
    data: () => ({ data: ctx.state.current().data, stale: !!ctx.state.current().stale }),
    onChange: (f) => {
      ctx.state.addEventListener('change', f);
      return () => ctx.state.removeEventListener('change', f);
    },
    bus: ctx.bus,
    log: ctx.log,
    options: () => ringtoneOptionsOf(init),
    // Checked in the chunk (client/features/ringtone-gate.ts), which alone needs the check.
    urls: { ownOrigin: location.origin, trusted: getTrustedOrigins },
    checkMaster: (topic) => master(MasterMethod.CHECK, topic),
  }, loadRingtone);
}

/** Stops the ringtone and the login popup handling (terminate). */
export function stopTabFeatures(): void {
  ringtone?.stop();
  ringtone = null;
  stopLoginLoad?.();
  stopLoginLoad = null;
  loginPopup?.stop();
  loginPopup = null;
}

/**
 * Opens the login popup now — from a click, so that popup blockers let it through. Pages on the CCP origin only (a
 * CRM page cannot receive the session; its CCP frame opens the popup). False when it could not be opened.
 *
 * @example
 * connect.core.onAuthFail(() => signInButton.hidden = false);
 * signInButton.onclick = () => connect.core.openLoginPopup();
 */
export function openLoginPopup(): boolean {
  if (!loginPopup) {
    getContext().log.warn(stopLoginLoad
      ? 'openLoginPopup: the login popup is still loading (connect-login.js); try again in a moment'
      : 'openLoginPopup: only pages on the CCP origin (initSharedWorker) can open the login popup');
    return false;
  }
  return loginPopup.open('user');
}
