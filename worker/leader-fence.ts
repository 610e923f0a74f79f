/**
 * Fencing for an engine hosted by a leader tab: once the tab has lost leadership (another tab stole the lock while it
 * was frozen, say), its engine must not act as leader even before the tab has noticed. Two fences:
 * - `LeaderGuardedCti`: every backend call first asks whether this tab still holds the leader lock; after the first
 *   "no" every call fails with `LeaderChangedError` without reaching the backend (so a woken-up leader polls nothing).
 * - `LeaderStore`: persisted state is written only while the epoch (mirrored into the engine's store) is still this
 *   leader's (checked in the same IndexedDB transaction as the write), and a newer state the tab already holds wins
 *   over the persisted copy at start — as does the tab's state when the store does not answer (a frozen or hung tab
 *   may hold a transaction on it open), so that a new leader never waits for ever to start.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { PERSIST_EPOCH_KEY } from '../shared/broadcast-protocol';
import type { CtiInput, CtiOperation, CtiOutput } from '../shared/cti';
import {
  ErrorType, PERSIST_DB_NAME, PERSIST_STATE_KEY, PERSIST_STORE_NAME, type LogRecord, type PersistedState, type StateFull,
} from '../shared/protocol';
import { validatePersistedState } from '../shared/validate';
import type { CtiCallOptions, CtiClient } from './cti-client';
import { CtiError } from './cti-error';
import type { StateStore } from './store';

/** An IndexedDB read takes milliseconds; one still pending after a second is blocked by another tab's transaction,
 * and the new leader starts from what its tab holds instead (the first poll confirms it at once anyway). */
export const STORE_READ_DEADLINE_MS = 1000;

/** `p`, or `fallback` if it has not settled within `ms` (or failed). */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, () => { clearTimeout(timer); resolve(fallback); });
  });
}

/**
 * @example
 * const cti = new LeaderGuardedCti(new HttpCtiClient({ endpoint }), () => elector.isLeader());
 */
export class LeaderGuardedCti implements CtiClient {
  private lost = false;

  constructor(private readonly inner: CtiClient, private readonly isLeader: () => Promise<boolean>) {}

  async call<Op extends CtiOperation>(op: Op, input: CtiInput<Op>, opts?: CtiCallOptions): Promise<CtiOutput<Op>> {
    if (!this.lost) this.lost = !(await this.isLeader().catch(() => false));
    if (this.lost) throw new CtiError(ErrorType.LEADER_CHANGED, `${op}: this tab no longer leads; the call was not sent`, 0);
    return this.inner.call(op, input, opts);
  }

  setAuthToken(token: string | undefined): void {
    this.inner.setAuthToken(token);
  }
}

/** Writes `state` only while the epoch counter is not above `epoch`; resolves whether it wrote. */
export type EpochFence = (state: PersistedState) => Promise<boolean>;

/** A write by the leader of `epoch` is allowed unless a newer leader has bumped the counter. */
export function mayWrite(counter: unknown, epoch: number): boolean {
  return typeof counter !== 'number' || counter <= epoch;
}

/** The fence on the engine's IndexedDB store: read the counter and write the state in one read-write transaction. */
export function idbEpochFence(epoch: number, db: UseStore = createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME)): EpochFence {
  return (state) => db('readwrite', (store) => {
    let wrote = false;
    const read = store.get(PERSIST_EPOCH_KEY);
    read.onsuccess = () => {
      if (!mayWrite(read.result, epoch)) return;
      store.put(state, PERSIST_STATE_KEY);
      wrote = true;
    };
    return promisifyRequest(store.transaction).then(() => wrote);
  });
}

/** The persisted state, unless `seed` (what the tab holds) is newer. */
export function preferNewer(saved: unknown, seed: StateFull | null | undefined, now: number): unknown {
  if (!seed?.data) return saved;
  const checked = validatePersistedState(saved);
  if (checked.ok && checked.value.state.version >= seed.version) return saved;
  return { state: { ...seed, stale: true }, nextToken: null, savedAt: now, engineId: 'seed' } satisfies PersistedState;
}

/**
 * @example
 * const store = new LeaderStore(new IdbStateStore(2000), idbEpochFence(epoch), tabState, Date.now);
 */
export class LeaderStore implements StateStore {
  constructor(private readonly inner: StateStore, private readonly fence: EpochFence | null,
    private readonly seed: StateFull | null | undefined, private readonly now: () => number) {}

  async load(): Promise<unknown> {
    return preferNewer(await within(this.inner.load(), STORE_READ_DEADLINE_MS, undefined), this.seed, this.now());
  }

  async save(state: PersistedState): Promise<void> {
    if (this.fence) await this.fence(state);
    else await this.inner.save(state);
  }

  appendLogs(records: LogRecord[]): Promise<void> {
    return this.inner.appendLogs(records);
  }

  loadLogs(): Promise<LogRecord[]> {
    return within(this.inner.loadLogs(), STORE_READ_DEADLINE_MS, []);
  }
}
