/**
 * The BroadcastChannel fallback as a `Transport`: one tab of this page on the page's `BroadcastNode`. Whoever leads,
 * the tab speaks to the engine of the current term through a route; when the term changes it says hello again to
 * the new engine (whose full state it then takes) and re-sends what was in flight, with the same message — so a
 * request carries the same idempotency key and the backend applies it once — or fails it with `LeaderChangedError`
 * when re-sending is not safe. Every call still settles by its own deadline.
 */
import type { PostResult, PushCallback } from '../../shared/endpoint';
import { receiveDown } from '../../shared/validate-down';
import {
  DownType, ErrorType, TransportKind, UpType, wireError,
  type Down, type Hello, type Response, type Up, type Welcome, type WireError,
} from '../../shared/protocol';
import { acquireNode, releaseNode, type BroadcastNode, type BroadcastNodeOptions } from './broadcast-node';
import { ROUTE_LOST, type HelloAnswer, type Route } from './broadcast-routes';
import { withDeadline, type Transport, type TransportInfo } from '../tab/transport';
import { toWireError } from '../../shared/errors';

/** How long a tab waits for its first welcome: an election (at once, or about 2 s when a frozen leader must be
 * replaced), loading the engine bundle (seconds at worst on a slow network) and restoring persisted state. */
export const BROADCAST_CONNECT_TIMEOUT_MS = 15_000;
/** A hello that got no answer within this time is said again on the same route. BroadcastChannel does not lose
 * messages between live tabs, so this only matters when the leader died right after its election; a couple of
 * seconds keeps that rare case from waiting for the next term. */
export const HELLO_RETRY_MS = 2000;

/** What to do with a message in flight when the leader changed: re-send it to the new leader, or fail it. */
export function afterLeaderChange(msg: Up): 'resend' | 'fail' {
  switch (msg.type) {
    case UpType.REQUEST:
      // Same key ⇒ the backend applies it once, whether the old leader's call reached it or not.
      return msg.idempotencyKey ? 'resend' : 'fail';
    case UpType.BROADCAST:
      return 'fail'; // the old leader may have fanned it out already; a second copy would be a duplicate event
    default:
      return 'resend'; // master, inspect, resync, session, configuration, log, terminate: safe to repeat
  }
}

interface Pending {
  msg: Up;
  resolve(value: PostResult): void;
  reject(error: WireError): void;
  timer: ReturnType<typeof setTimeout>;
  /** The route it was last sent on (null: not sent yet). */
  sentOn: Route | null;
}

export interface BroadcastTransportOptions {
  /** Options of the page's node, if this tab is the first to need it. */
  node: () => BroadcastNodeOptions;
  /** A node of the caller's instead of the page's shared one (tests simulating several pages in one process). */
  ownNode?: BroadcastNode;
  /** A leadership change after the first welcome (for the `transport` event and the log). */
  onChange?: (info: TransportInfo) => void;
  connectTimeoutMs?: number;
}

/**
 * @example
 * const t = new BroadcastTransport({ node: () => ({ locks: navigator.locks, origin: location.origin, loadEngine }) });
 * const welcome = await t.connect(hello, onDown);
 */
export class BroadcastTransport implements Transport {
  readonly kind = TransportKind.BROADCAST;
  private node: BroadcastNode | null = null;
  private route: Route | null = null;
  private welcomed = false;
  private everWelcomed = false;
  private closed = false;
  private buffered: string[] = [];
  private helloTimer: ReturnType<typeof setTimeout> | null = null;
  private hello: Hello | null = null;
  private onDown: (msg: Down) => void = () => undefined;
  private onReconnect: ((w: Welcome) => void) | undefined;
  private onInvalid: ((error: WireError) => void) | undefined;
  private firstWelcome: { resolve(w: Welcome): void; reject(e: WireError): void } | null = null;
  private readonly pending = new Set<Pending>();

  constructor(private readonly o: BroadcastTransportOptions) {}

  info(): TransportInfo {
    return { transport: this.kind, epoch: this.node?.epoch || undefined, leader: this.node?.isLeader ?? false };
  }

  connect(hello: Hello, onDown: (msg: Down) => void, onReconnect?: (w: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome> {
    if (this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'transport closed'));
    this.hello = hello;
    this.onDown = onDown;
    this.onReconnect = onReconnect;
    this.onInvalid = onInvalid;
    const welcome = new Promise<Welcome>((resolve, reject) => { this.firstWelcome = { resolve, reject }; });
    this.node = this.o.ownNode ?? acquireNode(this.o.node);
    this.node.join(this);
    return withDeadline(welcome, this.o.connectTimeoutMs ?? BROADCAST_CONNECT_TIMEOUT_MS, 'broadcast leader');
  }

  post(msg: Up, timeoutMs: number): Promise<PostResult> {
    if (this.closed) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'transport closed'));
    if (msg.type === UpType.SESSION) this.node?.noteSession({ authToken: msg.authToken, expiration: msg.expiration });
    else if (msg.type === UpType.TERMINATE) this.node?.noteSession(null);
    return new Promise<PostResult>((resolve, reject) => {
      const p: Pending = {
        msg, resolve, reject, sentOn: null,
        timer: setTimeout(() => this.settle(p, wireError(ErrorType.TIMEOUT, `leader (${msg.type}) did not answer within ${timeoutMs} ms`)), timeoutMs),
      };
      this.pending.add(p);
      if (this.route && this.welcomed) this.dispatch(p, this.route);
    });
  }

  send(msg: Up): void {
    if (this.route && this.welcomed && this.hello) this.route.send(this.hello.tabId, msg);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending]) this.settle(p, wireError(ErrorType.NOT_CONNECTED, 'transport closed'));
    this.firstWelcome?.reject(wireError(ErrorType.NOT_CONNECTED, 'transport closed'));
    this.firstWelcome = null;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.node) {
      this.node.leave(this);
      if (!this.o.ownNode) releaseNode(this.node);
    }
    this.node = null;
    this.route = null;
  }

  /** From the node: the way to the engine of the current term (null: none yet). */
  useRoute(route: Route | null): void {
    if (this.closed || route === this.route) return;
    this.route = route;
    this.welcomed = false;
    this.buffered = [];
    if (route) this.sayHello(route);
  }

  private sayHello(route: Route): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = setTimeout(() => { if (this.route === route && !this.welcomed) this.sayHello(route); }, HELLO_RETRY_MS);
    const push: PushCallback = (json) => this.onPush(route, json);
    route.hello(this.hello!, push).then(
      (answer) => this.welcome(route, answer),
      () => undefined, // the route ended; the next one says hello again
    );
  }

  private welcome(route: Route, answer: HelloAnswer): void {
    if (this.route !== route || this.welcomed || this.closed) return;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if ('error' in answer) {
      if (this.firstWelcome) this.firstWelcome.reject(answer.error);
      this.firstWelcome = null;
      return;
    }
    this.welcomed = true;
    if (!this.everWelcomed) {
      this.everWelcomed = true;
      this.firstWelcome?.resolve(answer);
      this.firstWelcome = null;
    } else {
      // A new engine: the tab takes its whole state (new engineId), then what it pushed meanwhile.
      if (this.onReconnect) this.onReconnect(answer); else this.onDown(answer.state);
      this.o.onChange?.(this.info());
    }
    for (const json of this.buffered.splice(0)) this.deliver(json);
    for (const p of [...this.pending]) this.redispatch(p, route);
  }

  private onPush(route: Route, json: string): void {
    if (route !== this.route || this.closed) return;
    // Before the first welcome pushes go straight through (as on a SharedWorker port); after a leader change they
    // wait for the welcome, so that the tab knows the new engine before applying its messages.
    if (!this.welcomed && this.everWelcomed) this.buffered.push(json);
    else this.deliver(json);
  }

  private deliver(json: string): void {
    receiveDown(json, this.onDown, this.onInvalid);
  }

  private redispatch(p: Pending, route: Route): void {
    if (p.sentOn && p.sentOn !== route && afterLeaderChange(p.msg) === 'fail') {
      this.settle(p, wireError(ErrorType.LEADER_CHANGED, `the leader changed while ${describe(p.msg)} was in flight; it was not re-sent`));
      return;
    }
    if (p.sentOn !== route) this.dispatch(p, route);
  }

  private dispatch(p: Pending, route: Route): void {
    p.sentOn = route;
    route.post(this.hello!.tabId, p.msg).then(
      (value) => {
        if (p.sentOn !== route || !this.pending.has(p)) return;
        if (isLeaderChanged(value)) return; // that leader was deposed: re-sent to the next one
        this.settle(p, null, value);
      },
      (e: unknown) => {
        const error = toWireError(e);
        if (error.type === ROUTE_LOST || p.sentOn !== route) return; // re-sent on the next route
        this.settle(p, error);
      },
    );
  }

  private settle(p: Pending, error: WireError | null, value?: PostResult): void {
    if (!this.pending.delete(p)) return;
    clearTimeout(p.timer);
    if (error) p.reject(error); else p.resolve(value);
  }
}

function isLeaderChanged(value: PostResult): boolean {
  const r = value as Response | undefined;
  return !!r && r.type === DownType.RESPONSE && !r.ok && r.error.type === ErrorType.LEADER_CHANGED;
}

function describe(msg: Up): string {
  return msg.type === UpType.REQUEST ? `request ${msg.method}` : msg.type;
}
