/**
 * The CRM side of delegated Web Locks: the CRM page takes Web Locks (and bumps the fallback's epoch counter) for the
 * CCP frame it embeds, which cannot use its own in a third-party context. Served only for that frame's window and
 * exact origin; every lock name is prefixed with the CCP origin (`frameLockPrefix`), so the frame can neither see nor
 * touch the page's other locks; all CRM tabs of this origin share the lock manager, hence one leader among their
 * CCP frames. In `connect-embed.js`, which `initCCP` loads: keep it small.
 */
import { createStore, get, update, type UseStore } from 'idb-keyval';
import { ErrorType, wireError } from '../../shared/protocol';
import {
  asFrameLockMessage, BRIDGE_SOURCE, LockBridgeType, type FrameLockMessage, type LockCallMessage, type LockRequestMessage,
  type ParentLockMessage, type WithoutSource,
} from './bridge-protocol';
import { toWireError } from '../../shared/errors';

/** Locks one frame instance may hold or wait for at once: its leader lock, the steal guard, a liveness lock per tab
 * of its page (2) and, as leader, one liveness watch per tab of the browser. A thousand is far above any real
 * desktop and still bounds what a misbehaving frame can queue. */
export const MAX_FRAME_LOCKS = 1000;

/** Every name the frame uses is prefixed with this (the CCP origin), inside the CRM origin's lock manager. */
export function frameLockPrefix(ccpOrigin: string): string {
  return `connect-sync:frame:${ccpOrigin}:`;
}

/** The slice of `navigator.locks` the service uses (a fake in tests). */
export interface PageLocks {
  request(name: string, options: LockOptions, cb: (lock: Lock | null) => unknown): Promise<unknown>;
  query(): Promise<LockManagerSnapshot>;
}

/** The fallback's epoch counter, kept for the frame in this page's origin. */
export interface FrameEpochs {
  read(): Promise<number>;
  bump(atLeast: number): Promise<number>;
}

/** The counter in this origin's IndexedDB, one key per CCP origin; `update` runs in one read-write transaction, so
 * two CRM tabs never hand out the same epoch. */
export function idbFrameEpochs(ccpOrigin: string): FrameEpochs {
  let db: UseStore | null = null;
  const store = (): UseStore => (db ??= createStore('connect-sync-frames', 'epochs'));
  return {
    read: async () => { const v: unknown = await get(ccpOrigin, store()); return typeof v === 'number' ? v : 0; },
    async bump(atLeast) {
      let next = 0;
      await update<number>(ccpOrigin, (old) => (next = Math.max(typeof old === 'number' ? old : 0, atLeast) + 1), store());
      return next;
    },
  };
}

export interface FrameLockServiceOptions {
  ccpOrigin: string;
  /** True for the embedded CCP frame's window (`event.source`). */
  isFrame(source: unknown): boolean;
  /** Posts to the frame, at the CCP origin. */
  post(msg: ParentLockMessage): void;
  locks: PageLocks;
  epochs: FrameEpochs;
}

interface Entry {
  controller: AbortController;
  /** Ends the callback (gives the lock back); set once granted. */
  release?: () => void;
}

/**
 * @example
 * const service = new FrameLockService({ ccpOrigin, isFrame: (s) => s === frame.contentWindow,
 *   post: (m) => frame.contentWindow?.postMessage(m, ccpOrigin), locks: navigator.locks, epochs: idbFrameEpochs(ccpOrigin) });
 * addEventListener('message', (e) => service.onMessage(e));
 */
export class FrameLockService {
  private session: string | null = null;
  private readonly entries = new Map<number, Entry>();
  private readonly prefix: string;

  constructor(private readonly o: FrameLockServiceOptions) {
    this.prefix = frameLockPrefix(o.ccpOrigin);
  }

  /** A window `message` event: acted on only when it comes from the frame's window and origin. */
  onMessage(e: { source: unknown; origin: string; data: unknown }): void {
    if (!this.o.isFrame(e.source) || e.origin !== this.o.ccpOrigin) return;
    const msg = asFrameLockMessage(e.data);
    if (msg) this.handle(msg);
  }

  /** Gives back everything the frame holds and drops its waiting requests (the page goes, or the frame reloaded). */
  releaseAll(): void {
    for (const entry of this.entries.values()) this.drop(entry);
    this.entries.clear();
  }

  private handle(msg: FrameLockMessage): void {
    if (msg.session !== this.session) {
      // A new frame instance (first message, or the frame reloaded): nothing of the previous one survives.
      this.releaseAll();
      this.session = msg.session;
    }
    switch (msg.type) {
      case LockBridgeType.REQUEST:
        this.request(msg);
        return;
      case LockBridgeType.RELEASE: {
        const entry = this.entries.get(msg.lid);
        this.entries.delete(msg.lid);
        if (entry) this.drop(entry);
        return;
      }
      default:
        void this.call(msg);
    }
  }

  private drop(entry: Entry): void {
    if (entry.release) entry.release();
    else entry.controller.abort();
  }

  private request(msg: LockRequestMessage): void {
    const { lid } = msg;
    if (this.entries.has(lid)) return; // ids are never reused by one frame instance
    if (this.entries.size >= MAX_FRAME_LOCKS) {
      this.send({ type: LockBridgeType.END, lid, error: wireError(ErrorType.VALIDATION, `more than ${MAX_FRAME_LOCKS} locks at once`) });
      return;
    }
    const entry: Entry = { controller: new AbortController() };
    this.entries.set(lid, entry);
    const options: LockOptions = msg.steal ? { mode: 'exclusive', steal: true }
      : { mode: msg.mode, ifAvailable: msg.ifAvailable, signal: entry.controller.signal };
    let request: Promise<unknown>;
    try {
      request = this.o.locks.request(this.prefix + msg.name, options, (lock) => {
        if (this.entries.get(lid) !== entry) return undefined; // released while the grant was on its way
        this.send({ type: LockBridgeType.GRANT, lid, held: !!lock });
        if (!lock) {
          this.entries.delete(lid);
          return undefined;
        }
        return new Promise<void>((resolve) => { entry.release = resolve; });
      });
    } catch (e) {
      request = Promise.reject(e);
    }
    request.then(
      () => { if (this.entries.get(lid) === entry) this.entries.delete(lid); },
      (e: unknown) => {
        // Stolen by another tab's frame, or refused: tell the frame, unless it gave the lock up itself. The error keeps
        // its DOMException name (`AbortError` for a steal).
        if (this.entries.get(lid) !== entry) return;
        this.entries.delete(lid);
        this.send({ type: LockBridgeType.END, lid, error: toWireError(e, { keepName: true }) });
      },
    );
  }

  private async call(msg: LockCallMessage): Promise<void> {
    const { id } = msg;
    try {
      const value = await this.answer(msg);
      this.send({ type: LockBridgeType.REPLY, id, ok: true, value });
    } catch (e) {
      this.send({ type: LockBridgeType.REPLY, id, ok: false, error: toWireError(e) });
    }
  }

  private async answer(msg: LockCallMessage): Promise<unknown> {
    switch (msg.op) {
      case 'offer':
        return { locks: true };
      case 'query': {
        const snapshot = await this.o.locks.query();
        return { held: this.ours(snapshot.held), pending: this.ours(snapshot.pending) };
      }
      case 'epoch-read':
        return this.o.epochs.read();
      default:
        return this.o.epochs.bump(msg.atLeast ?? 0);
    }
  }

  /** The frame's locks only, under the names it gave them. */
  private ours(list: LockInfo[] | undefined): { name: string; mode?: string; clientId?: string }[] {
    return (list ?? []).filter((l) => l.name?.startsWith(this.prefix))
      .map((l) => ({ name: l.name!.slice(this.prefix.length), mode: l.mode, clientId: l.clientId }));
  }

  private send(msg: WithoutSource<ParentLockMessage>): void {
    this.o.post({ source: BRIDGE_SOURCE, ...msg } as ParentLockMessage);
  }
}
