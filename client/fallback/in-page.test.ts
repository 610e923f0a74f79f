import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DownType, ErrorType, PROTOCOL_VERSION, TabRole, TransportKind, UpType } from '../../shared/protocol';
import { FakeEngineFactory } from '../../testing/client/fake-engine-host';
import { InPageTransport } from './in-page';

const hello = (tabId: string) => ({ type: UpType.HELLO as const, tabId, protocol: PROTOCOL_VERSION, role: TabRole.PAGE });

describe('InPageTransport', () => {
  test('tabs of one page share one in-page engine, stopped when the last one closes', async () => {
    const factory = new FakeEngineFactory();
    const o = { loadEngine: async () => factory, origin: 'https://ccp.example' };
    const a = new InPageTransport(o);
    const b = new InPageTransport(o);
    const downs: string[] = [];
    const wa = await a.connect(hello('a'), (m) => downs.push(m.type));
    await b.connect(hello('b'), () => undefined);
    assert.equal(factory.hosts.length, 1);
    assert.equal(factory.hosts[0]!.options.transport, TransportKind.IN_PAGE);
    assert.equal(wa.engineId, 'engine-1');
    assert.deepEqual(a.info(), { transport: TransportKind.IN_PAGE });
    factory.hosts[0]!.push('a', { type: DownType.EVENT, event: 'x' });
    assert.deepEqual(downs, [DownType.EVENT]);
    const r = await a.post({ type: UpType.REQUEST, requestId: 'r', method: 'acceptContact', params: {} }, 1000);
    assert.equal((r as { ok: boolean }).ok, true);
    a.close();
    await new Promise((r2) => setImmediate(r2));
    assert.equal(factory.hosts[0]!.stopped, false);
    b.close();
    await new Promise((r2) => setImmediate(r2));
    assert.equal(factory.hosts[0]!.stopped, true);
    await assert.rejects(a.post({ type: UpType.INSPECT }, 1000), { type: ErrorType.NOT_CONNECTED });
  });

  test('an engine that cannot be loaded fails connect with a typed error', async () => {
    const t = new InPageTransport({ loadEngine: () => Promise.reject({ type: ErrorType.NOT_CONNECTED, message: 'could not load /e.js' }), origin: 'x' });
    await assert.rejects(t.connect(hello('a'), () => undefined), { type: ErrorType.NOT_CONNECTED });
  });
});
