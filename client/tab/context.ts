/**
 * The tab's runtime context: the bus, the state, the logger and the link to the engine that every API object reads
 * at call time. It belongs to the current `TabSession` (`session.ts`): the session's link sets `upstream`, feeds
 * `state.apply(…)` and triggers every engine event on `bus`; `resetContext()` ends the session and starts over.
 */
import { currentSession, renewSession } from './session';
import type { TabContext, Upstream } from './tab-context';

export { setEventPayloads } from './session';
export type { TabContext, Upstream } from './tab-context';

/**
 * The current context.
 *
 * @example
 * const { state, bus } = getContext();
 */
export function getContext(): TabContext {
  return currentSession().context;
}

/** Connects the API objects to the engine (null: disconnected; actions then fail with `NotConnectedError`). */
export function setUpstream(upstream: Upstream | null): void {
  currentSession().context.upstream = upstream;
}

/** Ends the current session (every subscription, all state, whatever it started) and starts a fresh one. The logger
 * is kept. */
export function resetContext(): TabContext {
  return renewSession().context;
}
