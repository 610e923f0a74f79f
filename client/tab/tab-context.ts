/**
 * What a tab's context is: the bus, the state, the logger and the link to the engine (`Upstream`) that every API
 * object reads at call time. Only the shape, apart from `context.ts` (which finds the current one through the
 * session), so that the session, which owns a context, and the chunks that take one need not import the accessors.
 */
import type { MasterMethod, MasterResult } from '../../shared/protocol';
import type { EventBus } from '../api/event-bus';
import type { Logger } from '../api/log';
import type { TabState } from '../api/state';

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
