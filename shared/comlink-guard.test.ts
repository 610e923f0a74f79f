import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { guardPort } from './comlink-guard';

/** Sends raw Comlink wire messages to an object exposed behind the guard; resolves with the replies. */
async function exchange(messages: unknown[]): Promise<{ replies: Record<string, unknown>[]; calls: string[] }> {
  const calls: string[] = [];
  const target = { hello: (x: string) => { calls.push(`hello ${x}`); return 'hi'; }, post: () => { calls.push('post'); return 1; } };
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(target, guardPort(port2 as unknown as MessagePort, ['hello', 'post']));
  const replies: Record<string, unknown>[] = [];
  port1.on('message', (m: Record<string, unknown>) => replies.push(m));
  for (const m of messages) port1.postMessage(m);
  await new Promise((r) => setTimeout(r, 50));
  port1.close();
  port2.close();
  return { replies, calls };
}

const raw = (v: unknown) => ({ type: 'RAW', value: v });

describe('guardPort', () => {
  test('offered methods are called as usual', async () => {
    const { replies, calls } = await exchange([{ id: 'a', type: 'APPLY', path: ['hello'], argumentList: [raw('x')] }]);
    assert.deepEqual(calls, ['hello x']);
    assert.equal((replies[0] as { value: unknown }).value, 'hi');
  });

  test('property walks, constructors, GET/SET and unknown names are refused with a typed error and never run', async () => {
    const { replies, calls } = await exchange([
      { id: 'c1', type: 'CONSTRUCT', path: ['hello', 'constructor'], argumentList: [raw('return 1')] },
      { id: 'c2', type: 'APPLY', path: ['constructor', 'constructor'], argumentList: [raw('return 1')] },
      { id: 'c3', type: 'GET', path: ['hello'] },
      { id: 'c4', type: 'SET', path: ['post'], value: raw(null) },
      { id: 'c5', type: 'APPLY', path: ['engine'], argumentList: [] },
      { id: 'c6', type: 'ENDPOINT', path: [] },
      'garbage', null, { no: 'id' },
    ]);
    assert.deepEqual(calls, []);
    assert.equal(replies.length, 6, 'one refusal per message that had an id');
    for (const r of replies) assert.match(JSON.stringify(r), /ValidationError.*refused/);
  });
});
