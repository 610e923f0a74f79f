/**
 * A tab's liveness lock: the tab holds the Web Lock `TAB_LOCK_PREFIX + tabId` for its whole life; the engine queues
 * for the same lock and is granted it exactly when the tab is gone (closed, navigated away, crashed). MessagePort has
 * no usable `close` event in current Chromium, so this is what makes dead-tab detection timer-free.
 */
import type { HostLocks } from '../shared/engine-host';
import { TAB_LOCK_PREFIX } from '../shared/protocol';

export interface HeldLock {
  /** Gives the lock back (on `terminate`); the engine then treats the tab as gone. */
  release(): void;
}

/** Acquires the tab's lock and resolves once it is held (the engine must not queue for it before that, or it
 * would be granted at once and take the tab for dead). Resolves `null` where Web Locks are missing or denied (a
 * third-party frame whose storage is blocked gets `SecurityError`): the tab then works without liveness, its `bye`
 * being the only sign of its departure — unless the embedding page takes the locks for it: `locks` is then the
 * delegated lock manager (the one the engine watches with). */
export function holdTabLock(tabId: string, locks: HostLocks | undefined = (globalThis.navigator as Navigator | undefined)?.locks): Promise<HeldLock | null> {
  if (!locks) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    locks.request(TAB_LOCK_PREFIX + tabId, { mode: 'exclusive' }, () => {
      resolve({ release });
      return held;
    }).catch((e: unknown) => {
      if ((e as { name?: unknown } | null)?.name === 'SecurityError') resolve(null);
      else reject(e);
    });
  });
}
