/**
 * The leader's server for follower tabs over the BroadcastChannel: one engine endpoint per follower tab (bound to its
 * tab id by its hello, exactly as a SharedWorker port is), answers addressed to the asking tab, and down messages
 * batched so that a fan-out to every follower is one channel post (`to: '*'`) instead of one per tab.
 *
 * Channel-agnostic: the leader's node reads the channel, validates envelopes and stamps the epoch on what `emit`
 * gives it.
 */
import { ChannelKind, type FollowerMessage, type ServerOutput } from '../shared/broadcast-protocol';
import type { ChannelServer } from '../shared/engine-host';
import type { EngineEndpoint, PushCallback } from '../shared/endpoint';
import { ErrorType, wireError, type Hello, type Up, type WireError } from '../shared/protocol';
import { toWireError } from '../shared/errors';

export interface ChannelServerOptions {
  /** A fresh endpoint of the engine; `onRelease` runs when the engine drops the tab or a later hello replaces it. */
  endpoint(onRelease: (push: PushCallback) => void): EngineEndpoint;
  emit(out: ServerOutput): void;
}

interface Follower {
  endpoint: EngineEndpoint;
  push: PushCallback | null;
}

interface Batch {
  json: string;
  to: string[];
}

/**
 * @example
 * const server = new EngineChannelServer({ endpoint: (r) => createTabEndpoint({ engine, releasePush: r }), emit });
 * channel.onmessage = (e) => server.receive(e.data);
 */
export class EngineChannelServer implements ChannelServer {
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
      case ChannelKind.HELLO:
        void this.hello(msg.from, msg.rid, msg.hello);
        return;
      case ChannelKind.POST: {
        const follower = this.followers.get(msg.from);
        if (!follower) {
          this.answer(msg.from, msg.rid, { ok: false, error: wireError(ErrorType.NOT_CONNECTED, `tab ${msg.from} sent no hello to this leader`) });
          return;
        }
        follower.endpoint.post(msg.msg as Up).then( // the engine validates it
          (value) => this.answer(msg.from, msg.rid, { ok: true, value }),
          (e: unknown) => this.answer(msg.from, msg.rid, { ok: false, error: toWireError(e) }),
        );
        return;
      }
      case ChannelKind.SEND:
        this.followers.get(msg.from)?.endpoint.post(msg.msg as Up).catch(() => undefined);
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

  private async hello(from: string, rid: string, hello: unknown): Promise<void> {
    const asked = typeof hello === 'object' && hello !== null ? (hello as { tabId?: unknown }).tabId : undefined;
    if (asked !== from) {
      this.answer(from, rid, { ok: false, error: wireError(ErrorType.VALIDATION, 'hello.tabId must be the sending tab') });
      return;
    }
    const follower = this.followers.get(from) ?? { endpoint: this.o.endpoint((push) => this.released(from, push)), push: null };
    const push: PushCallback = (json) => this.queue(from, json);
    follower.push = push;
    this.followers.set(from, follower);
    try {
      const welcome = await follower.endpoint.hello(hello as Hello, push); // validated by the engine
      if ('error' in welcome && this.followers.get(from) === follower && follower.push === push) this.followers.delete(from);
      this.answer(from, rid, { ok: true, value: welcome });
    } catch (e) {
      this.answer(from, rid, { ok: false, error: toWireError(e) });
    }
  }

  private released(tabId: string, push: PushCallback): void {
    if (this.followers.get(tabId)?.push === push) this.followers.delete(tabId);
  }

  private answer(to: string, rid: string, r: { ok: true; value: unknown } | { ok: false; error: WireError }): void {
    if (this.closed) return;
    this.flush(); // what the engine pushed before answering (the full state of a hello) goes first
    this.o.emit(r.ok ? { kind: ChannelKind.RESULT, to, rid, ok: true, value: r.value }
      : { kind: ChannelKind.RESULT, to, rid, ok: false, error: r.error });
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
