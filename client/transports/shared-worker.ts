/**
 * The default transport: one SharedWorker per browser profile (per CCP origin), reached through Comlink on the
 * worker's port. The port is the tab's identity in the engine, so a tab can only ever speak for itself.
 */
import * as Comlink from 'comlink';
import type { EngineEndpoint, PostResult } from '../../shared/endpoint';
import { decodeDown } from '../../shared/endpoint';
import { ErrorType, TransportKind, wireError, type Down, type Hello, type Up, type Welcome } from '../../shared/protocol';
import { withDeadline, type Transport } from './transport';

/** The worker's name is part of its identity (URL + name): tabs of one origin meet in one worker. Bump the suffix
 * on an incompatible protocol change so old and new tabs do not share a worker. */
export const SHARED_WORKER_NAME = 'connect-sync-v1';

/** How long a new SharedWorker may take to answer `hello` before we call it unavailable and fall back. Cold start
 * measured ~30 ms here (p50); a busy 2-core machine opening 20 tabs at once needs far more, so 5 s leaves room
 * without leaving a user staring at a blank CCP. */
export const HELLO_TIMEOUT_MS = 5000;

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

  constructor(private readonly options: SharedWorkerOptions) {}

  /** True when this browser context can construct a SharedWorker at all. */
  static isSupported(): boolean {
    return typeof SharedWorker === 'function';
  }

  async connect(hello: Hello, onDown: (msg: Down) => void): Promise<Welcome> {
    if (!SharedWorkerTransport.isSupported()) throw wireError(ErrorType.NOT_CONNECTED, 'SharedWorker is not available');
    let worker: SharedWorker;
    try {
      worker = new SharedWorker(this.options.workerUrl, { name: this.options.name ?? SHARED_WORKER_NAME });
    } catch (e) {
      throw wireError(ErrorType.NOT_CONNECTED, `SharedWorker could not be constructed: ${(e as Error).message}`);
    }
    this.worker = worker;
    // A worker that cannot start (a cross-site frame, a script error) raises `error` on the worker object.
    const failed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', () => reject(wireError(ErrorType.NOT_CONNECTED, 'SharedWorker failed to start')), { once: true });
    });
    this.remote = Comlink.wrap<EngineEndpoint>(worker.port);
    const push = Comlink.proxy((json: string) => {
      const msg = decodeDown(json);
      if (msg) onDown(msg);
    });
    const answer = await withDeadline(
      Promise.race([this.remote.hello(hello, push), failed]),
      this.options.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
      'SharedWorker hello',
    ) as Awaited<ReturnType<EngineEndpoint['hello']>>;
    if ('error' in answer) throw answer.error;
    return answer;
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
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.port.close();
    this.remote = null;
    this.worker = null;
  }
}
