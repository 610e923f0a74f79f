import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import {
  DownType, ErrorType, TransportKind,
  type Hello, type StateDelta, type StateFull, type Up, type Welcome, type WireError,
} from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import { FakeBrowser, flush } from '../../testing/client/fallback-browser';
import { FakeEngineFactory } from '../../testing/client/fake-engine-host';
import { BroadcastTransport } from '../fallback/broadcast';
import { InPageTransport } from '../fallback/in-page';
import { EngineLink, type LinkSink } from './engine-link';
import type { Transport } from './transport';

/** What a tab received: states applied, events, and the errors it logged (`link_error`). */
function recordingSink(): LinkSink & { states: (StateFull | StateDelta)[]; events: string[]; errors: WireError[] } {
  const states: (StateFull | StateDelta)[] = [];
  const events: string[] = [];
  const errors: WireError[] = [];
  return {
    states, events, errors,
    state: (msg) => { states.push(msg); return 'applied'; },
    event: (name, data) => { if (name === 'link_error') errors.push(data as WireError); else events.push(name); },
    logs: () => undefined,
  };
}

/** Malformed down messages as an engine (or anything posing as one) might push them, and what each error names. */
const MALFORMED: { json: string; names: string }[] = [
  { json: JSON.stringify({ type: DownType.STATE, version: '7', data: null, skew: 0 }), names: 'state.version' },
  { json: JSON.stringify({ type: 'bogus' }), names: "unknown down message type 'bogus'" },
  { json: JSON.stringify({ type: DownType.DELTA, version: 3, base: 'two' }), names: 'delta.base' },
  { json: '{not json', names: 'JSON' },
];

function assertDroppedAndLogged(sink: ReturnType<typeof recordingSink>): void {
  assert.equal(sink.states.length, 1, 'only the welcome\'s state was applied');
  assert.equal(sink.errors.length, MALFORMED.length, 'one logged error per dropped message');
  MALFORMED.forEach((m, i) => {
    assert.equal(sink.errors[i]!.type, ErrorType.VALIDATION);
    assert.ok(sink.errors[i]!.message.includes(m.names), `"${sink.errors[i]!.message}" names ${m.names}`);
  });
  assert.ok(sink.events.includes('after'), 'a valid message after the bad ones still arrives');
}

describe('a tab validates every down message on receipt', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('over the BroadcastChannel: malformed messages are dropped with a logged ValidationError, the tab goes on', async () => {
    const b = new FakeBrowser();
    b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const sink = recordingSink();
    const transport = new BroadcastTransport({ node: () => { throw new Error('unused'); }, ownNode: follow.node });
    const link = new EngineLink({ transport, sink, tabId: 'tab-F', holdLock: false });
    try {
      await link.connect();
      const push = b.factory.hosts[0]!.pushes.get('tab-F')!;
      for (const m of MALFORMED) push(m.json);
      push(JSON.stringify({ type: DownType.EVENT, event: 'after' }));
      await flush();
      assertDroppedAndLogged(sink);
    } finally {
      link.close();
    }
  });

  test('in-page: the same', async () => {
    const factory = new FakeEngineFactory();
    const sink = recordingSink();
    const transport = new InPageTransport({ loadEngine: async () => factory, origin: 'https://ccp.example' });
    const link = new EngineLink({ transport, sink, tabId: 'tab-P', holdLock: false });
    try {
      await link.connect();
      const push = factory.hosts[0]!.pushes.get('tab-P')!;
      for (const m of MALFORMED) push(m.json);
      push(JSON.stringify({ type: DownType.EVENT, event: 'after' }));
      await flush();
      assertDroppedAndLogged(sink);
    } finally {
      link.close();
    }
  });

  test('a welcome whose state is malformed fails connect with a ValidationError, and nothing is applied', async () => {
    const transport: Transport = {
      kind: TransportKind.SHARED_WORKER,
      connect: async (h: Hello): Promise<Welcome> => ({
        tabId: h.tabId, engineId: 'e1', tabCount: 1, transport: TransportKind.SHARED_WORKER,
        state: { type: DownType.STATE, version: 'one' as unknown as number, data: null, skew: 0 },
      }),
      post: async (_msg: Up): Promise<PostResult> => undefined,
      send: () => undefined,
      close: () => undefined,
    };
    const sink = recordingSink();
    const link = new EngineLink({ transport, sink, tabId: 'tab-W', holdLock: false });
    try {
      await assert.rejects(link.connect(), (e: WireError) => e.type === ErrorType.VALIDATION && e.message.includes('state.version'));
      assert.equal(sink.states.length, 0);
    } finally {
      link.close();
    }
  });
});

