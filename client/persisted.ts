/**
 * Reads the state the engine persisted (idb-keyval, same origin), so a new tab renders at once, marked stale,
 * before the engine answers.
 */
import { createStore, get } from 'idb-keyval';
import { PERSIST_DB_NAME, PERSIST_STATE_KEY, PERSIST_STORE_NAME, type StateFull } from '../shared/protocol';
import { validatePersistedState } from '../shared/validate';

export async function readPersistedState(): Promise<StateFull | null> {
  if (typeof indexedDB === 'undefined') return null;
  const saved = await get<unknown>(PERSIST_STATE_KEY, createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME));
  if (saved === undefined) return null;
  const checked = validatePersistedState(saved);
  if (!checked.ok || !checked.value.state.data) return null;
  return { ...checked.value.state, stale: true };
}
