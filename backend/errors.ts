/**
 * Typed errors of the backend. The CTI API sends them as `{"__type": "<Name>Exception", "message": …}`; the control
 * API sends the same body plus `type` (the house shape `{type, message}`), so both clients read one field.
 */
import { ServiceException, type CtiErrorBody } from '../shared/cti';
import { CTIExceptions } from '../shared/enums';

/** Error types of the backend's own defences (issue #12), sent as `{type, message}` like every other error. */
export enum GuardErrorType {
  /** The request's Host is not a name this server is configured for (DNS rebinding, stray proxies): 421. */
  MISDIRECTED = 'MisdirectedRequestException',
  /** A page of another origin (an approved CRM included) on a same-origin-only route: 403. */
  ACCESS_DENIED = CTIExceptions.ACCESS_DENIED_EXCEPTION,
  /** The control API is open beyond loopback and the call lacks the start-up `X-Control-Token`: 401. */
  CONTROL_TOKEN_REQUIRED = 'ControlTokenRequiredException',
  /** Too many failed logins for this username or client address: 429 with `Retry-After`. */
  TOO_MANY_REQUESTS = 'TooManyRequestsException',
  /** An idempotency key reused for another operation or other parameters: 400. */
  IDEMPOTENCY_MISMATCH = 'IdempotentParameterMismatchException',
  /** A route called with a method it does not take (e.g. GET /logout): 405. */
  METHOD_NOT_ALLOWED = 'MethodNotAllowedException',
}

export class CtiError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
    this.name = type;
  }

  toBody(): CtiErrorBody {
    return { __type: this.type, message: this.message };
  }
}

export const validationError = (message: string): CtiError => new CtiError(ServiceException.VALIDATION, message, 400);
export const invalidState = (message: string): CtiError => new CtiError(CTIExceptions.INVALID_STATE_EXCEPTION, message, 400);
export const badEndpoint = (message: string): CtiError => new CtiError(CTIExceptions.BAD_ENDPOINT_EXCEPTION, message, 400);
export const notFound = (message: string): CtiError => new CtiError(ServiceException.RESOURCE_NOT_FOUND, message, 400);
export const unauthorized = (message: string): CtiError => new CtiError(CTIExceptions.UNAUTHORIZED_EXCEPTION, message, 401);
export const accessDenied = (message: string): CtiError => new CtiError(CTIExceptions.ACCESS_DENIED_EXCEPTION, message, 403);
export const paginationError = (message: string): CtiError => new CtiError(CTIExceptions.PAGINATION_EXCEPTION, message, 400);
export const invalidConfiguration = (message: string): CtiError =>
  new CtiError(CTIExceptions.INVALID_CONFIGURATION_EXCEPTION, message, 400);

/** Control-API variants: same types, REST-style statuses (404 unknown thing, 409 conflicting state). */
export const controlNotFound = (message: string): CtiError => new CtiError(ServiceException.RESOURCE_NOT_FOUND, message, 404);
export const controlConflict = (type: string, message: string): CtiError => new CtiError(type, message, 409);

export const misdirected = (message: string): CtiError => new CtiError(GuardErrorType.MISDIRECTED, message, 421);
export const notSameOrigin = (message: string): CtiError => new CtiError(GuardErrorType.ACCESS_DENIED, message, 403);
export const controlTokenRequired = (message: string): CtiError =>
  new CtiError(GuardErrorType.CONTROL_TOKEN_REQUIRED, message, 401);
export const tooManyRequests = (message: string): CtiError => new CtiError(GuardErrorType.TOO_MANY_REQUESTS, message, 429);
export const idempotencyMismatch = (message: string): CtiError =>
  new CtiError(GuardErrorType.IDEMPOTENCY_MISMATCH, message, 400);
export const methodNotAllowed = (message: string): CtiError => new CtiError(GuardErrorType.METHOD_NOT_ALLOWED, message, 405);

/** Anything thrown that is not a CtiError is a bug: it becomes a 500 and is logged, never a crash. */
export function asCtiError(err: unknown): CtiError {
  if (err instanceof CtiError) return err;
  return new CtiError(ServiceException.INTERNAL_SERVICE, 'internal error', 500);
}
