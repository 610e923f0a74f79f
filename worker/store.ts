/**
 * Where the engine keeps its state and logs across restarts. The SharedWorker host uses IndexedDB
 * (`idb-store.ts`); tests and hosts without storage use `MemoryStore`.
 */
import type { LogRecord, PersistedState } from '../shared/protocol';

export interface StateStore {
  /** The last saved state (unvalidated: the engine checks it). */
  load(): Promise<unknown>;
  save(state: PersistedState): Promise<void>;
  /** Appends to the persisted log, keeping only the newest entries up to the store's cap. */
  appendLogs(records: LogRecord[]): Promise<void>;
  loadLogs(): Promise<LogRecord[]>;
}

/**
 * @example
 * const engine = new Engine({ ..., store: new MemoryStore(2000) });
 */
export class MemoryStore implements StateStore {
  state: unknown;
  logs: LogRecord[] = [];
  saves = 0;

  constructor(private readonly logCap = 2_000) {}

  async load(): Promise<unknown> {
    return this.state === undefined ? undefined : structuredClone(this.state);
  }

  async save(state: PersistedState): Promise<void> {
    this.saves++;
    this.state = structuredClone(state);
  }

  async appendLogs(records: LogRecord[]): Promise<void> {
    this.logs = [...this.logs, ...records].slice(-this.logCap);
  }

  async loadLogs(): Promise<LogRecord[]> {
    return [...this.logs];
  }
}
