import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHost } from './page-host';
import { TARGET_HEADER } from '../shared/cti';
import { TransportKind } from '../shared/protocol';
import { snapshot } from '../testing/worker/agent-data';
import { flush } from '../testing/worker/clock';

type Answer = (body: unknown) => void;

/** `fetch` of the page: snapshot polls wait for the test to answer them; every other operation fails (500), which
 * only sends the configuration round into its backoff. */
function fakeFetch(polls: Answer[]): typeof fetch {
  return (async (_input: unknown, init?: RequestInit) => {
    const target = (init?.headers as Record<string, string> | undefined)?.[TARGET_HEADER] ?? '';
    if (!target.endsWith('.GetAgentSnapshot')) return new Response('{"message":"not in this test"}', { status: 500 });
    return new Promise<Response>((resolve) => polls.push((body) => resolve(new Response(JSON.stringify(body), { status: 200 }))));
  }) as typeof fetch;
}

describe('createHost (the page-hosted engine)', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_700_000_000_000 }));
  afterEach(() => {
    mock.timers.reset();
    globalThis.fetch = realFetch;
  });

  test('re-polls at once after a change: a hidden page\'s timers run at most once a second, so it takes no pause', async () => {
    const polls: Answer[] = [];
    globalThis.fetch = fakeFetch(polls);
    const host = createHost({
      transport: TransportKind.BROADCAST, origin: 'https://ccp.example', storage: 'memory',
      session: { accessToken: 'token', expiration: Date.now() + 3_600_000 },
    });
    try {
      await flush();
      assert.equal(polls.length, 1, 'the first poll');
      polls.shift()!({ snapshot: snapshot([], { time: Date.now() / 1000 }), nextToken: 't1' });
      await flush();
      assert.equal(polls.length, 1, 'the next poll, with no timer run in between');
    } finally {
      await host.stop();
    }
  });
});
