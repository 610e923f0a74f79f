/**
 * One interface between the `connect` API and an engine, whatever carries the messages: a SharedWorker port
 * (default), a BroadcastChannel to a leader tab (fallback), a direct call (in-page), or the CCP frame relaying for a
 * CRM page on another origin (iframe bridge).
 */
import type { Down, Hello, TransportKind, Up, Welcome, WireError } from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import { ErrorType, wireError } from '../../shared/protocol';
import { toWireError } from '../../shared/errors';

/** What a page can tell about its transport (`connect.core.getTransportInfo()`, the `transport` event). */
export interface TransportInfo {
  transport: TransportKind;
  /** Leadership epoch of the engine this tab uses (broadcast only). */
  epoch?: number;
  /** This page hosts the engine as the leader (broadcast only). */
  leader?: boolean;
}

export interface Transport {
  readonly kind: TransportKind;
  /**
   * Connects and registers the tab; resolves with the engine's welcome, rejects with a `WireError`. A transport
   * that can move the tab to another engine later (the broadcast fallback on a leader change) hands the new
   * engine's welcome to `onReconnect`, before any message of that engine. Every down message is validated on
   * receipt (`receiveDown` in shared/validate-down.ts): a malformed one never reaches `onDown`, its typed error goes to
   * `onInvalid` (the tab logs it) and the next message is delivered as usual.
   */
  connect(hello: Hello, onDown: (msg: Down) => void, onReconnect?: (welcome: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome>;
  /**
   * Says the connected tab's hello again to the same engine (after its liveness lock was stolen and re-taken, the
   * engine may have dropped it) and resolves with the new welcome; settles within a deadline. Optional: a transport
   * without it relies on the engine keeping a tab that waits for its own lock (see worker/lock-liveness.ts).
   */
  rejoin?(): Promise<Welcome>;
  /** Sends one up message; settles within `timeoutMs` (rejects with a `TimeoutError`) whatever the engine does. */
  post(msg: Up, timeoutMs: number): Promise<PostResult>;
  /** Best-effort, no answer expected (e.g. `bye` from `pagehide`). */
  send(msg: Up): void;
  close(): void;
  info?(): TransportInfo;
}

/** Settles `p` within `ms`: a call into another context that never answers (dead tab, paused worker) must not hang. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(wireError(ErrorType.TIMEOUT, `${what} did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(toWireError(e)); },
    );
  });
}

/** A random id for tabs and requests (crypto where available). */
export function randomId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
