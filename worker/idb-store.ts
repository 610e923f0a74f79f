/**
 * `StateStore` on IndexedDB through idb-keyval: one database `connect-sync` with one store `state`, keys `state` and
 * `logs`. Tabs open the same store to render the persisted state before the engine answers.
 */
import { createStore, get, set, update, type UseStore } from 'idb-keyval';
import {
  PERSIST_DB_NAME, PERSIST_LOGS_KEY, PERSIST_STATE_KEY, PERSIST_STORE_NAME, type LogRecord, type PersistedState,
} from '../shared/protocol';
import type { StateStore } from './store';

/**
 * @example
 * const store = new IdbStateStore(2000);
 * await store.save(persisted);
 */
export class IdbStateStore implements StateStore {
  private readonly db: UseStore;

  constructor(private readonly logCap: number) {
    this.db = createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME);
  }

  load(): Promise<unknown> {
    return get(PERSIST_STATE_KEY, this.db);
  }

  save(state: PersistedState): Promise<void> {
    return set(PERSIST_STATE_KEY, state, this.db);
  }

  /** One read-write transaction (idb-keyval's `update`), so concurrent appends cannot lose entries. */
  appendLogs(records: LogRecord[]): Promise<void> {
    return update<LogRecord[]>(PERSIST_LOGS_KEY, (old) => [...(Array.isArray(old) ? old : []), ...records].slice(-this.logCap), this.db);
  }

  async loadLogs(): Promise<LogRecord[]> {
    const raw: unknown = await get(PERSIST_LOGS_KEY, this.db);
    return Array.isArray(raw) ? (raw as LogRecord[]) : [];
  }
}
