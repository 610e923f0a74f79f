/**
 * How a page hosts the engine itself (the BroadcastChannel leader, or the in-page transport). The engine is its own
 * chunk, `connect-engine.js` (`worker/page-host.ts`), loaded with `import()` only by a page that needs it (a
 * follower never does), so `connect-streams.js` stays small; `client/` reaches `worker/` only through that one
 * `import()` (`loadEngine` in `client/tab/on-demand.ts`) and these types.
 */
import type { FollowerMessage, ServerOutput } from './broadcast-protocol';
import type { EngineEndpoint } from './endpoint';
import type { StateFull, TransportKind } from './protocol';

/** The part of the Web Locks API the host needs (tab liveness): `navigator.locks` in a page. */
export interface HostLocks {
  request(name: string, options: { mode?: 'exclusive' | 'shared'; signal?: AbortSignal }, cb: () => unknown): Promise<unknown>;
  query?(): Promise<{ held?: { name?: string }[]; pending?: { name?: string }[] }>;
}

export interface EngineHostOptions {
  transport: TransportKind;
  /** Leadership epoch (broadcast only). Persisted state is written only while the epoch counter still equals it. */
  epoch?: number;
  /** The CCP origin: the engine calls `<origin>/api` and `<origin>/auth/authorize` (cookies). */
  origin: string;
  /** For tab liveness (per-tab locks); without it only `bye` reports departures. */
  locks?: HostLocks;
  /** Asked before every backend call: once it answers false (leadership lost), calls fail with
   * `LeaderChangedError` and never reach the backend, so a deposed leader that wakes up polls nothing. */
  isLeader?: () => Promise<boolean>;
  /** The state this page already holds, used instead of the persisted one when newer (the persisted copy may lag
   * behind by one write-coalescing window), so tabs see no step back and no repeated events on failover. */
  seed?: StateFull | null;
  /** Where state and logs persist: IndexedDB (default), or memory where IndexedDB is denied (a third-party frame);
   * a new leader then starts from its own tab's state (`seed`). */
  storage?: 'indexeddb' | 'memory';
  /** A session to start with (the one the previous leader used, where there are no cookies to fetch one); asked
   * for before the auth provider, once. */
  session?: { accessToken: string; expiration?: number } | null;
}

/** The leader's side of the channel: takes follower messages, emits answers and down messages. */
export interface ChannelServer {
  receive(msg: FollowerMessage): void;
  /** Stops emitting (leadership lost); pending answers are dropped, followers re-send to the next leader. */
  close(): void;
}

export interface EngineHost {
  readonly engineId: string;
  /** A fresh endpoint for one tab of this page (bound to a tab id by its first hello). */
  endpoint(): EngineEndpoint;
  /** Serves followers: `emit` carries the server's output to the channel. */
  serve(emit: (out: ServerOutput) => void): ChannelServer;
  /** Stops polling and timers and writes what is pending (fenced by the epoch). Idempotent. */
  stop(): Promise<void>;
}

export interface EngineHostFactory {
  createHost(options: EngineHostOptions): EngineHost;
}
