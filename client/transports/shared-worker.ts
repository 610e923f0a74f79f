/**
 * The default transport: one SharedWorker per browser profile (per CCP origin), reached through Comlink on the
 * worker's port. The port is the tab's identity in the engine, so a tab can only ever speak for itself.
 */
import * as Comlink from 'comlink';
import type { EngineEndpoint, PostResult } from '../../shared/endpoint';
import { decodeDown } from '../../shared/endpoint';
import { ENGINE_LOCK_PREFIX, ErrorType, TransportKind, wireError, type Down, type Hello, type Up, type Welcome } from '../../shared/protocol';
import { withDeadline, type Transport } from './transport';

/** The worker's name is part of its identity (URL + name): tabs of one origin meet in one worker. Bump the suffix
 * on an incompatible protocol change so old and new tabs do not share a worker. */
export const SHARED_WORKER_NAME = 'connect-sync-v1';

/** How long a new SharedWorker may take to answer `hello` before we call it unavailable and fall back. Cold start
 * measured ~30 ms here (p50); a busy 2-core machine opening 20 tabs at once needs far more, so 5 s leaves room
 * without leaving a user staring at a blank CCP. */
export const HELLO_TIMEOUT_MS = 5000;

/** A dead worker is replaced at once (its lock was released, so it is really gone); if the new one fails to answer,
 * retries back off from 250 ms to 10 s so a broken deployment is not hammered by every tab. */
export const RECONNECT_FIRST_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 10_000;

export interface SharedWorkerOptions {
  /** URL of `connect-shared-worker.js` (same origin as the page). */
  workerUrl: string;
  name?: string;
  helloTimeoutMs?: number;
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
  private engineWatch: AbortController | null = null;

  constructor(private readonly options: SharedWorkerOptions) {}

  /** True when this browser context can construct a SharedWorker at all. */
  static isSupported(): boolean {
    return typeof SharedWorker === 'function';
  }

  async connect(hello: Hello, onDown: (msg: Down) => void, onReconnect?: (welcome: Welcome) => void): Promise<Welcome> {
    this.hello = hello;
    this.onDown = onDown;
    this.onReconnect = onReconnect ?? null;
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
    // Down messages arrive on a port of our own, handed to the worker in the hello (see PushTarget).
    const channel = new MessageChannel();
    channel.port1.onmessage = (e: MessageEvent) => {
      const msg = decodeDown(e.data);
      if (msg && this.remote === remote) this.onDown?.(msg);
    };
    this.pushPort = channel.port1;
    const push = Comlink.transfer(channel.port2, [channel.port2]);
    const answer = await withDeadline(
      Promise.race([remote.hello(this.hello!, push), failed]),
      this.options.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
      'SharedWorker hello',
    ) as Awaited<ReturnType<EngineEndpoint['hello']>>;
    if ('error' in answer) throw answer.error;
    return answer;
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
      if (!watch.signal.aborted && !this.closed) void this.reconnect(RECONNECT_FIRST_DELAY_MS);
    }).catch(() => { /* aborted: this tab closed or moved on */ });
  }

  /** The worker died: start a new one (it restores the persisted state) and hand its welcome to the link. */
  private async reconnect(delayMs: number): Promise<void> {
    await new Promise((r) => setTimeout(r, delayMs));
    if (this.closed) return;
    try {
      const welcome = await this.open();
      this.watchEngine(welcome.engineId);
      this.onReconnect?.(welcome);
    } catch {
      void this.reconnect(Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS));
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
