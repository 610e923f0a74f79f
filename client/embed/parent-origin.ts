/**
 * Whether this page runs in a frame, and whose: every CCP page asks at start, before it knows whether it relays, so
 * this lives apart from the relay (`iframe-relay.ts`, the chunk `connect-relay.js` that only a framed CCP loads).
 */

/** The origin of the page that frames us, if any (Chromium: `ancestorOrigins`; else the referrer). */
export function parentOriginOf(w: Window): string | null {
  if (w.parent === w) return null;
  const ancestors = w.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? null;
  try {
    return w.document.referrer ? new URL(w.document.referrer).origin : null;
  } catch {
    return null;
  }
}
