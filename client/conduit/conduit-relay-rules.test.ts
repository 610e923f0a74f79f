/**
 * The CCP frame's Streams conduit (`ConduitRelay`), with a fake parent window and a fake engine transport: the rules
 * of a served request (deadline, idempotency key), the failure answers (`err` JSON, `auth_fail` instead of a response
 * when the session is gone) and `request_configure` for a reloaded frame. (`conduit-relay.test.ts`: acknowledge,
 * foreign windows and origins, claim, served/unserved/invalid requests.)
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostResult } from '../../shared/endpoint';
import {
  DownType, ErrorType, TransportKind, UpType, wireError, type Down, type Hello, type Up, type Welcome,
} from '../../shared/protocol';
import { CONFIGURE_CHECK_MS, ConduitRelay } from './conduit-relay';
import type { Transport } from '../tab/transport';

const PARENT = 'http://crm.example:8081';

interface Posted { msg: { event: string; data?: unknown }; origin: string }

class FakeTransport implements Transport {
  readonly kind = TransportKind.IN_PAGE;
  readonly posted: Up[] = [];
  hellos = 0;
  onDown: ((msg: Down) => void) | null = null;
  constructor(private readonly answer: (msg: Up) => PostResult) {}
  connect(hello: Hello, onDown: (msg: Down) => void): Promise<Welcome> {
    this.hellos += 1;
    this.onDown = onDown;
    return Promise.resolve({ tabId: hello.tabId, engineId: 'engine-1', tabCount: 2, transport: TransportKind.IN_PAGE,
      state: { type: DownType.STATE, version: 1, data: null, skew: 0 } });
  }
  post(msg: Up): Promise<PostResult> {
    this.posted.push(msg);
    return Promise.resolve(this.answer(msg));
  }
  send(): void { /* bye: nothing to answer */ }
  close(): void { /* nothing held */ }
}

let posted: Posted[];
let listeners: ((e: MessageEvent) => void)[];
const parentWindow = { postMessage: (msg: Posted['msg'], origin: string) => { posted.push({ msg, origin }); } };
const g = globalThis as unknown as Record<string, unknown>;

beforeEach(() => {
  posted = [];
  listeners = [];
  g.window = { parent: parentWindow };
  g.addEventListener = (type: string, l: (e: MessageEvent) => void) => { if (type === 'message') listeners.push(l); };
  g.removeEventListener = (type: string, l: (e: MessageEvent) => void) => { listeners = listeners.filter((x) => x !== l); };
});

afterEach(() => {
  delete g.window;
  delete g.addEventListener;
  delete g.removeEventListener;
});

function fromParent(data: unknown, over: { origin?: string; source?: unknown } = {}): void {
  const e = { data, origin: over.origin ?? PARENT, source: 'source' in over ? over.source : parentWindow } as unknown as MessageEvent;
  for (const l of [...listeners]) l(e);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
const events = (): string[] => posted.map((p) => p.msg.event);

function relayWith(answer: (msg: Up) => PostResult, claim = (): boolean => true): { relay: ConduitRelay; transport: FakeTransport } {
  const transport = new FakeTransport(answer);
  const relay = new ConduitRelay({
    parentOrigin: PARENT, createTransport: () => transport, locks: () => Promise.resolve(undefined),
    onConfigure: () => undefined, log: () => undefined, claim,
  });
  relay.start();
  return { relay, transport };
}

const ok = (msg: Up): PostResult => (msg.type === UpType.REQUEST
  ? { type: DownType.RESPONSE, requestId: msg.requestId, ok: true, data: { done: msg.method } } : undefined);

function apiResponse(requestId: string): { requestId: string; data: unknown; err: string | null } | undefined {
  const p = posted.find((x) => x.msg.event === 'api_response' && (x.msg.data as { requestId: string }).requestId === requestId);
  return p?.msg.data as { requestId: string; data: unknown; err: string | null } | undefined;
}

describe('ConduitRelay: request rules, failures, request_configure', () => {
  test('a served api_request goes through the engine (deadline, idempotency key) and is answered with its data', async () => {
    const { relay, transport } = relayWith(ok);
    try {
      fromParent({ event: 'api_request', data: { event: 'api_request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c-1' } } });
      await settle();
      const req = transport.posted.find((m) => m.type === UpType.REQUEST);
      assert.ok(req && req.type === UpType.REQUEST);
      assert.equal(req.method, 'acceptContact');
      assert.deepEqual(req.params, { contactId: 'c-1' });
      assert.ok(typeof req.idempotencyKey === 'string' && req.idempotencyKey.length > 0, 'an idempotency key');
      assert.ok(typeof req.timeoutMs === 'number' && req.timeoutMs > 0, 'a deadline');
      assert.deepEqual(apiResponse('r1'), { event: 'api_response', requestId: 'r1', data: { done: 'acceptContact' }, err: null });
    } finally {
      relay.stop();
    }
  });

  test('an engine failure is err = JSON {type, message, stack, retryStatus}; a gone session is auth_fail instead of a response', async () => {
    const { relay } = relayWith((msg) => {
      if (msg.type !== UpType.REQUEST) return undefined;
      const error = msg.method === 'clearContact'
        ? wireError(ErrorType.UNAUTHORIZED, 'no session') : wireError(ErrorType.CONTACT_GONE, 'no such contact');
      return { type: DownType.RESPONSE, requestId: msg.requestId, ok: false, error };
    });
    try {
      fromParent({ event: 'api_request', data: { event: 'api_request', requestId: 'r3', method: 'holdConnection', params: { contactId: 'c', connectionId: 'k' } } });
      fromParent({ event: 'api_request', data: { event: 'api_request', requestId: 'r4', method: 'clearContact', params: { contactId: 'c' } } });
      await settle();
      assert.deepEqual(JSON.parse(apiResponse('r3')?.err ?? 'null'),
        { type: ErrorType.CONTACT_GONE, message: 'no such contact', stack: [], retryStatus: 'none' });
      assert.equal(apiResponse('r4'), undefined, 'no api_response for the request refused for the session');
      assert.deepEqual(posted.find((p) => p.msg.event === 'auth_fail')?.msg.data, { authorize: true });
    } finally {
      relay.stop();
    }
  });

  test('request_configure when no configure came within the check (a reloaded frame), not when one came', async () => {
    const first = relayWith(ok);
    fromParent({ event: 'synchronize' });
    await new Promise((r) => setTimeout(r, CONFIGURE_CHECK_MS + 100));
    first.relay.stop();
    assert.equal(events().filter((e) => e === 'request_configure').length, 1);

    posted = [];
    const second = relayWith(ok);
    fromParent({ event: 'configure', data: { softphone: { allowFramedSoftphone: true } } });
    await new Promise((r) => setTimeout(r, CONFIGURE_CHECK_MS + 100));
    second.relay.stop();
    assert.deepEqual(events().filter((e) => e === 'request_configure'), []);
  });

  test('request_configure also when the parent\'s first message comes after the check (its next synchronize is ~1 s away)', async () => {
    const { relay } = relayWith(ok);
    try {
      await new Promise((r) => setTimeout(r, CONFIGURE_CHECK_MS + 100));
      assert.deepEqual(events(), ['acknowledge'], 'nothing before the parent spoke the conduit');
      fromParent({ event: 'synchronize' });
      await settle();
      assert.equal(events().filter((e) => e === 'request_configure').length, 1);
      fromParent({ event: 'synchronize' });
      await settle();
      assert.equal(events().filter((e) => e === 'request_configure').length, 1, 'once');
    } finally {
      relay.stop();
    }
  });
});
