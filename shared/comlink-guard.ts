/**
 * Comlink walks any property path a caller sends (`hello.constructor` is `Function`, so a `CONSTRUCT` on it would
 * compile code in the worker). A tab may call the methods it is offered and nothing else: this wraps a port so that
 * only `APPLY` on an allowed top-level name (and Comlink's own `RELEASE`) reach `Comlink.expose`; anything else is
 * answered with a typed error and never evaluated. Any Comlink `Endpoint` can be guarded: a SharedWorker port, or a
 * follower's end on the BroadcastChannel (`RelayedEndpoint`).
 */
import type { Endpoint } from 'comlink';
import { ErrorType } from './protocol';

interface WireMessage {
  id?: unknown;
  type?: unknown;
  path?: unknown;
}

function allowed(data: unknown, methods: ReadonlySet<string>): boolean {
  if (!data || typeof data !== 'object') return false;
  const m = data as WireMessage;
  if (m.type === 'RELEASE') return Array.isArray(m.path) && m.path.length === 0;
  return m.type === 'APPLY' && Array.isArray(m.path) && m.path.length === 1
    && typeof m.path[0] === 'string' && methods.has(m.path[0]);
}

/** The error a Comlink caller sees for a refused message (Comlink's wire format for a thrown error). */
function refusal(id: unknown, detail: string): unknown {
  return {
    id, type: 'HANDLER', name: 'throw',
    value: { isError: true, value: { name: ErrorType.VALIDATION, message: `refused: ${detail}` } },
  };
}


/**
 * @example
 * Comlink.expose(endpoint, guardPort(port, ['hello', 'post']));
 */
export function guardPort(port: Endpoint, methods: readonly string[]): Endpoint {
  const permitted = new Set(methods);
  const wrapped = new Map<EventListenerOrEventListenerObject, EventListener>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer ?? []),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guarded: EventListener = (ev) => {
        const data = (ev as MessageEvent).data as unknown;
        if (allowed(data, permitted)) {
          if (typeof listener === 'function') listener(ev); else listener.handleEvent(ev);
          return;
        }
        const m = (data && typeof data === 'object' ? data : {}) as WireMessage;
        if (typeof m.id === 'string' || typeof m.id === 'number') {
          port.postMessage(refusal(m.id, `only ${[...permitted].join(', ')} may be called`));
        }
      };
      wrapped.set(listener, guarded);
      port.addEventListener(type, guarded);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guarded = wrapped.get(listener);
      if (guarded) port.removeEventListener(type, guarded);
      wrapped.delete(listener);
    },
    start: () => port.start?.(),
  } as Endpoint;
}
