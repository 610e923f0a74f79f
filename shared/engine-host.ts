/**
 * How a page hosts the engine itself (the BroadcastChannel leader, or the in-page transport). The engine ships as its
 * own bundle, `connect-engine.js`, loaded with a `<script>` only by a page that needs it (a follower never does), so
 * `connect-streams.js` stays small and `client/` never imports `worker/`. The bundle installs
 * `globalThis[ENGINE_HOST_GLOBAL]`, an `EngineHostFactory`.
 */
import type { FollowerMessage, ServerOutput } from './broadcast-protocol';
import type { EngineEndpoint } from './endpoint';
import type { StateFull, TransportKind } from './protocol';

/** The global the engine bundle installs. */
export const ENGINE_HOST_GLOBAL = 'ConnectSyncEngine';
/** The engine bundle's file name, beside `connect-streams.js` (unhashed, like the worker's). */
export const ENGINE_BUNDLE_FILE = 'connect-engine.js';

/** The part of the Web Locks API the host needs (tab liveness): `navigator.locks` in a page. */
export interface HostLocks {
  request(name: string, options: { mode?: 'exclusive' | 'shared'; signal?: AbortSignal }, cb: () => unknown): Promise<unknown>;
  query?(): Promise<{ held?: { name?: string }[] }>;
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

/** True when `x` looks like the factory the bundle installs. */
export function isEngineHostFactory(x: unknown): x is EngineHostFactory {
  return typeof x === 'object' && x !== null && typeof (x as EngineHostFactory).createHost === 'function';
}
