import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelKind, type FollowerMessage } from '../../shared/broadcast-protocol';
import { ErrorType, PROTOCOL_VERSION, TabRole, UpType, type Hello } from '../../shared/protocol';
import { RemoteRoute } from './broadcast-routes';

const hello = (tabId: string, role = TabRole.CCP): Hello => ({ type: UpType.HELLO, tabId, protocol: PROTOCOL_VERSION, role });
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('RemoteRoute: a down message reaches only the tabs it is for', () => {
  test('messages for every tab (`*`) skip a tab whose hello the engine refused; addressed ones reach only their tabs', async () => {
    const sent: FollowerMessage[] = [];
    const route = new RemoteRoute(3, (m) => sent.push(m));
    const got: Record<string, string[]> = { ok: [], refused: [], other: [] };
    const welcome = route.hello(hello('ok'), (j) => got.ok!.push(j));
    const refusedHello = route.hello(hello('refused', TabRole.CRM), (j) => got.refused!.push(j));
    void route.hello(hello('other'), (j) => got.other!.push(j));
    // The hello of each tab is a Comlink call on the channel; the leader answers it with Comlink's reply.
    const callId = (tabId: string) => (sent.find((m) => m.kind === ChannelKind.CALL && m.from === tabId
      && (m.call.path as string[])[0] === 'hello') as { call: { id: string } }).call.id;
    route.reply({ kind: ChannelKind.REPLY, epoch: 3, to: 'ok', reply: { id: callId('ok'), type: 'RAW', value: { tabId: 'ok' } } });
    route.reply({ kind: ChannelKind.REPLY, epoch: 3, to: 'refused', reply: { id: callId('refused'), type: 'RAW',
      value: { error: { type: ErrorType.FORBIDDEN, message: 'no' } } } });
    await welcome;
    assert.deepEqual(await refusedHello, { error: { type: ErrorType.FORBIDDEN, message: 'no' } });
    await flush();
    route.deliver({ kind: ChannelKind.DOWN, epoch: 3, to: '*', json: 'everyone' });
    route.deliver({ kind: ChannelKind.DOWN, epoch: 3, to: ['ok'], json: 'for ok' });
    assert.deepEqual(got.ok, ['everyone', 'for ok']);
    assert.deepEqual(got.other, ['everyone'], 'a tab still waiting for its welcome gets what is for everyone');
    assert.deepEqual(got.refused, [], 'the refused tab gets nothing');
  });
});
