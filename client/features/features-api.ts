/**
 * The API of the chunk `connect-features.js` (`page-features.ts`), as its loader (`loadFeatures` in `on-demand.ts`)
 * and the page (`client/tab/features.ts`) see it: the options, the roles, what the page heard while the chunk loaded,
 * and what the features need from the session they run for. Types only, apart from the chunk, so that naming the
 * chunk's API imports neither the chunk nor the session (which loads chunks through `on-demand.ts`).
 */
import type { TabContext } from '../tab/tab-context';
import type { TrustedOrigins } from '../tab/url-policy';
import type { LoginPopupManager } from './auth-popup';
import type { HeardEvent } from './heard';
import type { RingtoneChannelOptions } from './ringtone-rules';

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

/** What the page heard while the chunk loaded: whether an `auth_fail` is pending, and the ringtone's events. */
export interface HeardEarly {
  authFailed: boolean;
  heard: readonly HeardEvent[];
}

/** What the features need from the page's session (a `TabSession`, which stops them when it ends). */
export interface FeatureSession {
  readonly context: TabContext;
  /** This page's tab id in the engine, or null before it connects. */
  readonly tabId: string | null;
  /** The page options a framing CRM passed to `initCCP`. */
  readonly pageOptions: Record<string, unknown>;
  /** The origins the CCP server trusts. */
  readonly trusted: TrustedOrigins;
  /** The login popup, once its chunk is loaded; `loginLoading` while it loads. */
  loginPopup: LoginPopupManager | null;
  loginLoading: boolean;
  /** Registers `stop` to run when the session ends; returns a function that runs it now, once. */
  own(stop: () => void): () => void;
  supplySession(authToken: string, expiration?: number): void;
}

export interface FeaturesApi {
  /** Starts the features of `role` for `session`, which stops them when it ends. */
  startTabFeatures(session: FeatureSession, role: FeatureRole, init?: TabFeatureOptions, early?: HeardEarly): void;
}
