/**
 * The default transport: one SharedWorker per browser profile (per CCP origin), reached through Comlink on the
 * worker's port. The port is the tab's identity in the engine, so a tab can only ever speak for itself.
 */
import * as Comlink from 'comlink';
import type { EngineEndpoint, PostResult } from '../../shared/endpoint';
import { receiveDown } from '../../shared/validate-down';
import {
  ENGINE_LOCK_PREFIX, ErrorType, TransportKind, wireError, type Down, type Hello, type Up, type Welcome, type WireError,
} from '../../shared/protocol';
import { withDeadline, type Transport } from '../tab/transport';

/** The worker's name is part of its identity (URL + name): tabs of one origin meet in one worker. Its suffix is
 * `PROTOCOL_VERSION` (`client/wire-names.test.ts`), so after an incompatible change old and new tabs do not share a
 * worker: an old tab's worker outlives a deploy for as long as that tab stays open. */
export const SHARED_WORKER_NAME = 'connect-sync-v1';

/** How long a new SharedWorker may take to answer `hello` before we call it unavailable and fall back. Cold start
 * measured ~30 ms here (p50); a busy 2-core machine opening 20 tabs at once needs far more, so 5 s leaves room
 * without leaving a user staring at a blank CCP. */
export const HELLO_TIMEOUT_MS = 5000;

/** A released engine lock is looked at again after 250 ms (time for a live engine whose lock was stolen to queue for it
 * again, so that a theft costs no reconnect) and, while the engine stays missing or fails to answer,
 * retries back off from 250 ms to 10 s so a broken deployment is not hammered by every tab. */
export const RECONNECT_FIRST_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 10_000;

export interface SharedWorkerOptions {
  /** URL of `connect-shared-worker.js` (same origin as the page). */
  workerUrl: string;
  name?: string;
  helloTimeoutMs?: number;
}

/** Whether some context holds the engine's lock now (unknown without `query`: taken as not held). */
async function engineLockHeld(engineId: string): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.query) return false;
  const snapshot = await locks.query().catch(() => null);
  return !!snapshot?.held?.some((l) => l.name === ENGINE_LOCK_PREFIX + engineId);
}

export class SharedWorkerTransport implements Transport {
  readonly kind = TransportKind.SHARED_WORKER;
  private worker: SharedWorker | null = null;
  private remote: Comlink.Remote<EngineEndpoint> | null = null;
  private closed = false;
  private pushPort: MessagePort | null = null;
  private hello: Hello | null = null;
  private onDown: ((msg: Down) => void) | null = null;
  private onReconnect: ((welcome: Welcome) => void) | null = null;
  private onInvalid: ((error: WireError) => void) | undefined;
  private engineWatch: AbortController | null = null;

  constructor(private readonly options: SharedWorkerOptions) {}

  /** True when this browser context can construct a SharedWorker at all. */
  static isSupported(): boolean {
    return typeof SharedWorker === 'function';
  }

  async connect(hello: Hello, onDown: (msg: Down) => void, onReconnect?: (welcome: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome> {
    this.hello = hello;
    this.onDown = onDown;
    this.onReconnect = onReconnect ?? null;
    this.onInvalid = onInvalid;
    const welcome = await this.open();
    this.watchEngine(welcome.engineId);
    return welcome;
  }

  /** Starts (or joins) the worker and says hello on a fresh port. */
  private async open(): Promise<Welcome> {
    if (!SharedWorkerTransport.isSupported()) throw wireError(ErrorType.NOT_CONNECTED, 'SharedWorker is not available');
    let worker: SharedWorker;
    try {
      worker = new SharedWorker(this.options.workerUrl, { name: this.options.name ?? SHARED_WORKER_NAME });
    } catch (e) {
      throw wireError(ErrorType.NOT_CONNECTED, `SharedWorker could not be constructed: ${(e as Error).message}`);
    }
    this.dropConnection();
    this.worker = worker;
    // A worker that cannot start (a cross-site frame, a script error) raises `error` on the worker object.
    const failed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', () => reject(wireError(ErrorType.NOT_CONNECTED, 'SharedWorker failed to start')), { once: true });
    });
    const remote = Comlink.wrap<EngineEndpoint>(worker.port);
    this.remote = remote;
    return this.sayHello(remote, failed);
  }

  /** Says hello on `remote` with a fresh push port (down messages arrive on a port of our own, see PushTarget). */
  private async sayHello(remote: Comlink.Remote<EngineEndpoint>, failed?: Promise<never>): Promise<Welcome> {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e: MessageEvent) => {
      if (this.remote !== remote || this.pushPort !== channel.port1) return;
      receiveDown(e.data, (msg) => this.onDown?.(msg), this.onInvalid);
    };
    const previous = this.pushPort;
    this.pushPort = channel.port1;
    const push = Comlink.transfer(channel.port2, [channel.port2]);
    const answer = await withDeadline(
      failed ? Promise.race([remote.hello(this.hello!, push), failed]) : remote.hello(this.hello!, push),
      this.options.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
      'SharedWorker hello',
    ) as Awaited<ReturnType<EngineEndpoint['hello']>>;
    if (previous && previous !== channel.port1) previous.close(); // the engine replaced the old push with this one
    if ('error' in answer) throw answer.error;
    return answer;
  }

  /** Hello again on the same port (the engine replaces the tab's push); no new SharedWorker. */
  async rejoin(): Promise<Welcome> {
    if (!this.remote || this.closed || !this.hello) throw wireError(ErrorType.NOT_CONNECTED, 'transport is not connected');
    return this.sayHello(this.remote);
  }

  /**
   * The engine holds the Web Lock `ENGINE_LOCK_PREFIX + engineId` for its whole life; queueing for it tells us, with
   * no timer, when the worker is gone (a renderer crash can take a SharedWorker down with it when both share a
   * process). A worker that is merely slow or paused keeps its lock, and is waited for (ACK_TIMEOUT tells the user).
   */
  private watchEngine(engineId: string): void {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks || this.closed) return;
    this.engineWatch?.abort();
    const watch = new AbortController();
    this.engineWatch = watch;
    locks.request(ENGINE_LOCK_PREFIX + engineId, { signal: watch.signal }, async () => {
      if (!watch.signal.aborted && !this.closed) void this.engineLockFreed(engineId, RECONNECT_FIRST_DELAY_MS);
    }).catch(() => { /* aborted: this tab closed or moved on */ });
  }

  /**
   * We were granted the engine's lock: the worker is gone — or a page of the origin stole the lock and let it go, the
   * live engine queueing for it again (worker/lock-liveness.ts `holdForever`). So wait, then look before replacing
   * anything: a lock held again means a live engine, watched anew; a free one means a new worker (or the same one, if
   * it is alive but has not re-taken its lock yet), and the next look backs off, so a theft costs at most one reconnect
   * per round and rounds get rarer (250 ms doubling to 10 s), never a storm.
   */
  private async engineLockFreed(engineId: string, delayMs: number): Promise<void> {
    await new Promise((r) => setTimeout(r, delayMs));
    if (this.closed) return;
    const next = Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS);
    if (await engineLockHeld(engineId)) {
      this.watchEngine(engineId);
      return;
    }
    try {
      const welcome = await this.open();
      this.onReconnect?.(welcome);
      if (welcome.engineId !== engineId) this.watchEngine(welcome.engineId);
      else void this.engineLockFreed(engineId, next); // alive, its lock not back yet: look again later
    } catch {
      void this.engineLockFreed(engineId, next);
    }
  }

  private dropConnection(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.port.close();
    this.pushPort?.close();
    this.pushPort = null;
    this.remote = null;
    this.worker = null;
  }

  post(msg: Up, timeoutMs: number): Promise<PostResult> {
    if (!this.remote || this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'transport is not connected'));
    return withDeadline(this.remote.post(msg) as Promise<PostResult>, timeoutMs, `engine (${msg.type})`);
  }

  send(msg: Up): void {
    if (!this.remote || this.closed) return;
    this.remote.post(msg).catch(() => { /* best effort: the liveness lock covers a lost goodbye */ });
  }

  close(): void {
    this.closed = true;
    this.engineWatch?.abort();
    this.dropConnection();
  }
}
