/**
 * The CCP-frame side of delegated Web Locks (see `frame-lock-service.ts` for the CRM side): a `LockManager`-like
 * object whose locks are taken by the parent page, and the fallback's epoch counter kept there. Used by a CCP frame
 * on another site, where `navigator.locks` and IndexedDB are denied: leader election, the steal guard, tab liveness
 * (held and watched) and the deposed-leader fence all go through it unchanged. Talks only to the parent window, at
 * its exact origin, and accepts only that window's messages from that origin.
 */
import {
  asParentLockMessage, BRIDGE_SOURCE, LockBridgeType, type FrameLockMessage, type WithoutSource, type LockCallOp, type LockEndMessage,
} from './bridge-protocol';
import type { EpochCounter } from '../fallback/epoch-counter';
import type { LocksLike } from '../fallback/leader-election';
import { randomId, withDeadline } from '../tab/transport';

/** The parent answers `offer` from its message handler, in the same process: a CRM page still busy loading can
 * take a moment, but two seconds without an answer means it does not serve locks (an older library, say). */
export const PARENT_LOCKS_OFFER_TIMEOUT_MS = 2000;
/** Queries and epoch calls are answered at once (IndexedDB for the epoch: milliseconds); a stuck one fails
 * rather than hanging an election or a backend call. */
export const PARENT_LOCKS_CALL_TIMEOUT_MS = 5000;

/** How the frame reaches its parent (a fake in tests). */
export interface ParentPort {
  post(msg: FrameLockMessage): void;
  /** Subscribes to messages already checked to come from the parent window and origin; returns the unsubscribe. */
  listen(f: (data: unknown) => void): () => void;
}

/** The window's parent at `parentOrigin`, as a `ParentPort`. */
export function windowParentPort(parentOrigin: string): ParentPort {
  return {
    post: (msg) => window.parent.postMessage(msg, parentOrigin),
    listen(f) {
      const listener = (e: MessageEvent): void => { if (e.source === window.parent && e.origin === parentOrigin) f(e.data); };
      addEventListener('message', listener);
      return () => removeEventListener('message', listener);
    },
  };
}

interface Waiting {
  name: string;
  mode: LockMode;
  cb: (lock: Lock | null) => unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  granted: boolean;
  /** Rejected already (aborted before the grant, or stolen). */
  done: boolean;
  unlisten?: () => void;
}

/**
 * @example
 * const delegated = await ParentLocks.connect(windowParentPort(parentOrigin));
 * if (delegated) await delegated.locks.request(LEADER_LOCK_NAME, {}, async () => lead());
 */
export class ParentLocks implements LocksLike {
  private readonly session = randomId();
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private readonly unlisten: () => void;
  readonly locks: LocksLike = this;
  readonly epochs: EpochCounter = {
    read: () => this.call('epoch-read').then((v) => (typeof v === 'number' ? v : null), () => null),
    bump: async (atLeast) => {
      const v = await this.call('epoch-bump', Math.max(0, Math.floor(atLeast)));
      if (typeof v !== 'number') throw new Error('bad epoch from the parent page');
      return v;
    },
  };

  constructor(private readonly port: ParentPort, private readonly callTimeoutMs = PARENT_LOCKS_CALL_TIMEOUT_MS) {
    this.unlisten = port.listen((data) => this.receive(data));
  }

  /** Resolves the delegated locks when the parent serves them within `timeoutMs`, else null. */
  static async connect(port: ParentPort, timeoutMs = PARENT_LOCKS_OFFER_TIMEOUT_MS): Promise<ParentLocks | null> {
    const p = new ParentLocks(port);
    const offered = await withDeadline(p.call('offer'), timeoutMs, 'parent page (locks)').then(
      (v) => (v as { locks?: unknown } | null)?.locks === true, () => false);
    if (offered) return p;
    p.close();
    return null;
  }

  request(name: string, options: LockOptions, cb: (lock: Lock | null) => unknown): Promise<unknown> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const lid = this.nextId++;
    const mode: LockMode = options.mode ?? 'exclusive';
    return new Promise<unknown>((resolve, reject) => {
      const w: Waiting = { name, mode, cb, resolve, reject, granted: false, done: false };
      this.waiting.set(lid, w);
      if (signal) {
        const onAbort = (): void => {
          if (w.granted || w.done) return;
          this.finish(lid, w);
          this.send({ type: LockBridgeType.RELEASE, session: this.session, lid });
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort);
        w.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.send({ type: LockBridgeType.REQUEST, session: this.session, lid, name, mode,
        ifAvailable: !!options.ifAvailable, steal: !!options.steal });
    });
  }

  async query(): Promise<LockManagerSnapshot> {
    const v = await this.call('query') as LockManagerSnapshot | null;
    return { held: Array.isArray(v?.held) ? v.held : [], pending: Array.isArray(v?.pending) ? v.pending : [] };
  }

  /** Stops listening; the parent drops this instance's locks when the frame goes (or a new instance speaks). */
  close(): void {
    this.unlisten();
    for (const c of this.calls.values()) c.reject(new DOMException('the parent locks were closed', 'AbortError'));
    this.calls.clear();
  }

  private call(op: LockCallOp, atLeast?: number): Promise<unknown> {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.calls.set(id, { resolve, reject }));
    this.send({ type: LockBridgeType.CALL, session: this.session, id, op, ...(atLeast !== undefined ? { atLeast } : {}) });
    return withDeadline(answer, this.callTimeoutMs, `parent page (${op})`).finally(() => this.calls.delete(id));
  }

  private send(msg: WithoutSource<FrameLockMessage>): void {
    this.port.post({ source: BRIDGE_SOURCE, ...msg } as FrameLockMessage);
  }

  private receive(data: unknown): void {
    const m = asParentLockMessage(data);
    if (!m) return;
    if (m.type === LockBridgeType.REPLY) {
      const c = this.calls.get(m.id);
      if (c) { if (m.ok) c.resolve(m.value); else c.reject(m.error); }
      return;
    }
    const w = this.waiting.get(m.lid);
    if (!w || w.done) return; // given up already (the parent dropped it too)
    if (m.type === LockBridgeType.GRANT) this.granted(m.lid, w, m.held);
    else this.ended(m.lid, w, m);
  }

  private granted(lid: number, w: Waiting, held: boolean): void {
    if (w.granted) return;
    w.granted = true;
    w.unlisten?.();
    if (!held) this.waiting.delete(lid);
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(w.cb(held ? { name: w.name, mode: w.mode } : null));
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (v) => { this.settled(lid, held); if (!w.done) w.resolve(v); w.done = true; },
      (e: unknown) => { this.settled(lid, held); if (!w.done) w.reject(e); w.done = true; },
    );
  }

  /** The callback settled: give the lock back. */
  private settled(lid: number, held: boolean): void {
    if (!held) return;
    this.waiting.delete(lid);
    this.send({ type: LockBridgeType.RELEASE, session: this.session, lid });
  }

  /** The parent ended the request: stolen while held (the callback runs on, as with `navigator.locks`), or refused. */
  private ended(lid: number, w: Waiting, m: LockEndMessage): void {
    if (!w.granted) this.finish(lid, w);
    w.done = true;
    w.reject(new DOMException(m.error.message, m.error.type));
  }

  private finish(lid: number, w: Waiting): void {
    w.done = true;
    w.unlisten?.();
    this.waiting.delete(lid);
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the request was aborted', 'AbortError');
}
