/**
 * A tab's liveness lock: the tab holds the Web Lock `TAB_LOCK_PREFIX + tabId` for its whole life; the engine queues
 * for the same lock and is granted it exactly when the tab is gone (closed, navigated away, crashed). MessagePort has
 * no usable `close` event in current Chromium, so this is what makes dead-tab detection timer-free.
 *
 * Web Locks are per origin: any page of the origin can steal the lock (`steal: true`). The holder then hears of it
 * (`onLost`) and queues for its lock again, behind the engine's watch; see `EngineLink` for what follows.
 */
import type { HostLocks } from '../../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../../shared/protocol';

export interface HeldLock {
  /** Gives the lock back (on `terminate`); the engine then treats the tab as gone. */
  release(): void;
}

export interface HoldOptions {
  /** Called once if another context steals the lock while this tab holds it. */
  onLost?: () => void;
  /** Gives up a request still waiting for the lock (a closed link). */
  signal?: AbortSignal;
}

const isAbort = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'AbortError';

/** Acquires the tab's lock and resolves once it is held (the engine must not queue for it before that, or it
 * would be granted at once and take the tab for dead). Resolves `null` where Web Locks are missing or denied (a
 * third-party frame whose storage is blocked gets `SecurityError`), or when `signal` aborts the wait: the tab then
 * works without liveness, its `bye` being the only sign of its departure — unless the embedding page takes the locks
 * for it: `locks` is then the delegated lock manager (the one the engine watches with). */
export function holdTabLock(tabId: string, locks: HostLocks | undefined = (globalThis.navigator as Navigator | undefined)?.locks,
  options: HoldOptions = {}): Promise<HeldLock | null> {
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let release!: () => void;
    let granted = false;
    let released = false;
    const held = new Promise<void>((r) => { release = () => { released = true; r(); }; });
    locks.request(TAB_LOCK_PREFIX + tabId, { mode: 'exclusive', ...(options.signal ? { signal: options.signal } : {}) }, () => {
      granted = true;
      resolve({ release });
      return held;
    }).catch((e: unknown) => {
      if (granted) {
        // Rejected after the grant: stolen (the only way a held exclusive lock is taken away).
        if (isAbort(e) && !released) options.onLost?.();
        return;
      }
      if ((e as { name?: unknown } | null)?.name === 'SecurityError' || isAbort(e)) resolve(null);
      else reject(e);
    });
  });
}
