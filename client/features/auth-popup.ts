/**
 * The login popup after `auth_fail`. The engine tells every tab once per episode; each CCP-origin tab that takes part
 * asks `checkMaster('connect::loginPopup')` and only the master opens the login page, so exactly one popup opens in
 * the browser. Only pages on the CCP origin take part (a CCP tab, the CCP frame of a CRM, another page of the
 * origin): the popup's last page posts the session to `window.opener` at its own origin, so only such an opener can
 * receive it. The opener checks the message's origin and source, hands the session to the engine
 * (`supplySession`) — every tab then resumes without a reload — and releases the topic.
 *
 * A blocked popup is logged and announced (`login_popup::blocked`); `onAuthFail` subscribers fire in every tab
 * anyway, so a UI can offer a "Sign in" button that calls `connect.core.openLoginPopup()` from the click.
 */
import { AgentEvents, EventType, LoginPopupEvents, MasterTopics } from '../../shared/enums';
import { ENGINE_EVENTS, MasterMethod, type MasterResult } from '../../shared/protocol';
import type { EventBus, Subscription } from '../api/event-bus';
import type { Logger } from '../api/log';
import { checkUrl, UrlUse } from '../tab/url-policy';

/** The message type of the popup's last page (`backend/auth-pages.ts`). */
export const LOGIN_MESSAGE_TYPE = 'connect-sync:login';
/** The login page in popup mode, on the CCP origin, when no `loginUrl` is given. */
export const DEFAULT_LOGIN_PATH = '/login?popup=1';
/** The original's popup geometry (`loginOptions` overrides it). */
export const DEFAULT_POPUP_GEOMETRY = { width: 433, height: 578, top: 0, left: 0 } as const;
/** A token longer than this is not one of ours: refuse it rather than hand megabytes to the engine. */
const MAX_TOKEN_CHARS = 4096;

export interface LoginPopupOptions {
  /** `loginPopup !== false`. */
  enabled: boolean;
  loginUrl?: string;
  /** Close the popup once the session is back (`loginPopupAutoClose` / `loginOptions.autoClose`). */
  autoClose: boolean;
  geometry?: { width?: number; height?: number; top?: number; left?: number };
}

/** The slice of `window` the popup needs (tests pass a fake). */
export interface PopupWindowHost {
  readonly origin: string;
  open(url: string, name: string, features: string): Window | null;
  addEventListener(type: 'message', f: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', f: (e: MessageEvent) => void): void;
}

export interface LoginPopupDeps {
  bus: EventBus;
  log: Logger;
  options(): LoginPopupOptions;
  /** Whether this tab takes part now. A standalone page that never had agent data is on its first login, which it
   * does by navigating to the login page (the CCP page does); the popup is for a session that expired. */
  eligible(): boolean;
  master(method: MasterMethod, topic: string): Promise<MasterResult>;
  supplySession(accessToken: string, expiration?: number): void;
  /** Tells every tab (a broadcast through the engine; only this tab when not connected). */
  announce(event: string, data: unknown): void;
  tabId(): string | null;
  host: PopupWindowHost;
  /** Origins besides the host's own that a `loginUrl` may be on (the CCP server's `loginOrigins`); default none. */
  loginOrigins?(): readonly string[];
}

/** What the popup posts: `{type, accessToken, expiration}`; null when anything is off. */
export function asLoginMessage(data: unknown): { accessToken: string; expiration?: number } | null {
  const m = data as { type?: unknown; accessToken?: unknown; expiration?: unknown } | null;
  if (!m || typeof m !== 'object' || m.type !== LOGIN_MESSAGE_TYPE) return null;
  if (typeof m.accessToken !== 'string' || !m.accessToken || m.accessToken.length > MAX_TOKEN_CHARS) return null;
  if (m.expiration !== undefined && (typeof m.expiration !== 'number' || !Number.isFinite(m.expiration) || m.expiration <= 0)) return null;
  // Epoch seconds or ms: the engine wants ms.
  const expiration = m.expiration === undefined ? undefined : m.expiration < 1e12 ? m.expiration * 1000 : m.expiration;
  return { accessToken: m.accessToken, ...(expiration !== undefined ? { expiration } : {}) };
}

/** `width=…,height=…,top=…,left=…` from the defaults and `loginOptions`. */
export function popupFeatures(geometry: LoginPopupOptions['geometry'] = {}): string {
  const g = { ...DEFAULT_POPUP_GEOMETRY, ...geometry };
  return `width=${g.width},height=${g.height},top=${g.top},left=${g.left}`;
}

/**
 * @example
 * const popup = new LoginPopupManager({ bus, log, options, master, supplySession, announce, tabId, host: window });
 * popup.start();            // opens the popup on auth_fail when this tab is the loginPopup master
 * button.onclick = () => popup.open('user');
 */
export class LoginPopupManager {
  private popup: Window | null = null;
  private subs: Subscription[] = [];
  private started = false;
  private waitingForResume = false;
  /** Between `auth_fail` and the session coming back (in this tab's view). */
  private authFailed = false;
  private readonly onMessage = (e: MessageEvent): void => this.receive(e);

  constructor(private readonly d: LoginPopupDeps) {}

  /** `missed.authFailed`: an `auth_fail` came before this manager existed (it loads on demand) and the session has
   * not come back since: handled as if it came now. */
  start(missed: { authFailed?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    this.d.host.addEventListener('message', this.onMessage);
    this.subs = [
      this.d.bus.subscribe(EventType.AUTH_FAIL, () => this.onAuthFail()),
      // Data flowing again means the session is back, however it came (this popup, or a login elsewhere).
      this.d.bus.subscribe(AgentEvents.REFRESH, () => this.onResume()),
      this.d.bus.subscribe(LoginPopupEvents.SIGNED_IN, () => { this.authFailed = false; }),
      // The master left (closed, navigated, crashed) before the session came back: the engine handed the topic to
      // the next tab that asked, which opens the popup instead.
      this.d.bus.subscribe(ENGINE_EVENTS.MASTER_CHANGED, (change: Partial<MasterResult> | null) => {
        if (change?.topic !== MasterTopics.LOGIN_POPUP || change.isMaster !== true || !this.authFailed) return;
        if (!this.isOpen && this.d.options().enabled && this.d.eligible()) this.open('the previous master left');
      }),
    ];
    if (missed.authFailed) this.onAuthFail();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.d.host.removeEventListener('message', this.onMessage);
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  /** True while a popup this tab opened is still open. */
  get isOpen(): boolean {
    return !!this.popup && !this.popup.closed;
  }

  /**
   * Opens (or focuses) the login popup now. Call it from a click to get past popup blockers. False when the browser
   * refused.
   */
  open(reason: string): boolean {
    if (this.isOpen) {
      this.popup!.focus();
      return true;
    }
    const o = this.d.options();
    const url = this.loginUrl(o.loginUrl);
    let popup: Window | null = null;
    try {
      popup = this.d.host.open(url, MasterTopics.LOGIN_POPUP, popupFeatures(o.geometry));
    } catch (e) {
      this.d.log.warn('login popup: window.open threw').withException(e);
    }
    if (!popup) {
      this.d.log.warn('login popup (%s): blocked by the browser; a user gesture must open it', reason);
      this.announce(LoginPopupEvents.BLOCKED);
      return false;
    }
    this.popup = popup;
    this.waitingForResume = true;
    this.d.log.info('login popup (%s): opened %s', reason, url);
    this.announce(LoginPopupEvents.OPENED);
    return true;
  }

  /** The page to open: `loginUrl` when it is http(s) on this origin or a login origin the server lists, else our own
   * login page. A CRM's `loginUrl` is opened here, on the CCP origin: a `javascript:` URL would run with our origin. */
  private loginUrl(raw: string | undefined): string {
    const fallback = new URL(DEFAULT_LOGIN_PATH, this.d.host.origin).href;
    if (raw === undefined) return fallback;
    const checked = checkUrl(raw, this.d.host.origin, this.d.loginOrigins?.() ?? []);
    if (checked.ok) return checked.url;
    this.d.log.warn('%s refused (%s); opening the CCP login page instead', UrlUse.LOGIN, checked.error.message).withObject(checked.error);
    return fallback;
  }

  private onAuthFail(): void {
    this.authFailed = true;
    const o = this.d.options();
    if (!o.enabled) {
      this.d.log.info('auth_fail: the login popup is disabled (loginPopup: false)');
      return;
    }
    if (this.isOpen) return; // ours is already up
    if (!this.d.eligible()) {
      this.d.log.debug('auth_fail: first login of a standalone page; no popup from here');
      return;
    }
    this.d.master(MasterMethod.CHECK, MasterTopics.LOGIN_POPUP).then(
      (r) => {
        if (r.isMaster) this.open(EventType.AUTH_FAIL);
        else this.d.log.debug('auth_fail: tab %s opens the login popup', r.masterId ?? '?');
      },
      (e: unknown) => this.d.log.warn('auth_fail: checkMaster(%s) failed', MasterTopics.LOGIN_POPUP).withException(e),
    );
  }

  private receive(e: MessageEvent): void {
    if (!this.popup || e.source !== this.popup || e.origin !== this.d.host.origin) return;
    const login = asLoginMessage(e.data);
    if (!login) {
      this.d.log.warn('login popup: ignored a message that is not a login result');
      return;
    }
    this.d.log.info('login popup: signed in; handing the session to the engine');
    this.d.supplySession(login.accessToken, login.expiration);
    this.announce(LoginPopupEvents.SIGNED_IN);
    this.onResume();
  }

  /** The session is back: give the topic up (the next episode elects again) and close the popup if asked to. */
  private onResume(): void {
    this.authFailed = false;
    if (!this.waitingForResume) return;
    this.waitingForResume = false;
    this.d.master(MasterMethod.RELEASE, MasterTopics.LOGIN_POPUP)
      .catch((err: unknown) => this.d.log.warn('login popup: releasing the topic failed').withException(err));
    if (this.isOpen && this.d.options().autoClose) this.popup!.close();
  }

  private announce(event: LoginPopupEvents): void {
    this.d.announce(event, { tabId: this.d.tabId() });
  }
}
