/**
 * The CRM side of the iframe bridge: a `Transport` whose engine is reached through the CCP frame. Every message
 * goes to the exact CCP origin, and only messages from the frame's window *and* origin are accepted. `hello` and
 * `post` are Comlink calls on the frame's `BridgeSurface`, over a `RelayedEndpoint` whose messages travel in the
 * bridge's `call`/`reply`; each has a deadline (a frame that died or reloaded never answers).
 */
import * as Comlink from 'comlink';
import type { PostResult } from '../../shared/endpoint';
import type { ComlinkMessage } from '../../shared/envelope';
import { thrownReply } from '../../shared/comlink-reply';
import { RelayedEndpoint } from '../../shared/relayed-endpoint';
import { receiveDown, validateWelcome } from '../../shared/validate-down';
import { ErrorType, TransportKind, wireError, type Down, type Hello, type Up, type Welcome, type WireError } from '../../shared/protocol';
import { asBridgeMessage, BRIDGE_SOURCE, BridgeType, isPlainReply, type BridgeMessage, type BridgeSurface } from './bridge-protocol';
import { withDeadline, type Transport } from '../tab/transport';

/** How long the CRM waits for the frame to load and accept it. A CCP page loads in well under a second here; a
 * login redirect inside the frame can take a user much longer, so the wait is long and a late `ready` still
 * connects (the keepalive reports ACK_TIMEOUT meanwhile). */
export const FRAME_READY_TIMEOUT_MS = 60_000;

export class IframeBridgeTransport implements Transport {
  readonly kind = TransportKind.IFRAME;
  /** Our end of the Comlink conversation with the frame, and the proxy calling through it. */
  private readonly end = new RelayedEndpoint((call) => {
    this.lastCallId = (call as ComlinkMessage).id;
    this.postToFrame({ source: BRIDGE_SOURCE, type: BridgeType.CALL, call: call as ComlinkMessage });
  });
  private readonly remote = Comlink.wrap<BridgeSurface>(this.end);
  /** The id of the Comlink call last sent (Comlink sends in the same turn as the call is made). */
  private lastCallId: string | undefined;
  /** The calls still open, each with its ender: `close` ends them at once (Comlink's own promises would wait
   * forever). */
  private readonly open = new Set<(e: WireError) => void>();
  private ready: Promise<void>;
  private markReady!: () => void;
  /** Rejects when the bridge closes: a wait for `ready` ends then (terminate), not at its deadline. */
  private readonly closing: Promise<never>;
  private markClosed!: (e: WireError) => void;
  private hello: Hello | null = null;
  private onDown: ((msg: Down) => void) | null = null;
  private onInvalid: ((error: WireError) => void) | undefined;
  private closed = false;
  /** True once a relay was opened: a later `ready` means the frame reloaded and the relay must be reopened. */
  private welcomed = false;
  private readonly listener = (e: MessageEvent): void => this.onMessage(e);

  constructor(private readonly frame: HTMLIFrameElement, private readonly ccpOrigin: string,
    private readonly onRefused: (reason: string) => void = () => undefined) {
    this.ready = new Promise((r) => { this.markReady = r; });
    this.closing = new Promise<never>((_, reject) => { this.markClosed = reject; });
    this.closing.catch(() => undefined);
    addEventListener('message', this.listener);
  }

  async connect(hello: Hello, onDown: (msg: Down) => void, _onReconnect?: (w: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome> {
    this.hello = hello;
    this.onDown = onDown;
    this.onInvalid = onInvalid;
    await withDeadline(Promise.race([this.ready, this.closing]), FRAME_READY_TIMEOUT_MS, 'CCP frame');
    const welcome = await this.call(() => this.remote.hello(hello), FRAME_READY_TIMEOUT_MS);
    this.welcomed = true;
    return welcome;
  }

  post(msg: Up, timeoutMs: number): Promise<PostResult> {
    if (this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'bridge closed'));
    return this.call(() => this.remote.post(msg, timeoutMs) as Promise<PostResult>, timeoutMs);
  }

  send(msg: Up): void {
    this.postToFrame({ source: BRIDGE_SOURCE, type: BridgeType.SEND, msg });
  }

  /** Forwards `initCCP`'s page options to the CCP. */
  configure(options: Record<string, unknown>): void {
    void this.ready.then(() => this.postToFrame({ source: BRIDGE_SOURCE, type: BridgeType.CONFIGURE, options }));
  }

  close(): void {
    this.closed = true;
    removeEventListener('message', this.listener);
    this.markClosed(wireError(ErrorType.NOT_CONNECTED, 'bridge closed'));
    for (const reject of [...this.open]) reject(wireError(ErrorType.NOT_CONNECTED, 'bridge closed'));
    this.open.clear();
  }

  /**
   * A call on the frame's surface, ended by its deadline or by `close`, whichever comes first. A failed call is
   * also settled in Comlink, with the same error as a local answer under its id: Comlink keeps a call's resolver
   * until an answer arrives, and a dead frame never sends one. Comlink drops a resolver once it has answered, so a
   * local answer after the frame's (or the frame's after a local one) finds nothing.
   */
  private call<T>(start: () => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'bridge closed'));
    this.lastCallId = undefined;
    let end!: (e: WireError) => void;
    const answer = new Promise<T>((resolve, reject) => {
      end = reject;
      start().then(resolve, reject);
    });
    const id = this.lastCallId;
    this.open.add(end);
    return withDeadline(answer, timeoutMs, 'CCP frame')
      .catch((e: WireError) => {
        if (id !== undefined) this.end.receive(thrownReply(id, e));
        throw e;
      })
      .finally(() => this.open.delete(end));
  }

  private postToFrame(msg: BridgeMessage): void {
    if (this.closed) return;
    this.frame.contentWindow?.postMessage(msg, this.ccpOrigin);
  }

  /** A window `message` event (also one that arrived before this transport existed, replayed in order): acted on
   * only when it comes from the frame's window and origin. */
  onMessage(e: MessageEvent): void {
    if (e.source !== this.frame.contentWindow || e.origin !== this.ccpOrigin) return;
    const msg = asBridgeMessage(e.data);
    if (!msg) return;
    switch (msg.type) {
      case BridgeType.READY:
        this.markReady();
        // A frame that reloaded (e.g. after a login) lost our relay: open it again; the new welcome's state arrives
        // as a full state.
        if (this.welcomed) this.reopen();
        return;
      case BridgeType.REFUSED:
        this.onRefused(msg.reason);
        return;
      case BridgeType.REPLY:
        if (isPlainReply(msg.reply)) this.end.receive(msg.reply);
        return;
      case BridgeType.DOWN: {
        receiveDown(msg.json, (down) => this.onDown?.(down), this.onInvalid);
        return;
      }
      default:
        return; // CRM-bound only
    }
  }

  private reopen(): void {
    const hello = this.hello!;
    this.call(() => this.remote.hello(hello), FRAME_READY_TIMEOUT_MS)
      .then((w) => {
        const checked = validateWelcome(w);
        if (checked.ok) this.onDown?.(checked.value.state);
        else this.onInvalid?.(checked.error);
      })
      .catch(() => { /* the keepalive reports the loss */ });
  }
}
