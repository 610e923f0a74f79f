import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimClient, type FetchLike } from './sim-client';

function fakeFetch(status: number, body: unknown, seen: { url: string; init?: RequestInit }[] = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
}

describe('SimClient', () => {
  test('the control API is on when GET /sim answers 200, off on 404 or a network error', async () => {
    assert.equal(await new SimClient(fakeFetch(200, { enabled: true })).isEnabled(), true);
    assert.equal(await new SimClient(fakeFetch(404, { type: 'ResourceNotFoundException' })).isEnabled(), false);
    assert.equal(await new SimClient(async () => { throw new TypeError('Failed to fetch'); }).isEnabled(), false);
  });

  test('requests send JSON to the right path', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const client = new SimClient(fakeFetch(201, { contactId: 'c1', username: 'agent1' }, seen), 'http://x');
    assert.deepEqual(await client.inbound({ type: 'chat', username: 'agent1' }), { contactId: 'c1', username: 'agent1' });
    assert.equal(seen[0]!.url, 'http://x/sim/contacts');
    assert.equal(seen[0]!.init?.method, 'POST');
    assert.deepEqual(JSON.parse(String(seen[0]!.init?.body)), { type: 'chat', username: 'agent1' });
    await client.message('a/b', 'hi', 'AGENT');
    assert.equal(seen[1]!.url, 'http://x/sim/contacts/a%2Fb/message');
  });

  test('an error answer rejects with the typed error of its body', async () => {
    const client = new SimClient(fakeFetch(409, { __type: 'AgentUnavailableException', type: 'AgentUnavailableException', message: 'nobody' }));
    await assert.rejects(client.inbound({ type: 'voice' }), { type: 'AgentUnavailableException', message: 'nobody' });
  });

  test('a body that is not JSON still gives a typed error naming the status', async () => {
    const client = new SimClient(async () => new Response('<html>', { status: 502 }));
    await assert.rejects(client.reset(), { type: 'HTTP 502', message: 'POST /sim/reset answered 502' });
  });

  test('a network failure is a NetworkError', async () => {
    const client = new SimClient(async () => { throw new TypeError('Failed to fetch'); });
    await assert.rejects(client.clearFaults(), (e: { type: string; message: string }) => e.type === 'NetworkError' && /Failed to fetch/.test(e.message));
  });
});
