/**
 * How every API action runs: parameters are taken from the state at call time (a gone contact or a bad argument
 * fails right there), the request goes up through the context's upstream, and exactly one of `success` / `failure`
 * is called — always asynchronously, always with a typed error, whatever happens.
 */
import { ErrorType, type WireError } from '../../shared/protocol';
import { getContext, type Upstream } from '../tab/context';
import { toWireError } from '../../shared/errors';

/** The `{success, failure}` every action takes (both optional). */
export interface ActionCallbacks<T = unknown> {
  success?: (data: T) => void;
  failure?: (error: WireError) => void;
}

export interface ActionSpec {
  /** The CTI client method (`acceptContact`, …). */
  method: string;
  /** Builds the request parameters; may throw (`ContactNotFoundError`, `ValidationError`) to fail the action. */
  params: () => Record<string, unknown>;
  /** Runs after the request succeeded, before `success` (e.g. broadcasting `contact::accepted`). */
  after?: (data: unknown, upstream: Upstream) => void;
}

/** Calls a user callback; one that throws is logged, never propagated into the library. */
export function callSafely<A extends unknown[]>(f: ((...args: A) => void) | undefined, what: string, ...args: A): void {
  if (typeof f !== 'function') return;
  try {
    f(...args);
  } catch (e) {
    getContext().log.error('The %s callback threw', what).withException(e);
  }
}

/** Settles `callbacks` from a promise: `success(data)` or `failure({type, message})`. */
export function settle<T>(p: Promise<T>, callbacks: ActionCallbacks<T> | undefined, what: string): void {
  p.then(
    (data) => callSafely(callbacks?.success, `${what} success`, data),
    (e: unknown) => {
      const err = toWireError(e);
      getContext().log.warn('%s failed: %s: %s', what, err.type, err.message);
      callSafely(callbacks?.failure, `${what} failure`, err);
    },
  );
}

/** The upstream, or a `NotConnectedError` when the tab has no engine link. */
export function requireUpstream(): Upstream {
  const upstream = getContext().upstream;
  if (!upstream) throw { type: ErrorType.NOT_CONNECTED, message: 'The tab is not connected to the engine' } satisfies WireError;
  return upstream;
}

/**
 * Runs one action.
 *
 * @example
 * runAction({ method: 'rejectContact', params: () => ({ contactId }) }, callbacks);
 */
export function runAction(spec: ActionSpec, callbacks?: ActionCallbacks): void {
  let started: Promise<unknown>;
  try {
    const params = spec.params();
    const upstream = requireUpstream();
    started = upstream.request(spec.method, params).then((data) => {
      // The request succeeded: a failing follow-up is logged, it does not turn the outcome into a failure.
      try {
        spec.after?.(data, upstream);
      } catch (e) {
        getContext().log.error('Follow-up of %s failed', spec.method).withException(e);
      }
      return data;
    });
  } catch (e) {
    started = Promise.reject(toWireError(e));
  }
  settle(started, callbacks, spec.method);
}
