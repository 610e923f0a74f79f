/**
 * The leader's server for follower tabs over the BroadcastChannel: one engine endpoint per follower tab (bound to its
 * tab id by its hello, exactly as a SharedWorker port is), reached with Comlink as on a port — each follower's calls
 * arrive on a `RelayedEndpoint` of its own, guarded like a port (only `hello` and `post`), and Comlink's replies go
 * back addressed to that tab — and down messages batched so that a fan-out to every follower is one channel post
 * (`to: '*'`) instead of one per tab.
 *
 * Channel-agnostic: the leader's node reads the channel, validates envelopes and stamps the epoch on what `emit`
 * gives it.
 */
import * as Comlink from 'comlink';
import { ChannelKind, type ChannelSurface, type FollowerMessage, type ServerOutput } from '../shared/broadcast-protocol';
import type { ChannelServer } from '../shared/engine-host';
import type { EngineEndpoint, PushCallback } from '../shared/endpoint';
import type { ComlinkMessage } from '../shared/envelope';
import { RelayedEndpoint } from '../shared/relayed-endpoint';
import { ErrorType, wireError, type Hello, type Up } from '../shared/protocol';
import { guardPort } from '../shared/comlink-guard';
import { thrownReply } from '../shared/comlink-reply';

export interface ChannelServerOptions {
  /** A fresh endpoint of the engine; `onRelease` runs when the engine drops the tab or a later hello replaces it. */
  endpoint(onRelease: (push: PushCallback) => void): EngineEndpoint;
  emit(out: ServerOutput): void;
}

/** One follower tab: its engine endpoint, its end of the Comlink conversation, and its current push. */
interface Follower {
  endpoint: EngineEndpoint;
  end: RelayedEndpoint;
  push: PushCallback | null;
}

interface Batch {
  json: string;
  to: string[];
}

const SURFACE_METHODS: readonly (keyof ChannelSurface)[] = ['hello', 'post'];

/**
 * @example
 * const server = new EngineChannelServer({ endpoint: (r) => createTabEndpoint({ engine, releasePush: r }), emit });
 * channel.onmessage = (e) => server.receive(e.data);
 */
export class EngineChannelServer implements ChannelServer {
  /** Tabs that said hello (their calls reach the engine). */
  private readonly followers = new Map<string, Follower>();
  private batches: Batch[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly o: ChannelServerOptions) {}

  /** Tabs connected through this server. */
  get tabCount(): number {
    return this.followers.size;
  }

  receive(msg: FollowerMessage): void {
    if (this.closed) return;
    switch (msg.kind) {
      case ChannelKind.CALL: {
        const follower = this.followers.get(msg.from) ?? (isHelloCall(msg.call) ? this.follow(msg.from) : null);
        if (follower) follower.end.receive(msg.call);
        else this.reply(msg.from, thrownReply(msg.call.id, wireError(ErrorType.NOT_CONNECTED, `tab ${msg.from} sent no hello to this leader`)));
        return;
      }
      case ChannelKind.SEND:
        this.followers.get(msg.from)?.endpoint.post(msg.msg as Up).catch(() => undefined); // the engine validates it
        return;
      default:
        return; // ping/whois are the node's
    }
  }

  close(): void {
    this.closed = true;
    this.followers.clear();
    this.batches = [];
  }

  /** A tab's first hello: its engine endpoint, exposed with Comlink on its own end of the channel. */
  private follow(from: string): Follower {
    const end = new RelayedEndpoint((reply) => this.reply(from, reply));
    const follower: Follower = { endpoint: this.o.endpoint((push) => this.released(from, push)), end, push: null };
    this.followers.set(from, follower);
    const surface: ChannelSurface = Object.freeze({
      hello: (hello: unknown) => this.hello(from, follower, hello),
      post: (msg: unknown) => follower.endpoint.post(msg as Up), // the engine validates it
    });
    Comlink.expose(surface, guardPort(end, SURFACE_METHODS));
    return follower;
  }

  private async hello(from: string, follower: Follower, hello: unknown): Promise<unknown> {
    const asked = typeof hello === 'object' && hello !== null ? (hello as { tabId?: unknown }).tabId : undefined;
    if (asked !== from) {
      if (follower.push === null && this.followers.get(from) === follower) this.followers.delete(from); // never a tab
      throw wireError(ErrorType.VALIDATION, 'hello.tabId must be the sending tab');
    }
    const push: PushCallback = (json) => this.queue(from, json);
    follower.push = push;
    this.followers.set(from, follower);
    const welcome = await follower.endpoint.hello(hello as Hello, push); // validated by the engine
    if ('error' in welcome && this.followers.get(from) === follower && follower.push === push) this.followers.delete(from);
    return welcome;
  }

  private released(tabId: string, push: PushCallback): void {
    if (this.followers.get(tabId)?.push === push) this.followers.delete(tabId);
  }

  /** Comlink's answer to a call of `to`. */
  private reply(to: string, reply: unknown): void {
    if (this.closed) return;
    this.flush(); // what the engine pushed before answering (the full state of a hello) goes first
    this.o.emit({ kind: ChannelKind.REPLY, to, reply: reply as ComlinkMessage });
  }

  /** The engine's fan-out calls push once per tab with the same string: consecutive pushes merge into one post. */
  private queue(tabId: string, json: string): void {
    if (this.closed) return;
    const last = this.batches[this.batches.length - 1];
    if (last && last.json === json && !last.to.includes(tabId)) last.to.push(tabId);
    else this.batches.push({ json, to: [tabId] });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = this.batches;
    this.batches = [];
    for (const b of batches) {
      const everyone = b.to.length > 1 && b.to.length === this.followers.size && b.to.every((id) => this.followers.has(id));
      this.o.emit({ kind: ChannelKind.DOWN, to: everyone ? '*' : b.to, json: b.json });
    }
  }
}

/** A Comlink call of the surface's `hello` (the only call that may come from a tab the server does not know). */
function isHelloCall(call: ComlinkMessage): boolean {
  return call.type === 'APPLY' && Array.isArray(call.path) && call.path.length === 1 && call.path[0] === 'hello';
}
