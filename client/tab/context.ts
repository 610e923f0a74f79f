/**
 * The tab's runtime context: the bus, the state, the logger and the link to the engine that every API object reads
 * at call time. It belongs to the current `TabSession` (`session.ts`): the session's link sets `upstream`, feeds
 * `state.apply(…)` and triggers every engine event on `bus`; `resetContext()` ends the session and starts over.
 */
import type { MasterMethod, MasterResult } from '../../shared/protocol';
import type { EventBus } from '../api/event-bus';
import type { Logger } from '../api/log';
import type { TabState } from '../api/state';
import { currentSession, renewSession } from './session';

export { setEventPayloads } from './session';

/** What the API objects need from the engine link. */
export interface Upstream {
  /** A CTI request (`acceptContact`, …); resolves with its data, rejects with a `WireError`. Always settles. */
  request(method: string, params: Record<string, unknown>): Promise<unknown>;
  master(method: MasterMethod, topic: string): Promise<MasterResult>;
  /** Sends `event` with `data` to every tab, this one included. */
  broadcast(event: string, data?: unknown): void;
  /** Asks the engine to re-read the agent configuration now. */
  reloadConfiguration(): void;
}

export interface TabContext {
  readonly bus: EventBus;
  readonly state: TabState;
  readonly log: Logger;
  upstream: Upstream | null;
  /** The agent's mute status as last broadcast (`mute` events), the same in every tab that saw it. */
  muted: boolean;
}

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
