/**
 * The CCP-frame side of the iframe bridge: when the CCP runs inside a CRM page, it relays for that page. The CRM
 * becomes a tab of the engine with its own connection (opened here, on the CCP origin), its own state stream and
 * its own SYNCHRONIZE/ACK; the frame holds the CRM tab's liveness lock, since the frame lives and dies with it.
 *
 * Defence behind the CSP: the frame talks only to a parent whose origin is approved, only with messages from that
 * parent window and origin, and always posts to that exact origin. The parent's calls are Comlink's, on the
 * `BridgeSurface` exposed behind `shared/comlink-guard.ts` (hello and post, with plain arguments; nothing else of the
 * frame is reachable), answered with Comlink's replies in `reply` messages.
 */
import * as Comlink from 'comlink';
import { validateUp } from '../../shared/validate-up';
import { ErrorType, TabRole, wireError, type Hello, type Up, type Welcome, type WireError } from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import { TokenBucket, type RateLimit } from '../../shared/rate-limit';
import type { HostLocks } from '../../shared/engine-host';
import { holdTabLock, type HeldLock } from '../tab/liveness';
import {
  asBridgeMessage, BRIDGE_METHODS, BRIDGE_SOURCE, BridgeType, hasPlainArguments, type BridgeMessage, type BridgeSurface,
} from './bridge-protocol';
import type { ComlinkMessage } from '../../shared/envelope';
import { RelayedEndpoint } from '../../shared/relayed-endpoint';
import { guardPort } from '../../shared/comlink-guard';
import { thrownReply } from '../../shared/comlink-reply';
import { type Transport } from '../tab/transport';
import { toWireError } from '../../shared/errors';

/** How often the CRM may open a relay (`hello`): a CRM page says hello once per load, and again only after the frame
 * reloads; each hello costs a new engine connection and a Web Lock, so a page repeating it in a loop is refused. */
export const RELAY_HELLO_LIMIT: RateLimit = { burst: 5, perSecond: 1 };
/** Every other message from the CRM (each is parsed and validated here before the engine sees it): twice the
 * engine's own per-tab limit (`tabBurstMessages`/`tabMessagesPerSecond`), so the engine's typed answer is what a busy
 * but honest CRM meets first, while a flood stops here without reaching the worker. */
export const RELAY_MESSAGE_LIMIT: RateLimit = { burst: 400, perSecond: 100 };

export interface RelayOptions {
  parentOrigin: string;
  /** A fresh transport to the engine for each CRM hello. */
  createTransport(): Transport;
  onConfigure(options: Record<string, unknown>): void;
  onError(e: WireError): void;
  /** The lock manager for the CRM tab's liveness lock (the one the page's transport uses). */
  locks?: () => Promise<HostLocks | undefined>;
  /** Asked at each valid bridge message: may this frame speak our bridge (the parent chose no other protocol)? */
  claim?: () => boolean;
}

/** Tells a parent that is not approved that we refuse it, and nothing else. */
export function refuseParent(parentOrigin: string, reason: string): void {
  window.parent.postMessage({ source: BRIDGE_SOURCE, type: BridgeType.REFUSED, reason }, parentOrigin);
}

export class IframeRelay {
  private transport: Transport | null = null;
  private lock: HeldLock | null = null;
  /** Bumped by every hello: one still waiting for its lock when a later one arrives gives up (else both would open
   * an engine connection, and the earlier one would stay connected, unreachable, for the frame's whole life). */
  private generation = 0;
  private readonly hellos = new TokenBucket(RELAY_HELLO_LIMIT, Date.now());
  private readonly messages = new TokenBucket(RELAY_MESSAGE_LIMIT, Date.now());
  private readonly listener = (e: MessageEvent): void => this.onMessage(e);
  /** The frame's end of the Comlink conversation with the parent: its replies go out as `reply` messages. */
  private readonly end = new RelayedEndpoint((reply) => this.toParent({ source: BRIDGE_SOURCE, type: BridgeType.REPLY, reply: reply as ComlinkMessage }));

  constructor(private readonly options: RelayOptions) {
    const surface: BridgeSurface = Object.freeze({
      hello: (hello: Hello) => typed(() => this.openRelay(hello)),
      post: (msg: Up, timeoutMs: number) => typed(() => this.relayPost(msg, timeoutMs)),
    });
    Comlink.expose(surface, guardPort(this.end, BRIDGE_METHODS));
  }

  start(): void {
    addEventListener('message', this.listener);
    this.toParent({ source: BRIDGE_SOURCE, type: BridgeType.READY });
  }

  stop(): void {
    removeEventListener('message', this.listener);
    this.closeRelay();
  }

  private toParent(msg: BridgeMessage): void {
    window.parent.postMessage(msg, this.options.parentOrigin);
  }

  private closeRelay(): void {
    this.transport?.close();
    this.transport = null;
    this.lock?.release();
    this.lock = null;
  }

  private onMessage(e: MessageEvent): void {
    if (e.source !== window.parent || e.origin !== this.options.parentOrigin) return;
    const msg = asBridgeMessage(e.data);
    if (!msg || (this.options.claim && !this.options.claim())) return;
    const what = msg.type === BridgeType.CALL ? calledName(msg.call) : msg.type;
    const bucket = what === 'hello' ? this.hellos : this.messages;
    if (!bucket.take(Date.now())) {
      const error = wireError(ErrorType.THROTTLED, `too many ${what} messages from the CRM page; retry later`);
      if (msg.type === BridgeType.CALL) this.reply(thrownReply(msg.call.id, error));
      return;
    }
    switch (msg.type) {
      case BridgeType.CALL:
        if (hasPlainArguments(msg.call)) this.end.receive(msg.call); // the guard lets only hello/post through
        else this.reply(thrownReply(msg.call.id, wireError(ErrorType.VALIDATION, 'bridge call arguments must be plain values')));
        return;
      case BridgeType.SEND: {
        const checked = validateUp(msg.msg);
        if (checked.ok) this.transport?.send(checked.value);
        else this.options.onError(checked.error);
        return;
      }
      case BridgeType.CONFIGURE:
        if (msg.options && typeof msg.options === 'object') this.options.onConfigure(msg.options);
        return;
      default:
        return; // frame-bound only
    }
  }

  private async openRelay(helloIn: unknown): Promise<Welcome> {
    const checked = validateUp(helloIn);
    if (!checked.ok) throw checked.error;
    if (checked.value.type !== 'hello') throw wireError(ErrorType.VALIDATION, 'hello.type must be "hello"');
    const generation = ++this.generation;
    this.closeRelay();
    const hello = { ...checked.value, role: TabRole.CRM }; // whatever role the page claims, it speaks as a CRM
    const lock = this.options.locks ? await holdTabLock(hello.tabId, await this.options.locks()) : await holdTabLock(hello.tabId);
    if (generation !== this.generation) {
      lock?.release();
      throw wireError(ErrorType.NOT_CONNECTED, 'a later hello replaced this one');
    }
    this.lock = lock;
    const transport = this.options.createTransport();
    this.transport = transport;
    return transport.connect(hello, (down) => {
      if (this.transport === transport) this.toParent({ source: BRIDGE_SOURCE, type: BridgeType.DOWN, json: JSON.stringify(down) });
    }, undefined, (error) => this.options.onError(error));
  }

  private relayPost(msgIn: unknown, timeoutMs: unknown): Promise<PostResult> {
    const checked = validateUp(msgIn);
    if (!checked.ok) throw checked.error;
    if (!this.transport) throw wireError(ErrorType.NOT_CONNECTED, 'no relay open: send hello first');
    return this.transport.post(checked.value, Math.min(Math.max(Number(timeoutMs) || 0, 1), MAX_RELAYED_POST_MS));
  }

  private reply(reply: unknown): void {
    this.toParent({ source: BRIDGE_SOURCE, type: BridgeType.REPLY, reply: reply as ComlinkMessage });
  }
}

/** The longest deadline a CRM may ask for a relayed post: the longest an API call waits anywhere (a login), so a
 * page cannot park calls in the frame for longer. */
const MAX_RELAYED_POST_MS = 120_000;

/** The method a Comlink call names (its first path element), for the rate limits. */
function calledName(call: ComlinkMessage): string {
  return Array.isArray(call.path) && typeof call.path[0] === 'string' ? call.path[0] : String(call.type);
}

/** Runs `work`; whatever it throws reaches the CRM as a typed error `{type, message}` (Comlink passes a thrown plain
 * object through as is). */
async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toWireError(e);
  }
}
