import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostResult } from '../../shared/endpoint';
import { DownType, ErrorType, TabRole, TransportKind, UpType, type Down, type Hello, type Up, type Welcome } from '../../shared/protocol';
import { fixture } from '../../testing/client/fixtures';
import { ConduitRelay } from './conduit-relay';
import type { Transport } from '../tab/transport';

const PARENT = 'http://crm.example';

/** The page the relay runs in: its parent window (recording posts) and its `message` listeners. */
class FakePage {
  readonly parent = { posts: [] as { msg: { event: string; data?: unknown }; origin: string }[], postMessage(msg: { event: string; data?: unknown }, origin: string) { this.posts.push({ msg, origin }); } };
  readonly listeners = new Map<string, ((e: unknown) => void)[]>();
  install(): void {
    const g = globalThis as Record<string, unknown>;
    g.window = { parent: this.parent };
    g.addEventListener = (type: string, f: (e: unknown) => void) => this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
    g.removeEventListener = (type: string, f: (e: unknown) => void) => this.listeners.set(type, (this.listeners.get(type) ?? []).filter((x) => x !== f));
  }
  uninstall(): void {
    const g = globalThis as Record<string, unknown>;
    delete g.window; delete g.addEventListener; delete g.removeEventListener;
  }
  fromParent(data: unknown, origin = PARENT, source: unknown = this.parent): void {
    for (const f of this.listeners.get('message') ?? []) f({ data, origin, source });
  }
  events(): string[] {
    return this.parent.posts.map((p) => p.msg.event);
  }
}

/** An engine that welcomes with a recorded state and answers requests (acceptContact ok, others as scripted). */
class FakeTransport implements Transport {
  readonly kind = TransportKind.SHARED_WORKER;
  hello: Hello | null = null;
  readonly ups: Up[] = [];
  async connect(hello: Hello, _onDown: (m: Down) => void): Promise<Welcome> {
    this.hello = hello;
    return { tabId: hello.tabId, engineId: 'e1', state: fixture('inbound-voice-connecting'), tabCount: 2, transport: this.kind };
  }
  async post(msg: Up): Promise<PostResult> {
    this.ups.push(msg);
    if (msg.type === UpType.REQUEST) return { type: DownType.RESPONSE, requestId: msg.requestId, ok: true, data: {} };
    return undefined;
  }
  send(msg: Up): void { this.ups.push(msg); }
  close(): void {}
}

const flush = () => new Promise<void>((r) => setTimeout(r, 10));

describe('ConduitRelay: the frame speaking the Streams conduit to its approved parent', () => {
  let page: FakePage;
  let relay: ConduitRelay;
  let transport: FakeTransport;
  let claimed: boolean;
  beforeEach(() => {
    page = new FakePage();
    page.install();
    transport = new FakeTransport();
    claimed = true;
    relay = new ConduitRelay({
      parentOrigin: PARENT, createTransport: () => transport, locks: async () => undefined, onConfigure: () => undefined,
      log: () => undefined, claim: () => claimed,
    });
  });
  afterEach(() => {
    relay.stop();
    page.uninstall();
  });

  test('acknowledges at once with its tab id, posting only to the exact parent origin', () => {
    relay.start();
    assert.deepEqual(page.parent.posts, [{ msg: { event: 'acknowledge', data: { id: relay.tabId } }, origin: PARENT }]);
  });

  test('ignores messages from another window or another origin: no engine tab is opened', async () => {
    relay.start();
    page.fromParent({ event: 'synchronize' }, 'http://evil.example');
    page.fromParent({ event: 'synchronize' }, PARENT, { other: true });
    await flush();
    assert.equal(transport.hello, null);
    assert.deepEqual(page.events(), ['acknowledge']);
  });

  test('a parent that already speaks our bridge (claim refused) gets nothing more', async () => {
    claimed = false;
    relay.start();
    page.fromParent({ event: 'synchronize' });
    await flush();
    assert.equal(transport.hello, null);
    assert.deepEqual(page.events(), ['acknowledge']);
  });

  test('synchronize: acknowledged; the parent becomes a crm tab and gets agent::update with Dates', async () => {
    relay.start();
    page.fromParent({ event: 'synchronize' });
    await flush();
    assert.equal(transport.hello?.role, TabRole.CRM);
    assert.equal(transport.hello?.tabId, relay.tabId);
    const update = page.parent.posts.find((p) => p.msg.event === 'agent::update')!.msg.data as { snapshot: { state: { startTimestamp: unknown }; contacts: unknown[] } };
    assert.ok(update.snapshot.state.startTimestamp instanceof Date);
    assert.equal(update.snapshot.contacts.length, 1);
    assert.ok(page.events().filter((e) => e === 'acknowledge').length >= 2);
    assert.ok(page.parent.posts.every((p) => p.origin === PARENT));
  });

  test('api_request: a served method through the engine, an unserved one answered at once with a typed error', async () => {
    relay.start();
    page.fromParent({ event: 'api_request', data: { requestId: 'r1', method: 'acceptContact', params: { contactId: 'c1' } } });
    page.fromParent({ event: 'api_request', data: { requestId: 'r2', method: 'pauseContact', params: { contactId: 'c1' } } });
    await flush();
    const responses = page.parent.posts.filter((p) => p.msg.event === 'api_response').map((p) => p.msg.data as { requestId: string; err: string | null });
    const r1 = responses.find((r) => r.requestId === 'r1')!;
    const r2 = responses.find((r) => r.requestId === 'r2')!;
    assert.equal(r1.err, null);
    assert.equal(JSON.parse(r2.err!).type, ErrorType.UNKNOWN_METHOD);
    const sent = transport.ups.find((u) => u.type === UpType.REQUEST);
    assert.equal(sent?.type === UpType.REQUEST && sent.method, 'acceptContact');
    assert.equal(transport.ups.filter((u) => u.type === UpType.REQUEST).length, 1);
  });

  test('an invalid api_request with an id is answered with a ValidationError, not dropped', async () => {
    relay.start();
    page.fromParent({ event: 'api_request', data: { requestId: 'r3', method: 42 } });
    await flush();
    const r3 = page.parent.posts.find((p) => p.msg.event === 'api_response')!.msg.data as { requestId: string; err: string };
    assert.equal(r3.requestId, 'r3');
    assert.equal(JSON.parse(r3.err).type, ErrorType.VALIDATION);
  });
});
