import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { PostResult } from '../../shared/endpoint';
import { ErrorType, PROTOCOL_VERSION, TabRole, type Down, type Hello, type Up, type Welcome, type WireError } from '../../shared/protocol';
import type { Transport } from '../tab/transport';
import { BRIDGE_SOURCE, BridgeType } from './bridge-protocol';
import { IframeBridgeTransport } from './iframe-bridge';
import { IframeRelay } from './iframe-relay';

const CRM = 'https://crm.example';
const CCP = 'https://ccp.example';

/** A CRM page and its CCP frame in one process: one global `message` target (each side filters by source and
 * origin, as in the browser), and each window's `postMessage` checks the target origin it is given and delivers a
 * structured clone asynchronously. `frameAlive = false` drops everything sent to the frame (a dead frame). */
function pageAndFrame() {
  const target = new EventTarget();
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { addEventListener: g.addEventListener, removeEventListener: g.removeEventListener, window: g.window };
  const state = { frameAlive: true, toCrm: [] as unknown[], toFrame: [] as unknown[] };
  const deliver = (data: unknown, source: object, origin: string) => setTimeout(() => {
    const e = new Event('message') as MessageEvent;
    Object.defineProperties(e, { data: { value: structuredClone(data) }, source: { value: source }, origin: { value: origin } });
    target.dispatchEvent(e);
  }, 0);
  const parentWin = {
    postMessage(data: unknown, origin: string) {
      assert.equal(origin, CRM, 'the frame posts to the exact parent origin');
      state.toCrm.push(data);
      deliver(data, frameWin, CCP);
    },
  };
  const frameWin = {
    postMessage(data: unknown, origin: string) {
      assert.equal(origin, CCP, 'the page posts to the exact CCP origin');
      state.toFrame.push(data);
      if (state.frameAlive) deliver(data, parentWin, CRM);
    },
  };
  g.addEventListener = target.addEventListener.bind(target);
  g.removeEventListener = target.removeEventListener.bind(target);
  g.window = { parent: parentWin };
  const restore = (): void => { Object.assign(g, saved); };
  /** A message as any script on the CRM page could post it to the frame. */
  const forge = (data: unknown): void => frameWin.postMessage(data, CCP);
  return { state, frame: { contentWindow: frameWin } as unknown as HTMLIFrameElement, restore, forge };
}

/** The engine connection the relay opens for the CRM: records the hello it was given, answers posts, pushes downs. */
function fakeEngine() {
  const hellos: Hello[] = [];
  const posts: Up[] = [];
  let push: ((d: Down) => void) | null = null;
  const transport = (): Transport => ({
    kind: 'fake' as Transport['kind'],
    async connect(hello: Hello, onDown: (d: Down) => void): Promise<Welcome> {
      hellos.push(hello);
      push = onDown;
      return { type: 'welcome', tabId: hello.tabId } as unknown as Welcome;
    },
    async post(msg: Up): Promise<PostResult> {
      posts.push(msg);
      return { ok: true, answered: (msg as { type: string }).type } as unknown as PostResult;
    },
    send: () => undefined,
    close: () => undefined,
  } as unknown as Transport);
  return { hellos, posts, transport, push: (d: Down) => push?.(d) };
}

const hello = (role: string, tabId = 'crm-1'): Hello => ({ type: 'hello', tabId, protocol: PROTOCOL_VERSION, role } as unknown as Hello);
const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Posts a raw Comlink call to the frame and resolves with the `reply` that answers it. */
function rawCall(w: ReturnType<typeof pageAndFrame>, call: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (e: Event): void => {
      const d = (e as MessageEvent).data as { source?: string; type?: string; reply?: { id?: string } };
      if (d?.source !== BRIDGE_SOURCE || d.type !== BridgeType.REPLY || d.reply?.id !== call.id) return;
      removeEventListener('message', onMessage);
      resolve(d.reply as Record<string, unknown>);
    };
    addEventListener('message', onMessage);
    w.forge({ source: BRIDGE_SOURCE, type: BridgeType.CALL, call });
  });
}

describe('the iframe bridge: Comlink between the CRM page and the CCP frame', () => {
  let cleanup: (() => void)[] = [];
  afterEach(() => { for (const c of cleanup.splice(0)) c(); });

  function setUp() {
    const w = pageAndFrame();
    const engine = fakeEngine();
    const errors: WireError[] = [];
    const relay = new IframeRelay({ parentOrigin: CRM, createTransport: engine.transport, onConfigure: () => undefined,
      onError: (e) => errors.push(e), locks: async () => undefined });
    relay.start();
    const bridge = new IframeBridgeTransport(w.frame, CCP);
    cleanup.push(() => { bridge.close(); relay.stop(); w.restore(); });
    return { w, engine, relay, bridge, errors };
  }

  test('hello and post are answered through Comlink; the CRM speaks as a CRM whatever it claims; downs are plain pushes', async () => {
    const { w, engine, bridge } = setUp();
    const downs: Down[] = [];
    const welcome = await bridge.connect(hello(TabRole.CCP), (d) => downs.push(d));
    assert.equal((welcome as unknown as { tabId: string }).tabId, 'crm-1');
    assert.equal(engine.hellos[0]!.role, TabRole.CRM);
    const answer = await bridge.post({ type: 'inspect' } as unknown as Up, 1000);
    assert.deepEqual(answer, { ok: true, answered: 'inspect' });
    engine.push({ type: 'event', event: 'x' } as unknown as Down);
    await tick();
    const types = w.state.toCrm.map((m) => (m as { type: string }).type);
    assert.deepEqual(types.filter((t) => t !== BridgeType.READY), [BridgeType.REPLY, BridgeType.REPLY, BridgeType.DOWN]);
  });

  test('the frame\'s typed errors reach the CRM as they are', async () => {
    const { bridge } = setUp();
    await bridge.connect(hello(TabRole.CRM), () => undefined);
    await assert.rejects(bridge.post({ type: 'bogus' } as unknown as Up, 1000), (e: WireError) => e.type === ErrorType.VALIDATION);
  });

  test('a call to anything but hello/post, or with a proxy for an argument, is refused and never evaluated', async () => {
    const { w, engine } = setUp();
    await tick();
    const refused = (r: Record<string, unknown>): boolean => r.type === 'HANDLER' && r.name === 'throw'
      && /refused|plain values/.test(JSON.stringify(r.value));
    assert.ok(refused(await rawCall(w, { id: 'c1', type: 'CONSTRUCT', path: ['hello', 'constructor'], argumentList: [] })));
    assert.ok(refused(await rawCall(w, { id: 'c2', type: 'GET', path: ['relay'] })));
    assert.ok(refused(await rawCall(w, { id: 'c3', type: 'APPLY', path: ['openRelay'], argumentList: [] })));
    assert.ok(refused(await rawCall(w, { id: 'c4', type: 'APPLY', path: ['hello'],
      argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }] })));
    assert.equal(engine.hellos.length, 0);
    const ok = await rawCall(w, { id: 'c5', type: 'APPLY', path: ['hello'], argumentList: [{ type: 'RAW', value: hello('inspector', 'raw') }] });
    assert.equal(ok.type, 'RAW');
    assert.equal(engine.hellos[0]!.role, TabRole.CRM, 'a raw hello claiming another role is still a CRM');
  });

  test('a dead frame never leaves a call hanging: the deadline rejects it, and close ends what is open', async () => {
    const { w, bridge } = setUp();
    await bridge.connect(hello(TabRole.CRM), () => undefined);
    w.state.frameAlive = false;
    await assert.rejects(bridge.post({ type: 'inspect' } as unknown as Up, 50), (e: WireError) => e.type === ErrorType.TIMEOUT);
    const open = bridge.post({ type: 'inspect' } as unknown as Up, 10_000);
    bridge.close();
    await assert.rejects(open, (e: WireError) => e.type === ErrorType.NOT_CONNECTED);
  });

  test('a call the dead frame never answered is settled in Comlink too, so nothing of it stays behind', async () => {
    // Comlink keeps each call's resolver until an answer with its id arrives, and a dead frame sends none: without a
    // settling answer, every request the CRM makes while its frame is dead stays in Comlink for the page's life.
    const { w, bridge } = setUp();
    await bridge.connect(hello(TabRole.CRM), () => undefined);
    w.state.frameAlive = false;
    const heard: { id?: string; type?: string; name?: string; value?: { value?: WireError } }[] = [];
    (bridge as unknown as { end: EventTarget }).end.addEventListener('message', (e) => heard.push((e as MessageEvent).data));
    const sentFrom = w.state.toFrame.length;
    await assert.rejects(bridge.post({ type: 'inspect' } as unknown as Up, 30), (e: WireError) => e.type === ErrorType.TIMEOUT);
    const open = bridge.post({ type: 'inspect' } as unknown as Up, 10_000);
    bridge.close();
    await assert.rejects(open, (e: WireError) => e.type === ErrorType.NOT_CONNECTED);
    const calls = w.state.toFrame.slice(sentFrom) as { type: string; call: { id: string } }[];
    assert.equal(calls.length, 2);
    const settled = calls.map((c) => heard.find((h) => h.id === c.call.id));
    assert.deepEqual(settled.map((h) => [h?.type, h?.name, h?.value?.value?.type]),
      [['HANDLER', 'throw', ErrorType.TIMEOUT], ['HANDLER', 'throw', ErrorType.NOT_CONNECTED]]);
  });

  test('a page repeating hello is throttled with a typed error', async () => {
    const { w } = setUp();
    await tick();
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      rawCall(w, { id: `h${i}`, type: 'APPLY', path: ['hello'], argumentList: [{ type: 'RAW', value: hello(TabRole.CRM, `t${i}`) }] })));
    const throttled = replies.filter((r) => JSON.stringify(r.value).includes(ErrorType.THROTTLED));
    assert.ok(throttled.length >= 3, `throttled ${throttled.length}`);
  });
});
