/**
 * `connect.core.terminate()` through the public namespace, in a fake page: whatever `initCCP` / `initSharedWorker`
 * started (the CCP iframe, its ResizeObserver, the message listeners of the bridge and of the frame's lock service,
 * the page's pagehide/pageshow listeners, timers, the login popup's wait) is gone after it, and a second init works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogLevel } from '../../shared/enums';
import { TabEvent } from '../../shared/tab-events';
import { FakeLockManager } from '../../testing/client/fake-locks';

const settle = async (): Promise<void> => { for (let i = 0; i < 60; i++) await new Promise((r) => setImmediate(r)); };
/** Chunks are compiled on first import here: waits (real time, bounded) until `cond` holds. */
const UNTIL_DEADLINE_MS = 10_000;
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + UNTIL_DEADLINE_MS;
  while (!cond()) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** The page: its listeners by type, its live timers, the frames it made and the observers it started. */
const page = {
  listeners: new Map<string, Set<unknown>>(),
  timers: new Set<unknown>(),
  frames: [] as FakeFrame[],
  observers: [] as FakeResizeObserver[],
  count(type: string): number { return this.listeners.get(type)?.size ?? 0; },
  total(): number { return [...this.listeners.values()].reduce((n, s) => n + s.size, 0); },
};

interface FakeFrame {
  src: string; title: string; allow: string; style: Record<string, string>;
  contentWindow: { postMessage(msg: unknown, origin: string): void };
  attached: boolean;
  remove(): void;
}

class FakeResizeObserver {
  observing = 0;
  constructor(_f: () => void) { page.observers.push(this); }
  observe(): void { this.observing++; }
  disconnect(): void { this.observing = 0; }
}

const container = {
  clientWidth: 800,
  appendChild(f: FakeFrame): void { f.attached = true; },
};

const saved = { setTimeout, clearTimeout, setInterval, clearInterval };
const g = globalThis as unknown as Record<string, unknown>;

function installPage(): void {
  g.addEventListener = (type: string, f: unknown) => {
    if (!page.listeners.has(type)) page.listeners.set(type, new Set());
    page.listeners.get(type)!.add(f);
  };
  g.removeEventListener = (type: string, f: unknown) => { page.listeners.get(type)?.delete(f); };
  g.window = globalThis;
  g.location = { href: 'https://crm.example/app', origin: 'https://crm.example' };
  g.document = {
    currentScript: null,
    createElement: (): FakeFrame => {
      const frame: FakeFrame = {
        src: '', title: '', allow: '', style: {}, attached: false,
        contentWindow: { postMessage: () => undefined },
        remove() { this.attached = false; },
      };
      page.frames.push(frame);
      return frame;
    },
  };
  g.ResizeObserver = FakeResizeObserver;
  g.HTMLScriptElement = class {};
  Object.defineProperty(globalThis, 'navigator', { value: { locks: new FakeLockManager().client('page') }, configurable: true });
  g.setTimeout = (f: () => void, ms?: number) => {
    const id = saved.setTimeout(() => { page.timers.delete(id); f(); }, ms);
    page.timers.add(id);
    return id;
  };
  g.setInterval = (f: () => void, ms?: number) => {
    const id = saved.setInterval(f, ms);
    page.timers.add(id);
    return id;
  };
  g.clearTimeout = (id: ReturnType<typeof setTimeout>) => { page.timers.delete(id); saved.clearTimeout(id); };
  g.clearInterval = (id: ReturnType<typeof setInterval>) => { page.timers.delete(id); saved.clearInterval(id); };
}

describe('connect.core.terminate in a page', () => {
  let connect: typeof import('../index').connect;
  before(async () => {
    installPage();
    connect = (await import('../index')).connect;
  });
  after(() => {
    Object.assign(globalThis, saved);
    for (const id of page.timers) { saved.clearTimeout(id as ReturnType<typeof setTimeout>); saved.clearInterval(id as ReturnType<typeof setInterval>); }
  });

  const quiet = (): void => { connect.getLog().setEchoLevel(LogLevel.CRITICAL); };

  function assertNothingLeft(frame: FakeFrame): void {
    assert.equal(connect.core.isInitialized(), false);
    assert.equal(connect.core.getCCPFrame(), null);
    assert.equal(frame.attached, false, 'the CCP iframe is removed');
    assert.ok(page.observers.every((o) => o.observing === 0), 'the ResizeObserver is disconnected');
    assert.deepEqual([...page.listeners].filter(([, s]) => s.size > 0).map(([t]) => t), [], 'no listener is left');
    assert.equal(page.timers.size, 0, 'no timer is left');
  }

  test('initCCP, terminate before the bridge chunk arrived: nothing is left', async () => {
    quiet();
    connect.core.initCCP(container as unknown as HTMLElement, { ccpUrl: 'https://ccp.example/ccp' });
    const frame = page.frames.at(-1)!;
    assert.equal(connect.core.isInitialized(), true);
    assert.equal(connect.core.getCCPFrame(), frame as unknown as HTMLIFrameElement);
    assert.equal(frame.attached, true);
    assert.ok(page.count('message') > 0, 'the frame\'s early messages are kept');
    assert.ok(page.count('pagehide') > 0);
    connect.core.terminate();
    await settle();
    assertNothingLeft(frame);
  });

  test('initCCP, terminate once the bridge and the lock service run; a second initCCP works, and ends clean', async () => {
    quiet();
    connect.core.initCCP(container as unknown as HTMLElement, { ccpUrl: 'https://ccp.example/ccp' });
    const first = page.frames.at(-1)!;
    await until(() => page.count('message') >= 2, 'the bridge and the lock service listen');
    connect.core.terminate();
    await settle();
    assertNothingLeft(first);

    let views = 0;
    connect.core.initCCP(container as unknown as HTMLElement, { ccpUrl: 'https://ccp.example/ccp', onViewContact: () => { views++; } });
    const second = page.frames.at(-1)!;
    assert.notEqual(second, first);
    assert.equal(connect.core.isInitialized(), true);
    assert.equal(connect.core.getCCPFrame(), second as unknown as HTMLIFrameElement);
    connect.core.getEventBus().trigger(connect.ContactEvents.VIEW, { contactId: 'c1' });
    assert.equal(views, 1, 'the new session\'s bus works');
    await until(() => page.count('message') >= 2, 'the bridge and the lock service listen again');
    connect.core.terminate();
    await settle();
    assertNothingLeft(second);
    connect.core.getEventBus().trigger(connect.ContactEvents.VIEW, { contactId: 'c2' });
    assert.equal(views, 1);
  });

  test('initSharedWorker (no SharedWorker here: the connection fails), terminate, initSharedWorker again', async () => {
    for (let round = 1; round <= 2; round++) {
      quiet();
      const failures: unknown[] = [];
      connect.core.getEventBus().subscribe(TabEvent.TRANSPORT_ERROR, (e: unknown) => failures.push(e));
      connect.core.initSharedWorker({ role: 'page', transport: 'shared-worker' });
      assert.equal(connect.core.isInitialized(), true, `round ${round}: initialised`);
      await until(() => failures.length === 1, `round ${round}: the init ran and reported its failure`);
      assert.ok(page.count('pagehide') > 0);
      connect.core.terminate();
      await settle();
      assert.equal(connect.core.isInitialized(), false);
      assert.deepEqual([...page.listeners].filter(([, s]) => s.size > 0).map(([t]) => t), [], `round ${round}: no listener is left`);
      assert.equal(page.timers.size, 0, `round ${round}: no timer is left`);
    }
  });
});
