/**
 * The leadership epoch counter: one number in IndexedDB. A new leader bumps it in one read-write transaction
 * (idb-keyval `update`), and IndexedDB runs read-write transactions on one store one after the other, so two leaders
 * never get the same epoch and each gets a higher one than every leader before it — also a brand-new tab that has
 * never heard of the current epoch. A follower about to steal reads it to see whether someone already did.
 *
 * The counter has a database of its own: the engine's store sees a write every second (state, logs), and a frozen or
 * hung leader may hold one of those transactions open for ever; elections must not wait behind it. Each new epoch is
 * also mirrored into the engine's store, where the persistence fence reads it (see `worker/leader-fence.ts`).
 */
import { createStore, get, update, type UseStore } from 'idb-keyval';
import { LEADER_DB_NAME, LEADER_STORE_NAME, PERSIST_EPOCH_KEY } from '../../shared/broadcast-protocol';
import { PERSIST_DB_NAME, PERSIST_STORE_NAME } from '../../shared/protocol';
import { withDeadline } from '../tab/transport';

/** A read of the counter takes milliseconds; one that takes a second is blocked, and a would-be stealer then decides
 * without it (the steal guard still lets only one tab steal). */
export const EPOCH_READ_DEADLINE_MS = 1000;

export interface EpochCounter {
  /** The last epoch handed out (0: none yet), or null when storage is unavailable or blocked. */
  read(): Promise<number | null>;
  /** Hands out the next epoch: above the stored one and above `atLeast` (the highest this tab has seen). */
  bump(atLeast: number): Promise<number>;
}

/** Without IndexedDB (some private modes) the wall clock stands in: milliseconds exceed any counter value and grow,
 * and `atLeast + 1` covers a clock stepping back among tabs that are alive. Storage is never unavailable in the
 * browsers we test; this only keeps such a browser working. */
export function fallbackEpoch(atLeast: number, now: number): number {
  return Math.max(atLeast + 1, now);
}

/**
 * @example
 * const epochs = idbEpochCounter();
 * const epoch = await epochs.bump(highestSeen);
 */
export function idbEpochCounter(): EpochCounter {
  let counter: UseStore | null = null;
  let engineStore: UseStore | null = null;
  const store = (): UseStore => (counter ??= createStore(LEADER_DB_NAME, LEADER_STORE_NAME));
  const mirror = (epoch: number): void => {
    engineStore ??= createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME);
    // Not awaited: the engine's store may be blocked by a hung tab; the fence only needs it eventually.
    update<number>(PERSIST_EPOCH_KEY, (old) => Math.max(typeof old === 'number' ? old : 0, epoch), engineStore).catch(() => undefined);
  };
  return {
    async read() {
      try {
        const v: unknown = await withDeadline(get(PERSIST_EPOCH_KEY, store()), EPOCH_READ_DEADLINE_MS, 'epoch counter');
        return typeof v === 'number' ? v : 0;
      } catch {
        return null;
      }
    },
    async bump(atLeast) {
      let next = 0;
      try {
        await update<number>(PERSIST_EPOCH_KEY, (old) => (next = Math.max(typeof old === 'number' ? old : 0, atLeast) + 1), store());
      } catch {
        next = fallbackEpoch(atLeast, Date.now());
      }
      mirror(next);
      return next;
    },
  };
}

