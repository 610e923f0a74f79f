/**
 * An in-memory BroadcastChannel for unit tests: a message reaches every other open channel of the hub (not the
 * sender), in order, as a structured clone, on a microtask. A channel can be frozen: what it would send and receive
 * waits until it thaws, as in a frozen page.
 */
import type { ChannelLike } from '../../client/fallback/broadcast-node';

export class FakeChannelHub {
  readonly channels = new Set<FakeChannel>();
  /** Every message posted, for assertions. */
  readonly log: unknown[] = [];

  open(): FakeChannel {
    const c = new FakeChannel(this);
    this.channels.add(c);
    return c;
  }
}

export class FakeChannel implements ChannelLike {
  private readonly listeners: ((e: MessageEvent) => void)[] = [];
  private frozen: (() => void)[] | null = null;
  closed = false;

  constructor(private readonly hub: FakeChannelHub) {}

  postMessage(msg: unknown): void {
    if (this.closed) throw new Error('InvalidStateError: closed');
    const copy = structuredClone(msg);
    const send = () => {
      this.hub.log.push(copy);
      for (const other of this.hub.channels) if (other !== this) other.receive(copy);
    };
    if (this.frozen) this.frozen.push(send); else send();
  }

  addEventListener(_type: 'message', listener: (e: MessageEvent) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed = true;
    this.hub.channels.delete(this);
  }

  freeze(): void {
    this.frozen ??= [];
  }

  thaw(): void {
    const queued = this.frozen ?? [];
    this.frozen = null;
    for (const f of queued) f();
  }

  private receive(data: unknown): void {
    const dispatch = () => { if (!this.closed) for (const l of this.listeners) l({ data } as MessageEvent); };
    if (this.frozen) this.frozen.push(() => queueMicrotask(dispatch));
    else queueMicrotask(dispatch);
  }
}
