/**
 * The chunk `connect-features.js` (loaded by `client/tab/features.ts` as the page starts): what a page on the CCP
 * origin does beyond the API once `initSharedWorker` accepted it: the login popup (every role but the inspector) and
 * the ringtone (CCP pages only, standalone or framed). Options come from `initSharedWorker`
 * and, in a CCP frame, from the CRM's `initCCP` (forwarded through the bridge; those win). A CRM page (`initCCP`)
 * runs neither: its CCP frame does, being on the CCP origin.
 */
import { MasterMethod, wireError, ErrorType, type MasterResult } from '../../shared/protocol';
import type { LoginPopupOptions } from './auth-popup';
import { keepUntilLoaded, loadLoginPopup, loadRingtone } from '../tab/on-demand';
import type { FeatureRole, FeatureSession, FeaturesApi, HeardEarly, TabFeatureOptions } from './features-api';
import { AgentEvents, EventType, LoginPopupEvents } from '../../shared/enums';
import { toWireError } from '../../shared/errors';
import { startRingtoneOnDemand, type RingtoneHandle } from './ringtone-loader';
import type { RingtoneChannelOptions, RingtoneOptions } from './ringtone-rules';

export type { FeatureRole, HeardEarly, TabFeatureOptions } from './features-api';

/** The options in force now: the framing CRM's (if any, as the session received them) over this page's own. */
function effective(init: TabFeatureOptions, pageOptions: Record<string, unknown>): TabFeatureOptions {
  return { ...init, ...(pageOptions as TabFeatureOptions) };
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

export function loginOptionsOf(init: TabFeatureOptions, pageOptions: Record<string, unknown> = {}): LoginPopupOptions {
  const o = objectOf(effective(init, pageOptions));
  return {
    enabled: o.loginPopup !== false,
    loginUrl: nonEmptyString(o.loginUrl),
    autoClose: o.loginPopupAutoClose === true || objectOf(o.loginOptions).autoClose === true,
    geometry: geometryOf(o.loginOptions),
  };
}

export function ringtoneOptionsOf(init: TabFeatureOptions, pageOptions: Record<string, unknown> = {}): RingtoneOptions {
  const o = objectOf(effective(init, pageOptions));
  return { softphone: channelOf(o.softphone), chat: channelOf(o.chat) };
}

function masterOf(session: FeatureSession) {
  return (method: MasterMethod, topic: string): Promise<MasterResult> => {
    const up = session.context.upstream;
    return up ? up.master(method, topic) : Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'the tab is not connected to the engine'));
  };
}

/** Starts the features of `role` for `session`, which stops them when it ends. */
export function startTabFeatures(session: FeatureSession, role: FeatureRole, init: TabFeatureOptions = {},
  early: HeardEarly = { authFailed: false, heard: [] }): void {
  if (typeof window === 'undefined' || role === 'inspector') return;
  const ctx = session.context;
  const master = masterOf(session);
  // The login popup is the chunk `connect-login.js`, loaded now. Until it is there, this tab only notes whether an
  // `auth_fail` is pending (the session back — data flowing, or a sign-in elsewhere — clears it).
  let authFailed = early.authFailed;
  session.loginLoading = true;
  const keeping = ctx.bus.subscribeMany([EventType.AUTH_FAIL, AgentEvents.REFRESH, LoginPopupEvents.SIGNED_IN],
    (_data: unknown, name: string) => { authFailed = name === EventType.AUTH_FAIL; });
  const stopKeeping = keepUntilLoaded(keeping, loadLoginPopup(), (LoginPopup) => {
    stopWaiting();
    const loginPopup = new LoginPopup({
      bus: ctx.bus,
      log: ctx.log,
      options: () => loginOptionsOf(init, session.pageOptions),
      eligible: () => window.parent !== window || ctx.state.initialized,
      master,
      supplySession: (token, expiration) => session.supplySession(token, expiration),
      announce: (event, data) => {
        const up = ctx.upstream;
        if (up) up.broadcast(event, data);
        else ctx.bus.trigger(event, data);
      },
      tabId: () => session.tabId,
      loginOrigins: () => session.trusted.login,
      host: {
        origin: location.origin,
        open: (url, name, features) => window.open(url, name, features),
        addEventListener: (type, f) => window.addEventListener(type, f),
        removeEventListener: (type, f) => window.removeEventListener(type, f),
      },
    });
    session.loginPopup = loginPopup;
    session.own(() => {
      loginPopup.stop();
      session.loginPopup = null;
    });
    loginPopup.start({ authFailed });
  }, (e: unknown) => {
    stopWaiting();
    ctx.log.error('login popup: could not load it; this tab will not open one: %j', toWireError(e));
  });
  // Ends the wait for the login popup's chunk (terminate before it arrived: it is then never started).
  const stopWaiting = session.own(() => {
    session.loginLoading = false;
    stopKeeping();
  });
  if (role !== 'ccp') return;
  // The ringtone is the chunk `connect-ringtone.js`, loaded now: CCP pages only ring.
  const ringtone: RingtoneHandle = startRingtoneOnDemand({
    data: () => ({ data: ctx.state.current().data, stale: !!ctx.state.current().stale }),
    onChange: (f) => {
      ctx.state.addEventListener('change', f);
      return () => ctx.state.removeEventListener('change', f);
    },
    bus: ctx.bus,
    log: ctx.log,
    options: () => ringtoneOptionsOf(init, session.pageOptions),
    // Checked in the chunk (client/features/ringtone-gate.ts), which alone needs the check.
    urls: { ownOrigin: location.origin, trusted: () => session.trusted },
    checkMaster: (topic) => master(MasterMethod.CHECK, topic),
  }, loadRingtone, early.heard);
  session.own(() => ringtone.stop());
}

/** The chunk's API (`loadFeatures` in on-demand.ts; its types in `features-api.ts`). */
export const featuresApi: FeaturesApi = { startTabFeatures };
