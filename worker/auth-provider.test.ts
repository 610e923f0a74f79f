import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expirationMs, FetchAuthProvider, seededAuth, type AuthProvider } from './auth-provider';
import { CtiError } from './cti-error';

function fetchAnswering(status: number, body: unknown) {
  const inits: RequestInit[] = [];
  const fn = (async (_url: string | URL | Request, init?: RequestInit) => {
    inits.push(init ?? {});
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fn, inits };
}

describe('FetchAuthProvider', () => {
  test('fetches with same-origin cookies only and normalises the expiration to epoch ms', async () => {
    const f = fetchAnswering(200, { accessToken: 'abc', expiration: 1_800_000_000 });
    const token = await new FetchAuthProvider({ url: 'http://h/auth/authorize', fetch: f.fn }).fetchToken();
    assert.deepEqual(token, { accessToken: 'abc', expiration: 1_800_000_000_000 });
    assert.equal(f.inits[0]!.credentials, 'same-origin', 'the session cookie never goes to another origin');
  });

  test('keeps the access token only: a refresh token in the answer is dropped', async () => {
    const f = fetchAnswering(200, { accessToken: 'abc', expiration: 1_800_000_000, refreshToken: 'r' });
    const token = await new FetchAuthProvider({ url: 'http://h/auth/authorize', fetch: f.fn }).fetchToken();
    assert.deepEqual(Object.keys(token).sort(), ['accessToken', 'expiration']);
  });

  test('401 is UnauthorizedException; a body without a token is a NetworkError', async () => {
    await assert.rejects(new FetchAuthProvider({ url: 'x', fetch: fetchAnswering(401, {}).fn }).fetchToken(),
      (e: unknown) => e instanceof CtiError && e.type === 'UnauthorizedException');
    await assert.rejects(new FetchAuthProvider({ url: 'x', fetch: fetchAnswering(200, { nope: 1 }).fn }).fetchToken(),
      (e: unknown) => e instanceof CtiError && e.type === 'NetworkError');
  });

  test('expirationMs accepts seconds, ms and date strings', () => {
    assert.equal(expirationMs(1_800_000_000), 1_800_000_000_000);
    assert.equal(expirationMs(1_800_000_000_000), 1_800_000_000_000);
    assert.equal(expirationMs('2027-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    assert.equal(expirationMs('soon'), undefined);
    assert.equal(expirationMs(undefined), undefined);
  });
});

describe('seededAuth', () => {
  const inner: AuthProvider = { fetchToken: async () => ({ accessToken: 'fetched' }) };

  test('hands out the seed once while it is valid, then asks the provider', async () => {
    const auth = seededAuth(inner, { accessToken: 'seed', expiration: 2000 }, () => 1000);
    assert.deepEqual(await auth.fetchToken(), { accessToken: 'seed', expiration: 2000 });
    assert.deepEqual(await auth.fetchToken(), { accessToken: 'fetched' });
  });

  test('an expired seed, or none, goes straight to the provider', async () => {
    assert.deepEqual(await seededAuth(inner, { accessToken: 'seed', expiration: 500 }, () => 1000).fetchToken(), { accessToken: 'fetched' });
    assert.deepEqual(await seededAuth(inner, null, () => 1000).fetchToken(), { accessToken: 'fetched' });
  });
});
