/**
 * What a page on the CCP origin does beyond the API once `initSharedWorker` accepted it (the login popup, the
 * ringtone) is the chunk `connect-features.js` (`client/features/page-features.ts`), loaded now. Until it is there,
 * this page notes what those features would have heard: whether an `auth_fail` is pending, and the ringtone's events
 * (`RINGTONE_HEARS`); the chunk takes them over in the same turn it subscribes (`keepUntilLoaded`), so nothing falls
 * between. A CRM page (`initCCP`) runs none of this: its CCP frame does, being on the CCP origin.
 */
import { AgentEvents, EventType, LoginPopupEvents } from '../../shared/enums';
import { toWireError } from '../../shared/errors';
import { keepHeard, type HeardEvent } from '../features/heard';
import type { FeatureRole, TabFeatureOptions } from '../features/features-api';
import { keepUntilLoaded, loadFeatures } from './on-demand';
import { currentSession, type TabSession } from './session';

export type { FeatureRole, TabFeatureOptions } from '../features/features-api';

/** Starts the features of `role` for `session` (from the chunk), which stops them when it ends. */
export function startTabFeatures(session: TabSession, role: FeatureRole, init: TabFeatureOptions = {}): void {
  if (typeof window === 'undefined' || role === 'inspector') return;
  const { bus, log } = session.context;
  let authFailed = false;
  const heard: HeardEvent[] = [];
  session.loginLoading = true;
  // An `auth_fail` is pending until the session is back (data flowing, or a sign-in elsewhere).
  const keeping = bus.subscribeMany([EventType.AUTH_FAIL, AgentEvents.REFRESH, LoginPopupEvents.SIGNED_IN],
    (_data: unknown, name: string) => { authFailed = name === EventType.AUTH_FAIL; });
  if (role === 'ccp') keeping.link(keepHeard(bus, heard));
  const stopKeeping = keepUntilLoaded(keeping, loadFeatures(), (api) => {
    stopWaiting();
    api.startTabFeatures(session, role, init, { authFailed, heard });
  }, (e: unknown) => {
    stopWaiting();
    log.error('page features: could not load them; this tab will not ring or open the login popup: %j', toWireError(e));
  });
  // Ended with the session (terminate before the chunk arrived: it is then never started).
  const stopWaiting = session.own(() => {
    session.loginLoading = false;
    stopKeeping();
  });
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
  const { loginPopup, loginLoading, context } = currentSession();
  if (!loginPopup) {
    context.log.warn(loginLoading
      ? 'openLoginPopup: the login popup is still loading (connect-login.js); try again in a moment'
      : 'openLoginPopup: only pages on the CCP origin (initSharedWorker) can open the login popup');
    return false;
  }
  return loginPopup.open('user');
}
