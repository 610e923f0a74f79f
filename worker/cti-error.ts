/**
 * The typed failure of a backend call. CTI exception names (`InvalidStateException`, …) are kept as the `type`;
 * transport failures get the protocol's own types (`NetworkError`, `TimeoutError`).
 */
import { ErrorType } from '../shared/protocol';
import { ServiceException } from '../shared/cti';

/** Thrown by CTI calls and the auth provider; crosses to tabs as `{type, message}`. */
export class CtiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** HTTP status, 0 when no answer arrived. */
    readonly status: number,
    /** From `Retry-After` on a 429/503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = type;
  }
}

/** The error aborted on purpose by the caller (engine stopping); never reported to tabs. */
export const ABORTED = 'AbortError';
export const THROTTLED = ServiceException.THROTTLING;

/** Any thrown value as a `CtiError`. */
export function asCtiError(e: unknown): CtiError {
  if (e instanceof CtiError) return e;
  if (e instanceof Error) return new CtiError(ErrorType.INTERNAL, e.message, 0);
  return new CtiError(ErrorType.INTERNAL, String(e), 0);
}

export function isUnauthorized(e: CtiError): boolean {
  return e.type === ErrorType.UNAUTHORIZED || e.status === 401;
}

export function isAccessDenied(e: CtiError): boolean {
  return e.type === ErrorType.ACCESS_DENIED || e.status === 403;
}

/** Worth retrying: the request may not have been processed, or the server asked us to come back. */
export function isTransient(e: CtiError): boolean {
  return e.type === ErrorType.NETWORK || e.type === ErrorType.TIMEOUT || e.type === THROTTLED
    || e.status === 429 || e.status >= 500;
}
