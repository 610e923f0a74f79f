/**
 * The tab's runtime context: the bus, the state, the logger and the link to the engine that every API object reads
 * at call time. The transport (core) calls `setUpstream`, feeds `state.apply(…)` and triggers every engine event
 * on `bus`; `resetContext()` starts over (terminate).
 */
import { EventType, AgentEvents } from '../../shared/enums';
import type { MasterMethod, MasterResult } from '../../shared/protocol';
import { EventBus } from '../api/event-bus';
import { getLog, type Logger } from '../api/log';
import { TabState, type EventPayloads, RAW_PAYLOADS } from '../api/state';

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

let payloads: EventPayloads = RAW_PAYLOADS;

function createContext(): TabContext {
  const log = getLog();
  const bus = new EventBus({ logger: log });
  const ctx: TabContext = { bus, state: new TabState(bus, payloads, log), log, upstream: null, muted: false };
  installMuteBridge(ctx);
  return ctx;
}

/** A `mute` broadcast (from `agent.mute()` in any tab) becomes the shared mute status and `agent::mute_toggle`. */
function installMuteBridge(ctx: TabContext): void {
  ctx.bus.subscribe(EventType.MUTE, (data: unknown) => {
    const mute = (data as { mute?: unknown } | null)?.mute;
    if (typeof mute !== 'boolean') {
      ctx.log.warn('Ignoring a mute event without a boolean "mute" field');
      return;
    }
    ctx.muted = mute;
    ctx.bus.trigger(AgentEvents.MUTE_TOGGLE, { muted: mute });
  });
}

let ctx: TabContext = createContext();

/**
 * The current context.
 *
 * @example
 * const { state, bus } = getContext();
 */
export function getContext(): TabContext {
  return ctx;
}

/** Connects the API objects to the engine (null: disconnected; actions then fail with `NotConnectedError`). */
export function setUpstream(upstream: Upstream | null): void {
  ctx.upstream = upstream;
}

/** Drops every subscription and all state and starts a fresh context (terminate). The logger is kept. */
export function resetContext(): TabContext {
  ctx.bus.unsubscribeAll();
  ctx.state.reset();
  ctx = createContext();
  return ctx;
}

/** Installs how raised events are turned into API objects (done once by the API module). */
export function setEventPayloads(p: EventPayloads): void {
  payloads = p;
  ctx.state.payloads = p;
}
