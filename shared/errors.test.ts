import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorType } from './protocol';
import { toWireError } from './errors';

class TypedFailure extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

describe('toWireError', () => {
  test('a typed object keeps its type and message, and loses every other field', () => {
    const e = { type: ErrorType.NOT_CONNECTED, message: 'gone', secret: 'x' };
    assert.deepEqual(toWireError(e), { type: 'NotConnectedError', message: 'gone' });
  });

  test('an Error subclass with a string type keeps it (connect errors, the engine\'s CtiError)', () => {
    assert.deepEqual(toWireError(new TypedFailure('InvalidStateException', 'busy')),
      { type: 'InvalidStateException', message: 'busy' });
  });

  test('a plain Error gets the internal type with its message', () => {
    assert.deepEqual(toWireError(new Error('boom')), { type: ErrorType.INTERNAL, message: 'boom' });
  });

  test('a string, a number, null and undefined become typed errors, never bare strings', () => {
    assert.deepEqual(toWireError('bad'), { type: ErrorType.INTERNAL, message: 'bad' });
    assert.deepEqual(toWireError(42), { type: ErrorType.INTERNAL, message: '42' });
    assert.deepEqual(toWireError(null), { type: ErrorType.INTERNAL, message: 'null' });
    assert.deepEqual(toWireError(undefined), { type: ErrorType.INTERNAL, message: 'undefined' });
  });

  test('a value with a non-string type or message is not trusted as typed', () => {
    assert.deepEqual(toWireError({ type: 7, message: 'm' }), { type: ErrorType.INTERNAL, message: '[object Object]' });
    assert.deepEqual(toWireError({ type: 'T', message: { nested: true } }).type, ErrorType.INTERNAL);
  });

  test('the fallback type replaces the internal one', () => {
    assert.deepEqual(toWireError(new Error('down'), { fallback: ErrorType.NETWORK }), { type: ErrorType.NETWORK, message: 'down' });
    assert.deepEqual(toWireError({ type: 'Kept', message: 'm' }, { fallback: ErrorType.NETWORK }), { type: 'Kept', message: 'm' });
  });

  test('keepName: a named exception keeps its name as the type, and its name as message when it has none', () => {
    const abort = Object.assign(new Error('the lock was stolen'), { name: 'AbortError' });
    assert.deepEqual(toWireError(abort, { keepName: true }), { type: 'AbortError', message: 'the lock was stolen' });
    assert.deepEqual(toWireError({ name: 'NotFoundError' }, { keepName: true }), { type: 'NotFoundError', message: 'NotFoundError' });
    assert.deepEqual(toWireError(abort), { type: ErrorType.INTERNAL, message: 'the lock was stolen' });
  });
});
