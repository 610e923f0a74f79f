/**
 * One normaliser for every caught or received value that must cross a boundary: whatever was thrown (an `Error`, a
 * typed `{type, message}`, a DOMException, a string) leaves as a typed `WireError`, never a bare string.
 */
import { ErrorType, type WireError } from './protocol';

export interface ToWireErrorOptions {
  /** The type of a value that carries none (a plain `Error`, a string…); `InternalError` by default. */
  fallback?: ErrorType | string;
  /** Use a named exception's `name` as its type (a DOMException `AbortError` stays `AbortError`). */
  keepName?: boolean;
}

/**
 * Any value as `{type, message}`: a value that already has a string `type` and `message` keeps them (a `connect`
 * error, a backend `CtiError`, a typed error from another context); anything else gets `options.fallback`.
 *
 * @example
 * promise.catch((e: unknown) => reply({ ok: false, error: toWireError(e) }));
 */
export function toWireError(e: unknown, options: ToWireErrorOptions = {}): WireError {
  const fallback = options.fallback ?? ErrorType.INTERNAL;
  if (e !== null && typeof e === 'object') {
    const o = e as { type?: unknown; message?: unknown; name?: unknown };
    if (typeof o.type === 'string' && typeof o.message === 'string') return { type: o.type, message: o.message };
    if (options.keepName && typeof o.name === 'string') return { type: o.name, message: String(o.message ?? o.name) };
    if (e instanceof Error) return { type: fallback, message: e.message };
  }
  return { type: fallback, message: String(e) };
}
