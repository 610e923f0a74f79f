/**
 * Typed errors of the backend. The CTI API sends them as `{"__type": "<Name>Exception", "message": …}`; the control
 * API sends the same body plus `type` (the house shape `{type, message}`), so both clients read one field.
 */
import type { CtiErrorBody } from '../shared/cti';

export class CtiError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
    this.name = type;
  }

  toBody(): CtiErrorBody {
    return { __type: this.type, message: this.message };
  }
}

export const validationError = (message: string): CtiError => new CtiError('ValidationException', message, 400);
export const invalidState = (message: string): CtiError => new CtiError('InvalidStateException', message, 400);
export const badEndpoint = (message: string): CtiError => new CtiError('BadEndpointException', message, 400);
export const notFound = (message: string): CtiError => new CtiError('ResourceNotFoundException', message, 400);
export const unauthorized = (message: string): CtiError => new CtiError('UnauthorizedException', message, 401);
export const accessDenied = (message: string): CtiError => new CtiError('AccessDeniedException', message, 403);
export const paginationError = (message: string): CtiError => new CtiError('PaginationException', message, 400);
export const invalidConfiguration = (message: string): CtiError =>
  new CtiError('InvalidConfigurationException', message, 400);

/** Control-API variants: same types, REST-style statuses (404 unknown thing, 409 conflicting state). */
export const controlNotFound = (message: string): CtiError => new CtiError('ResourceNotFoundException', message, 404);
export const controlConflict = (type: string, message: string): CtiError => new CtiError(type, message, 409);

/** Anything thrown that is not a CtiError is a bug: it becomes a 500 and is logged, never a crash. */
export function asCtiError(err: unknown): CtiError {
  if (err instanceof CtiError) return err;
  return new CtiError('InternalServiceException', 'internal error', 500);
}
