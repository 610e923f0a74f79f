import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpCtiClient, parseRetryAfter } from './cti-client';
import { CtiError } from './cti-error';

interface Seen { url: string; headers: Record<string, string>; body: Record<string, unknown> }

/** A fetch that answers from a list of [status, body, headers] and records requests. */
function fakeFetch(answers: ([number, unknown, Record<string, string>?] | 'network' | 'hang')[]) {
  const seen: Seen[] = [];
  const fn = (async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), headers: init?.headers as Record<string, string>, body: JSON.parse(String(init?.body)) });
    const a = answers.shift() ?? [200, {}];
    if (a === 'network') throw new TypeError('Failed to fetch');
    if (a === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const [status, body, headers] = a;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
  }) as typeof fetch;
  return { fn, seen };
}

async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CtiError, `not a CtiError: ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('HttpCtiClient', () => {
  test('sends AWS JSON 1.0 headers, token in header and body', async () => {
    const f = fakeFetch([[200, { configuration: { name: 'A' } }]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 0 });
    cti.setAuthToken('tok');
    const out = await cti.call('GetAgentConfiguration', {});
    assert.deepEqual(out, { configuration: { name: 'A' } });
    const s = f.seen[0]!;
    assert.equal(s.url, 'http://h/api');
    assert.equal(s.headers['Content-Type'], 'application/x-amz-json-1.0');
    assert.equal(s.headers['X-Amz-Target'], 'AmazonConnectCTIService.GetAgentConfiguration');
    assert.equal(s.headers['X-Amz-Bearer'], 'tok');
    assert.deepEqual(s.body, { authentication: { authToken: 'tok' } });
  });

  test('no authentication in the body of Clear/Complete/Reject/CreateTask; idempotency header when given', async () => {
    const f = fakeFetch([[200, {}], [200, {}], [200, {}], [200, { contactId: 'x' }]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn });
    cti.setAuthToken('tok');
    await cti.call('ClearContact', { contactId: 'c' }, { idempotencyKey: 'k1' });
    await cti.call('CompleteContact', { contactId: 'c' });
    await cti.call('RejectContact', { contactId: 'c' });
    await cti.call('CreateTaskContact', { endpoint: { type: 'agent' }, name: 'n' });
    for (const s of f.seen) assert.equal('authentication' in s.body, false);
    assert.equal(f.seen[0]!.headers['X-Idempotency-Token'], 'k1');
    assert.equal(f.seen[1]!.headers['X-Idempotency-Token'], undefined);
    assert.equal(f.seen[0]!.headers['X-Amz-Bearer'], 'tok');
  });

  test('a tab cannot smuggle its own authentication', async () => {
    const f = fakeFetch([[200, {}]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn });
    cti.setAuthToken('real');
    await cti.call('AcceptContact', { contactId: 'c', authentication: { authToken: 'fake' } } as never);
    assert.deepEqual(f.seen[0]!.body.authentication, { authToken: 'real' });
  });

  test('errors are typed from __type without the namespace', async () => {
    const f = fakeFetch([[400, { __type: 'com.amazonaws.connect#InvalidStateException', message: 'bad state' }]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn });
    const e = await rejection(cti.call('AcceptContact', { contactId: 'c' }));
    assert.deepEqual([e.type, e.message, e.status], ['InvalidStateException', 'bad state', 400]);
  });

  test('401 without a body is UnauthorizedException; 403 AccessDeniedException', async () => {
    const f = fakeFetch([[401, ''], [403, '']]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn });
    assert.equal((await rejection(cti.call('GetAgentStates', {}))).type, 'UnauthorizedException');
    assert.equal((await rejection(cti.call('GetAgentStates', {}))).type, 'AccessDeniedException');
  });

  test('a network failure is NetworkError; a non-JSON answer too', async () => {
    const f = fakeFetch(['network', [200, 'not json']]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 0 });
    const e1 = await rejection(cti.call('GetAgentStates', {}));
    assert.deepEqual([e1.type, e1.status], ['NetworkError', 0]);
    assert.equal((await rejection(cti.call('GetAgentStates', {}))).type, 'NetworkError');
  });

  test('429 is ThrottlingException with retryAfterMs', async () => {
    const f = fakeFetch([[429, { __type: 'TooManyRequestsException', message: 'slow down' }, { 'Retry-After': '3' }]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 0 });
    const e = await rejection(cti.call('GetAgentStates', {}));
    assert.deepEqual([e.type, e.status, e.retryAfterMs], ['ThrottlingException', 429, 3000]);
  });

  test('reads are retried on transient failures; writes without a key are not', async () => {
    const f = fakeFetch(['network', [503, ''], [200, { states: [] }]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 2, retryBaseMs: 1, random: () => 0 });
    assert.deepEqual(await cti.call('GetAgentStates', {}), { states: [] });
    assert.equal(f.seen.length, 3);

    const g = fakeFetch(['network', [200, {}]]);
    const cti2 = new HttpCtiClient({ endpoint: 'http://h/api', fetch: g.fn, retries: 2, retryBaseMs: 1, random: () => 0 });
    assert.equal((await rejection(cti2.call('AcceptContact', { contactId: 'c' }))).type, 'NetworkError');
    assert.equal(g.seen.length, 1);

    const h = fakeFetch(['network', [200, {}]]);
    const cti3 = new HttpCtiClient({ endpoint: 'http://h/api', fetch: h.fn, retries: 2, retryBaseMs: 1, random: () => 0 });
    await cti3.call('AcceptContact', { contactId: 'c' }, { idempotencyKey: 'k' });
    assert.equal(h.seen.length, 2);
    assert.equal(h.seen[1]!.headers['X-Idempotency-Token'], 'k');
  });

  test('non-transient errors are not retried', async () => {
    const f = fakeFetch([[400, { __type: 'InvalidStateException', message: 'x' }], [200, {}]]);
    const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 2, retryBaseMs: 1 });
    await rejection(cti.call('GetAgentStates', {}));
    assert.equal(f.seen.length, 1);
  });

  describe('deadlines (fake timers)', () => {
    beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
    afterEach(() => mock.timers.reset());

    test('a call that never answers fails with TimeoutError at its deadline', async () => {
      const f = fakeFetch(['hang']);
      const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 0 });
      const p = rejection(cti.call('GetAgentSnapshot', { nextToken: null, timeout: 30_000 }, { timeoutMs: 40_000 }));
      await Promise.resolve();
      mock.timers.tick(39_999);
      await Promise.resolve();
      let settled = false;
      void p.then(() => { settled = true; });
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, false);
      mock.timers.tick(1);
      const e = await p;
      assert.deepEqual([e.type, e.status], ['TimeoutError', 0]);
    });

    test('Retry-After: 0 does not retry at once: the next try waits at least 500 ms', async () => {
      const f = fakeFetch([[503, '', { 'Retry-After': '0' }], [503, '', { 'Retry-After': '0' }], [200, { states: [] }]]);
      const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn, retries: 2, random: () => 0 });
      const p = cti.call('GetAgentStates', {}, { timeoutMs: 10_000 });
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      assert.equal(f.seen.length, 1, 'retried without waiting');
      mock.timers.tick(499);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      assert.equal(f.seen.length, 1, 'retried before the 500 ms floor');
      mock.timers.tick(1);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      assert.equal(f.seen.length, 2);
      mock.timers.tick(500);
      assert.deepEqual(await p, { states: [] });
      assert.equal(f.seen.length, 3);
    });

    test('the caller aborting gives AbortError, not a timeout', async () => {
      const f = fakeFetch(['hang']);
      const cti = new HttpCtiClient({ endpoint: 'http://h/api', fetch: f.fn });
      const ac = new AbortController();
      const p = rejection(cti.call('GetAgentStates', {}, { signal: ac.signal }));
      await Promise.resolve();
      ac.abort();
      assert.equal((await p).type, 'AbortError');
    });
  });
});

describe('parseRetryAfter', () => {
  test('seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2', 0), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(null, 0), undefined);
  });
});
