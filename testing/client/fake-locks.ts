/**
 * An in-memory Web Locks manager for unit tests: exclusive locks with a FIFO queue, `ifAvailable`, `steal`
 * (the old holder's request rejects with `AbortError`) and `signal`, and a `query()` naming each holder's client.
 * A client can be frozen: nothing reaches it (grants, rejections) until it thaws, as in a frozen page.
 */
import type { LocksLike } from '../../client/fallback/leader-election';

interface Req {
  client: FakeLockClient;
  name: string;
  cb: (lock: Lock | null) => unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  signal?: AbortSignal;
}

const abortError = (message: string) => Object.assign(new Error(message), { name: 'AbortError' });

export class FakeLockManager {
  private readonly held = new Map<string, Req>();
  private readonly queue: Req[] = [];

  client(id: string): FakeLockClient {
    return new FakeLockClient(this, id);
  }

  holderOf(name: string): string | undefined {
    return this.held.get(name)?.client.id;
  }

  /** @internal */
  request(client: FakeLockClient, name: string, options: LockOptions, cb: (lock: Lock | null) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req: Req = { client, name, cb, resolve, reject, signal: options.signal ?? undefined };
      if (options.signal?.aborted) { reject(abortError('aborted')); return; }
      if (options.steal) {
        const old = this.held.get(name);
        if (old) {
          this.held.delete(name);
          old.client.deliver(() => old.reject(abortError('the lock was stolen')));
        }
        this.grant(req);
        return;
      }
      if (options.ifAvailable && (this.held.has(name) || this.queue.some((q) => q.name === name))) {
        client.deliver(() => { Promise.resolve(cb(null)).then(resolve, reject); });
        return;
      }
      options.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(req);
        if (i >= 0) { this.queue.splice(i, 1); reject(abortError('aborted')); }
      });
      this.queue.push(req);
      this.pump();
    });
  }

  query(): LockManagerSnapshot {
    const info = (r: Req): LockInfo => ({ name: r.name, mode: 'exclusive', clientId: r.client.id });
    return { held: [...this.held.values()].map(info), pending: this.queue.map(info) };
  }

  /** A client went away (tab closed or crashed): its locks are released, its requests dropped. */
  drop(client: FakeLockClient): void {
    for (const [name, r] of [...this.held]) if (r.client === client) this.held.delete(name);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.client === client) this.queue.splice(i, 1);
    this.pump();
  }

  private pump(): void {
    for (const req of [...this.queue]) {
      if (this.held.has(req.name)) continue;
      this.queue.splice(this.queue.indexOf(req), 1);
      this.grant(req);
    }
  }

  private grant(req: Req): void {
    this.held.set(req.name, req);
    req.client.deliver(() => {
      let result: unknown;
      try {
        result = req.cb({ name: req.name, mode: 'exclusive' } as Lock);
      } catch (e) {
        result = Promise.reject(e);
      }
      Promise.resolve(result).then(
        (v) => this.release(req, () => req.resolve(v)),
        (e: unknown) => this.release(req, () => req.reject(e)),
      );
    });
  }

  private release(req: Req, settle: () => void): void {
    if (this.held.get(req.name) === req) {
      this.held.delete(req.name);
      this.pump();
      settle();
    }
    // a stolen lock's request was rejected already
  }
}

export class FakeLockClient implements LocksLike {
  private frozen: (() => void)[] | null = null;

  constructor(private readonly manager: FakeLockManager, readonly id: string) {}

  request(name: string, optionsOrCb: LockOptions | ((lock: Lock | null) => unknown), maybeCb?: (lock: Lock | null) => unknown): Promise<unknown> {
    const options = typeof optionsOrCb === 'function' ? {} : optionsOrCb;
    const cb = typeof optionsOrCb === 'function' ? optionsOrCb : maybeCb!;
    return this.manager.request(this, name, options, cb);
  }

  async query(): Promise<LockManagerSnapshot> {
    return this.manager.query();
  }

  freeze(): void {
    this.frozen ??= [];
  }

  thaw(): void {
    const queued = this.frozen ?? [];
    this.frozen = null;
    for (const f of queued) f();
  }

  /** @internal */
  deliver(f: () => void): void {
    if (this.frozen) this.frozen.push(f);
    else queueMicrotask(f);
  }
}
