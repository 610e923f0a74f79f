import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGIN_MESSAGE_TYPE, parseLoginMessage } from './auth-prompt';

test('a login popup message is accepted only with its type and a token', () => {
  assert.deepEqual(parseLoginMessage({ type: LOGIN_MESSAGE_TYPE, accessToken: 't', expiration: 5 }), { accessToken: 't', expiration: 5 });
  assert.deepEqual(parseLoginMessage({ type: LOGIN_MESSAGE_TYPE, accessToken: 't' }), { accessToken: 't' });
  for (const bad of [null, 'x', {}, { type: 'other', accessToken: 't' }, { type: LOGIN_MESSAGE_TYPE, accessToken: '' },
    { type: LOGIN_MESSAGE_TYPE, accessToken: 7 }, { type: LOGIN_MESSAGE_TYPE, accessToken: 't', expiration: 'soon' }]) {
    assert.equal(parseLoginMessage(bad), null, JSON.stringify(bad));
  }
});
