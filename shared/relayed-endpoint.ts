/**
 * Comlink over a carrier that is not a port: one end of a Comlink conversation whose messages travel inside another
 * message stream (the BroadcastChannel, addressed by tab id and leader epoch). Comlink's `Endpoint` is any
 * `postMessage`/`addEventListener` pair; this is that pair over a `send` function and a `receive` call, so that the
 * channel carries Comlink's own request/response instead of a request-id table of ours.
 *
 * Nothing is transferred (a channel cannot transfer ports): what is sent is structured-cloned by the carrier.
 */
import type { Endpoint } from 'comlink';

/**
 * @example
 * const end = new RelayedEndpoint((call) => channel.postMessage({ kind: 'call', epoch, from: tabId, call }));
 * const remote = Comlink.wrap<Surface>(end);           // calls go out through `send`
 * onReply = (m) => end.receive(m.reply);               // answers come back through `receive`
 */
export class RelayedEndpoint implements Endpoint {
  private readonly listeners = new Set<EventListenerOrEventListenerObject>();

  constructor(private readonly send: (data: unknown) => void) {}

  postMessage(data: unknown): void {
    this.send(data);
  }

  addEventListener(_type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners.delete(listener);
  }

  /** A Comlink message for this end arrived (already checked by the carrier). */
  receive(data: unknown): void {
    const ev = { data } as MessageEvent;
    for (const l of [...this.listeners]) {
      if (typeof l === 'function') l(ev); else l.handleEvent(ev);
    }
  }
}
