/**
 * The errors the `connect` API throws or hands to `failure` callbacks. Thrown errors are `Error` subclasses that also
 * carry a string `type` (so `catch (e) { e.type }` works like the typed `{type, message}` objects `failure` receives).
 */
import { ErrorType, type WireError } from '../../shared/protocol';

/** Base of every error the library throws; `type` names the kind for code that cannot use `instanceof`. */
export class BaseError extends Error {
  readonly type: string;

  constructor(type: string, message: string) {
    super(message);
    this.type = type;
    this.name = type;
  }

  /** The error as it crosses a boundary (`failure` callbacks, the wire). */
  toWireError(): WireError {
    return { type: this.type, message: this.message };
  }
}

/**
 * The library is not in a state that allows the call (e.g. `new connect.Agent()` before the first agent data).
 *
 * @example
 * try { new connect.Agent(); } catch (e) { if (e instanceof connect.StateError) console.log('not yet'); }
 */
export class StateError extends BaseError {
  constructor(message: string, type = 'StateError') {
    super(type, message);
  }
}

/**
 * A handle refers to a contact (or a connection) that has left the agent's snapshot.
 *
 * @example
 * try { contact.getState(); } catch (e) { if (e.type === 'ContactNotFoundError') forget(contact); }
 */
export class ContactNotFoundError extends StateError {
  constructor(message: string) {
    super(message, ErrorType.CONTACT_GONE);
  }
}

/**
 * An argument has the wrong value or shape; `message` names it.
 *
 * @example
 * connect.core.getContactEventName('nope', id); // throws ValueError
 */
export class ValueError extends BaseError {
  constructor(message: string) {
    super('ValueError', message);
  }
}

/**
 * An action argument has the wrong value or shape: the action fails with it before anything is sent.
 *
 * @example
 * agent.setConfiguration({ ...config, softphoneEnabled: false, extension: '123' }, { failure: (e) => e.type }); // 'ValidationError'
 */
export class ValidationError extends BaseError {
  constructor(message: string) {
    super(ErrorType.VALIDATION, message);
  }
}

/**
 * A softphone failure as the softphone tab reports it (`agent.onSoftphoneError`).
 *
 * @example
 * agent.onSoftphoneError((err) => console.log(err.getErrorType(), err.getErrorMessage()));
 */
export class SoftphoneError {
  constructor(
    private readonly errorType: string,
    private readonly errorMessage: string,
    private readonly endPointUrl?: string,
  ) {}

  getErrorType(): string {
    return this.errorType;
  }

  getErrorMessage(): string {
    return this.errorMessage;
  }

  getEndPointUrl(): string | undefined {
    return this.endPointUrl;
  }
}
