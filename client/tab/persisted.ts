/**
 * Reads the state the engine persisted (idb-keyval, same origin), so a new tab renders at once, marked stale,
 * before the engine answers. A record that fails validation, or a read that does not answer in time, renders nothing.
 */
import { createStore, get } from 'idb-keyval';
import { PERSIST_DB_NAME, PERSIST_STATE_KEY, PERSIST_STORE_NAME, type StateFull } from '../../shared/protocol';
import { validatePersistedState } from '../../shared/validate';

/** An IndexedDB read takes milliseconds; one pending after 2 s is blocked by another context's transaction and may
 * never settle. The tab then connects without it: the engine's welcome carries the state anyway. */
export const PERSISTED_READ_DEADLINE_MS = 2_000;

function readStore(): Promise<unknown> {
  return get<unknown>(PERSIST_STATE_KEY, createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME));
}

export async function readPersistedState(read: (() => Promise<unknown>) | null = typeof indexedDB === 'undefined' ? null : readStore): Promise<StateFull | null> {
  if (!read) return null;
  const saved = await new Promise<unknown>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), PERSISTED_READ_DEADLINE_MS);
    read().then((v) => { clearTimeout(timer); resolve(v); }, () => { clearTimeout(timer); resolve(undefined); });
  });
  if (saved === undefined) return null;
  const checked = validatePersistedState(saved);
  if (!checked.ok || !checked.value.state.data) return null;
  return { ...checked.value.state, stale: true };
}
