/**
 * What a page does when the session is missing or expired (`connect.core.onAuthFail`):
 * - a standalone page that never had live agent data is on its first login: it goes to the login page and comes
 *   back afterwards;
 * - otherwise (framed in a CRM, where a redirect would land the login page inside the frame, or a session that
 *   expired under a working page) it shows a "Sign in" banner. The button opens the login popup from the click
 *   (`connect.core.openLoginPopup()`, which hands the new session to the engine); every tab then resumes.
 * Without that library helper it opens `/login?popup=1` itself and passes the token the popup posts back (same
 * origin only) to `connect.core.supplySession`.
 */
import type { Connect } from './connect-global';
import { button, h, setHidden } from './dom';

/** What the backend's popup page posts to its opener. */
export const LOGIN_MESSAGE_TYPE = 'connect-sync:login';
const POPUP_FEATURES = 'width=433,height=578';
/** While the banner shows, how often to ask the engine whether it polls again (a login in another tab, a popup
 * whose message went elsewhere): often enough that the banner goes soon after, rare enough to cost nothing. */
const RECHECK_MS = 2000;

interface LoginMessage {
  accessToken: string;
  expiration?: number;
}

/** Checks a message from the popup: right type, a token string, an optional numeric expiration. */
export function parseLoginMessage(data: unknown): LoginMessage | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as { type?: unknown; accessToken?: unknown; expiration?: unknown };
  if (d.type !== LOGIN_MESSAGE_TYPE || typeof d.accessToken !== 'string' || !d.accessToken) return null;
  if (d.expiration !== undefined && (typeof d.expiration !== 'number' || !Number.isFinite(d.expiration))) return null;
  return { accessToken: d.accessToken, ...(d.expiration !== undefined ? { expiration: d.expiration } : {}) };
}

export function isFramed(): boolean {
  return window.top !== window;
}

type PopupOpener = () => boolean;

export class AuthPrompt {
  readonly el: HTMLElement;
  private popup: Window | null = null;
  private listening = false;
  private hadLiveData = false;
  private recheck: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly connect: Connect, private readonly page: string) {
    this.el = h('div', { class: 'banner', role: 'alert', hidden: true },
      h('p', {}, 'Your session has ended. Sign in to keep working.'),
      button('Sign in', () => this.signIn(), { class: 'primary' }));
  }

  /** Wires `onAuthFail`; `redirect: false` keeps a standalone page where it is (the inspector) and shows the banner. */
  start(options: { redirect: boolean }): void {
    this.connect.core.onAuthFail(() => {
      if (options.redirect && !isFramed() && !this.hadLiveData) {
        this.toLoginPage();
        return;
      }
      this.show();
    });
    // The session came back through a popup (this page's or another tab's), even if no agent data changed.
    this.connect.core.getEventBus().subscribe(this.connect.LoginPopupEvents.SIGNED_IN, () => this.hide()); // a popup handed a session to the engine
  }

  /** Live (not restored) agent data arrived: the session works. */
  signedIn(): void {
    this.hadLiveData = true;
    this.hide();
  }

  private show(): void {
    setHidden(this.el, false);
    if (this.recheck) return;
    // Hidden again once the engine is seen paused for auth and then polling: the session is back, however it came.
    let sawPaused = false;
    this.recheck = setInterval(() => {
      this.connect.core.inspect().then((info) => {
        if (info.polling !== 'running') sawPaused = true;
        else if (sawPaused) this.hide();
      }, () => undefined);
    }, RECHECK_MS);
  }

  private hide(): void {
    setHidden(this.el, true);
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
  }

  private toLoginPage(): void {
    location.href = `/login?redirect=${encodeURIComponent(this.page)}`;
  }

  private signIn(): void {
    const libraryPopup = (this.connect.core as { openLoginPopup?: PopupOpener }).openLoginPopup;
    if (typeof libraryPopup === 'function' && libraryPopup()) return;
    if (!isFramed()) {
      this.toLoginPage();
      return;
    }
    this.listen();
    this.popup = window.open('/login?popup=1', 'connect-login', POPUP_FEATURES);
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    window.addEventListener('message', (ev) => {
      if (ev.origin !== location.origin || ev.source !== this.popup) return;
      const login = parseLoginMessage(ev.data);
      if (!login) return;
      this.connect.core.supplySession(login.accessToken, login.expiration);
      this.popup = null;
      this.hide();
    });
  }
}
