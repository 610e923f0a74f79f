import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelKind, type FollowerMessage, type ServerOutput } from '../shared/broadcast-protocol';
import { DownType, ErrorType, UpType } from '../shared/protocol';
import { EngineChannelServer } from './channel-server';
import { createTabEndpoint } from './tab-endpoint';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { flush } from '../testing/worker/clock';

/** A tab's Comlink call of `method(arg)` on the channel, with call id `rid` (what a follower's `Comlink.wrap` sends). */
const call = (from: string, rid: string, method: 'hello' | 'post', arg: unknown): FollowerMessage =>
  ({ kind: ChannelKind.CALL, epoch: 1, from, call: { id: rid, type: 'APPLY', path: [method], argumentList: [{ type: 'RAW', value: arg }] } });

/** A reply decoded from Comlink's wire format: the value, or the thrown error. */
type Result = { to: string; rid: string; ok: true; value: unknown } | { to: string; rid: string; ok: false; error: { type: string; message: string } };
function results(out: ServerOutput[]): Result[] {
  return out.filter((o) => o.kind === ChannelKind.REPLY).map((o) => {
    const r = (o as Extract<ServerOutput, { kind: ChannelKind.REPLY }>).reply as { id: string; type: string; value: unknown };
    const thrown = r.type === 'HANDLER' ? (r.value as { value: { type: string; message: string } }).value : null;
    return thrown ? { to: o.to, rid: r.id, ok: false as const, error: thrown } : { to: o.to, rid: r.id, ok: true as const, value: r.value };
  });
}

function serve() {
  const h = harness();
  void h.engine.start();
  const out: ServerOutput[] = [];
  const server = new EngineChannelServer({ endpoint: (r) => createTabEndpoint({ engine: h.engine, releasePush: r }), emit: (o) => out.push(o) });
  const hello = (tabId: string, rid = `h-${tabId}`) => server.receive(call(tabId, rid, 'hello', new FakeTab(tabId).hello()));
  return { h, out, server, hello };
}

const downs = (out: ServerOutput[]) => out.filter((o) => o.kind === ChannelKind.DOWN) as Extract<ServerOutput, { kind: ChannelKind.DOWN }>[];

describe('EngineChannelServer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_700_000_000_000 }));
  afterEach(() => mock.timers.reset());

  test('a hello is answered to that tab, after the full state pushed to it', async () => {
    const { out, hello } = serve();
    hello('a');
    await flush();
    const firstResult = out.findIndex((o) => o.kind === ChannelKind.REPLY);
    const state = out.findIndex((o) => o.kind === ChannelKind.DOWN && JSON.parse(o.json).type === DownType.STATE);
    assert.ok(state >= 0 && state < firstResult, 'state first, then the welcome');
    const result = results(out)[0]!;
    assert.equal(result.to, 'a');
    assert.equal(result.rid, 'h-a');
    assert.equal(result.ok && (result.value as { tabId: string }).tabId, 'a');
  });

  test('a fan-out to every follower is one message to "*"; a message for one tab names it', async () => {
    const { h, out, server, hello } = serve();
    for (const id of ['a', 'b', 'c']) hello(id);
    await flush();
    out.length = 0;
    await h.answerPoll(); // the first snapshot: one state for every tab
    const fanned = downs(out).filter((d) => JSON.parse(d.json).type !== DownType.EVENT);
    assert.ok(fanned.length >= 1);
    for (const d of fanned) assert.equal(d.to, '*');
    out.length = 0;
    server.receive({ kind: ChannelKind.SEND, epoch: 1, from: 'b', msg: { type: UpType.SYNCHRONIZE, seq: 3 } });
    await flush();
    assert.deepEqual(downs(out).map((d) => [d.to, JSON.parse(d.json).type]), [[['b'], DownType.ACKNOWLEDGE]]);
  });

  test('a post is answered to its sender; a tab that said no hello gets a typed error; the tab id is the sender\'s', async () => {
    const { out, server, hello } = serve();
    hello('a');
    await flush();
    out.length = 0;
    server.receive(call('a', 'r1', 'post', { type: UpType.INSPECT }));
    server.receive(call('z', 'r2', 'post', { type: UpType.INSPECT }));
    server.receive(call('x', 'r3', 'hello', new FakeTab('y').hello()));
    await flush();
    const byRid = Object.fromEntries(results(out).map((r) => [r.rid, r]));
    assert.equal(byRid.r1!.to, 'a');
    assert.equal(byRid.r1!.ok && typeof (byRid.r1!.value as { engineId: string }).engineId, 'string');
    assert.deepEqual(byRid.r2, { to: 'z', rid: 'r2', ok: false,
      error: { type: ErrorType.NOT_CONNECTED, message: 'tab z sent no hello to this leader' } });
    assert.equal(!byRid.r3!.ok && byRid.r3!.error.type, ErrorType.VALIDATION);
  });

  test('a tab the engine drops is forgotten; a closed server emits nothing', async () => {
    const { h, out, server, hello } = serve();
    hello('a');
    hello('b');
    await flush();
    h.liveness.kill('a');
    await flush();
    assert.equal(server.tabCount, 1);
    server.close();
    out.length = 0;
    await h.answerPoll();
    hello('c');
    await flush();
    assert.deepEqual(out, []);
  });
});
