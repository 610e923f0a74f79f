/**
 * The in-page transport: the engine runs in this page and the tab calls it directly. For a single tab, for tests,
 * for embedded uses without cross-tab sharing, and for browsers without Web Locks or BroadcastChannel. Every tab
 * using it has its own engine and its own poll; tabs of one page (a CCP frame and the CRM it relays for) share one.
 */
import type { PostResult } from '../../shared/endpoint';
import { receiveDown } from '../../shared/validate-down';
import type { EngineEndpoint } from '../../shared/endpoint';
import type { EngineHost, EngineHostFactory, HostLocks } from '../../shared/engine-host';
import { ErrorType, TransportKind, wireError, type Down, type Hello, type Up, type Welcome, type WireError } from '../../shared/protocol';
import { withDeadline, type Transport, type TransportInfo } from '../tab/transport';

/** The engine answers hello from memory once its bundle is loaded (see `ENGINE_LOAD_TIMEOUT_MS`); 15 s covers
 * loading it on a slow network. */
export const IN_PAGE_CONNECT_TIMEOUT_MS = 15_000;

export interface InPageOptions {
  loadEngine(): Promise<EngineHostFactory>;
  origin: string;
  locks?: HostLocks;
  storage?: 'indexeddb' | 'memory';
}

let shared: { host: Promise<EngineHost>; refs: number } | null = null;

function acquireHost(o: InPageOptions): Promise<EngineHost> {
  if (!shared) {
    const host = o.loadEngine().then((f) => f.createHost({ transport: TransportKind.IN_PAGE, origin: o.origin, locks: o.locks, storage: o.storage }));
    shared = { host, refs: 0 };
    host.catch(() => { if (shared?.host === host) shared = null; });
  }
  shared.refs++;
  return shared.host;
}

function releaseHost(host: Promise<EngineHost>): void {
  if (!shared || shared.host !== host || --shared.refs > 0) return;
  shared = null;
  void host.then((h) => h.stop()).catch(() => undefined);
}

/**
 * @example
 * const t = new InPageTransport({ loadEngine: () => loadEngine(url), origin: location.origin });
 * const welcome = await t.connect(hello, onDown);
 */
export class InPageTransport implements Transport {
  readonly kind = TransportKind.IN_PAGE;
  private host: Promise<EngineHost> | null = null;
  private endpoint: EngineEndpoint | null = null;
  private closed = false;

  constructor(private readonly o: InPageOptions) {}

  info(): TransportInfo {
    return { transport: this.kind };
  }

  async connect(hello: Hello, onDown: (msg: Down) => void, _onReconnect?: (w: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome> {
    if (this.closed) throw wireError(ErrorType.NOT_CONNECTED, 'transport closed');
    this.host = acquireHost(this.o);
    const answer = await withDeadline(this.host.then((h) => {
      this.endpoint = h.endpoint();
      return this.endpoint.hello(hello, (json) => {
        if (!this.closed) receiveDown(json, onDown, onInvalid);
      });
    }), IN_PAGE_CONNECT_TIMEOUT_MS, 'in-page engine');
    if ('error' in answer) throw answer.error;
    return answer;
  }

  post(msg: Up, timeoutMs: number): Promise<PostResult> {
    if (!this.endpoint || this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'transport is not connected'));
    return withDeadline(this.endpoint.post(msg), timeoutMs, `engine (${msg.type})`);
  }

  send(msg: Up): void {
    if (this.endpoint && !this.closed) this.endpoint.post(msg).catch(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.endpoint = null;
    if (this.host) releaseHost(this.host);
    this.host = null;
  }
}
