/**
 * The engine's restore from persisted state: reads the last saved state and log lines once at start, each within a
 * deadline (a blocked IndexedDB read never settles), and validates the state like a wire message. A bad or
 * unreadable record is discarded with a warning; the engine then starts fresh. Never throws.
 */
import { LogLevel } from '../shared/enums';
import type { LogRecord, PersistedState } from '../shared/protocol';
import { validatePersistedState } from '../shared/validate';
import { validLogRecords } from '../shared/validate-up';
import type { StateStore } from './store';

/** What survived: the saved record (null when none, or none worth keeping) and the saved log lines. */
export interface Restored {
  saved: PersistedState | null;
  logs: LogRecord[];
}

/**
 * Reads `store` within `deadlineMs` (both reads start at once and share the one deadline, so a hung database delays
 * the start by one deadline at most).
 *
 * @example
 * const { saved, logs } = await readPersisted(store, timings.storeReadDeadlineMs, log);
 */
export async function readPersisted(store: Pick<StateStore, 'load' | 'loadLogs'>, deadlineMs: number,
  log: (level: LogLevel, text: string) => void): Promise<Restored> {
  const state = withinDeadline(store.load(), deadlineMs, 'persisted state');
  const logs = withinDeadline(store.loadLogs(), deadlineMs, 'persisted logs');
  logs.catch(() => undefined); // awaited below; not an unhandled rejection while the state is read
  const out: Restored = { saved: null, logs: [] };
  try {
    const raw = await state;
    const loaded = validatePersistedState(raw);
    if (loaded.ok) out.saved = loaded.value;
    else if (raw !== undefined) log(LogLevel.WARN, `persisted state discarded (${loaded.error.message}); starting fresh`);
  } catch (e) {
    log(LogLevel.WARN, `loading persisted state failed: ${String(e)}`);
  }
  try {
    out.logs = validLogRecords(await logs);
  } catch (e) {
    log(LogLevel.WARN, `loading persisted logs failed: ${String(e)}`);
  }
  return out;
}

/** `p`, or a rejection once `ms` passed (an IndexedDB read blocked by another context's transaction never settles). */
function withinDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms (${what}); starting without it`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}
