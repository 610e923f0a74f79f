/**
 * Notifications: error toasts for failed actions (showing the typed error `{type, message}`), and a polite status
 * region that announces what happened (state changes, incoming contacts) to screen readers.
 */
import type { TypedError } from './connect-global';
import { button, h } from './dom';

/** Long enough to read a type and a one-line message; short enough that toasts do not pile up. */
export const TOAST_VISIBLE_MS = 8000;
/** More than this many toasts at once is noise: the oldest go first. */
const MAX_TOASTS = 4;

/** Any thrown or passed value as the typed error the UI shows. */
export function asTypedError(e: unknown): TypedError {
  if (e && typeof e === 'object') {
    const o = e as { type?: unknown; message?: unknown; name?: unknown };
    const type = typeof o.type === 'string' ? o.type : typeof o.name === 'string' ? o.name : 'Error';
    return { type, message: typeof o.message === 'string' ? o.message : JSON.stringify(e) };
  }
  return { type: 'Error', message: String(e) };
}

export class Toasts {
  readonly el: HTMLElement;
  private readonly status: HTMLElement;

  constructor() {
    this.status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.el = h('div', { class: 'toasts', role: 'region', 'aria-label': 'Notifications' }, this.status);
  }

  /** An error toast: `<what> failed — <type>: <message>`; it is an alert, so screen readers read it at once. */
  error(what: string, error: unknown): void {
    const e = asTypedError(error);
    const toast = h('div', { class: 'toast error', role: 'alert' },
      h('strong', {}, `${what} failed`), ' ',
      h('code', { class: 'error-type' }, e.type), h('span', { class: 'error-message' }, `: ${e.message}`));
    this.add(toast);
  }

  /** An informational toast (not an alert). */
  info(text: string): void {
    this.add(h('div', { class: 'toast info' }, h('span', {}, text)));
  }

  /** Says `text` to screen readers without showing anything. */
  announce(text: string): void {
    this.status.textContent = text;
  }

  private add(toast: HTMLElement): void {
    const close = (): void => toast.remove();
    toast.append(button('×', close, { class: 'toast-close', 'aria-label': 'Dismiss notification' }));
    this.el.append(toast);
    const toasts = this.el.querySelectorAll('.toast');
    if (toasts.length > MAX_TOASTS) toasts[0]?.remove();
    setTimeout(close, TOAST_VISIBLE_MS);
  }
}

/**
 * Runs an API action from a button: the button is disabled until exactly one callback came back; a failure shows a
 * toast with the typed error. `run` receives the `{success, failure}` callbacks of the `connect` API.
 */
export function runFromButton(btn: HTMLButtonElement, toasts: Toasts, what: string,
  run: (callbacks: { success: () => void; failure: (e: TypedError) => void }) => void, onSuccess?: () => void): void {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  const done = (): void => {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  };
  try {
    run({
      success: () => { done(); onSuccess?.(); },
      failure: (e) => { done(); toasts.error(what, e); },
    });
  } catch (e) {
    done();
    toasts.error(what, e);
  }
}
