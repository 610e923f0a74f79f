import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ChannelKind } from '../../shared/broadcast-protocol';
import {
  DownType, ErrorType, PROTOCOL_VERSION, TabRole, UpType, type Down, type Hello, type Request, type Up, type Welcome,
} from '../../shared/protocol';
import { EngineLink } from '../tab/engine-link';
import { advance, FakeBrowser, flush, type SimTab } from '../../testing/client/fallback-browser';
import type { FakeHost } from '../../testing/client/fake-engine-host';
import { afterLeaderChange, BroadcastTransport } from './broadcast';

function hello(tabId: string): Hello {
  return { type: UpType.HELLO, tabId, protocol: PROTOCOL_VERSION, role: TabRole.CCP };
}

function request(id: string, key?: string): Request {
  return { type: UpType.REQUEST, requestId: id, method: 'acceptContact', params: { contactId: 'c1' }, ...(key ? { idempotencyKey: key } : {}) };
}

/** A tab on `page` speaking through its node. */
async function connectTab(page: SimTab, tabId: string) {
  const downs: Down[] = [];
  const rewelcomes: Welcome[] = [];
  const changes: unknown[] = [];
  const t = new BroadcastTransport({ node: () => { throw new Error('unused'); }, ownNode: page.node, onChange: (i) => changes.push(i) });
  const welcome = await t.connect(hello(tabId), (m) => downs.push(m), (w) => rewelcomes.push(w));
  return { t, welcome, downs, rewelcomes, changes };
}

const never = () => new Promise<never>(() => undefined);

describe('BroadcastTransport', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('the leader page talks to its engine directly; a follower through the channel, with answers addressed to it', async () => {
    const b = new FakeBrowser();
    const lead = b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const mine = await connectTab(lead, 'tab-L');
    const theirs = await connectTab(follow, 'tab-F');
    const host = b.factory.hosts[0]!;
    assert.deepEqual([...host.pushes.keys()], ['tab-L', 'tab-F']);
    const hellos = b.hub.log.filter((m) => {
      const c = m as { kind: string; call?: { path?: string[] } };
      return c.kind === ChannelKind.CALL && c.call?.path?.[0] === 'hello';
    }) as { from: string }[];
    assert.deepEqual(hellos.map((h) => h.from), ['tab-F'], 'only the follower said hello on the channel');
    assert.equal(theirs.welcome.engineId, 'engine-1');
    const answer = await theirs.t.post(request('r1', 'k1'), 5000);
    assert.equal((answer as { ok: boolean }).ok, true);
    host.push('tab-F', { type: DownType.EVENT, event: 'for-F' });
    host.push('tab-L', { type: DownType.EVENT, event: 'for-L' });
    await flush();
    mock.timers.tick(0);
    await flush();
    assert.deepEqual(theirs.downs.map((d) => (d as { event?: string }).event).filter(Boolean), ['for-F']);
    assert.deepEqual(mine.downs.map((d) => (d as { event?: string }).event).filter(Boolean), ['for-L']);
  });

  test('a fan-out reaches the followers\' channel before the leader\'s own page handles it, in order', async () => {
    const b = new FakeBrowser();
    const lead = b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const mine = await connectTab(lead, 'tab-L');
    await connectTab(follow, 'tab-F');
    const host = b.factory.hosts[0]!;
    mock.timers.tick(0);
    await flush();
    const events = (downs: Down[]) => downs.map((d) => (d as { event?: string }).event).filter(Boolean);
    const posted = () => b.hub.log.filter((m) => (m as { kind: string }).kind === ChannelKind.DOWN).length;
    const before = posted();
    // The engine's fan-out: its own page's tab first (it connected first), then the follower.
    host.push('tab-L', { type: DownType.EVENT, event: 'one' });
    host.push('tab-L', { type: DownType.EVENT, event: 'two' });
    host.push('tab-F', { type: DownType.EVENT, event: 'one' });
    await flush();
    assert.equal(posted(), before + 1, 'the followers\' copy is on the channel');
    assert.deepEqual(events(mine.downs), [], 'the leader\'s page has not handled it yet');
    mock.timers.tick(0);
    await flush();
    assert.deepEqual(events(mine.downs), ['one', 'two']);
  });

  test('a request in flight when the leader dies is re-sent to the new leader as the same message (same idempotency key)', async () => {
    const b = new FakeBrowser();
    const lead = b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const tab = await connectTab(follow, 'tab-F');
    b.factory.hosts[0]!.answer = never; // the old leader never answers
    const msg = request('r1', 'key-1');
    const pending = tab.t.post(msg, 30_000);
    await flush();
    assert.equal(b.factory.hosts[0]!.posts.length, 1);
    lead.close();
    await flush();
    assert.equal(follow.node.isLeader, true);
    const host2 = b.factory.hosts[1]!;
    const answer = await pending;
    assert.equal((answer as { ok: boolean }).ok, true);
    assert.deepEqual(host2.posts.map((p) => p.msg), [msg], 'the very same request, key included');
    assert.equal((host2.posts[0]!.msg as Request).idempotencyKey, 'key-1');
    assert.equal(tab.rewelcomes.length, 1, 'the tab took the new engine\'s welcome');
    assert.equal(tab.rewelcomes[0]!.engineId, 'engine-2');
    assert.deepEqual(tab.changes, [{ transport: 'broadcast', epoch: 2, leader: true }]);
  });

  test('what is unsafe to repeat fails with LeaderChangedError instead', async () => {
    const b = new FakeBrowser();
    const lead = b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const tab = await connectTab(follow, 'tab-F');
    b.factory.hosts[0]!.answer = never;
    const broadcast = tab.t.post({ type: UpType.BROADCAST, event: 'mute', data: { mute: true } }, 30_000).then(() => 'ok', (e) => e);
    const keyless = tab.t.post(request('r2'), 30_000).then(() => 'ok', (e) => e);
    await flush();
    lead.crash();
    await flush();
    assert.deepEqual(await broadcast, { type: ErrorType.LEADER_CHANGED, message: 'the leader changed while broadcast was in flight; it was not re-sent' });
    assert.equal((await keyless).type, ErrorType.LEADER_CHANGED);
    assert.deepEqual(b.factory.hosts[1]!.posts, []);
  });

  test('a deposed leader\'s LeaderChangedError answer is not final: the request goes to the next leader', async () => {
    const b = new FakeBrowser();
    const lead = b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const tab = await connectTab(follow, 'tab-F');
    b.factory.hosts[0]!.answer = (_t, m) => ({ type: DownType.RESPONSE, requestId: (m as Request).requestId, ok: false,
      error: { type: ErrorType.LEADER_CHANGED, message: 'this tab no longer leads' } });
    const pending = tab.t.post(request('r1', 'k'), 30_000);
    await flush();
    lead.close();
    assert.equal(((await pending) as { ok: boolean }).ok, true);
  });

  test('every call settles by its deadline, leader or not', async () => {
    const b = new FakeBrowser();
    b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    const tab = await connectTab(follow, 'tab-F');
    b.factory.hosts[0]!.answer = never;
    const late = tab.t.post(request('r1', 'k'), 800).then(() => 'answered', (e: { type: string }) => e.type);
    await advance(mock.timers, 900);
    assert.equal(await late, ErrorType.TIMEOUT);
    tab.t.close();
    assert.equal(await tab.t.post(request('r2', 'k2'), 800).catch((e: { type: string }) => e.type), ErrorType.NOT_CONNECTED);
  });

  test('a follower that misses a version asks the new leader for the whole state (gap → resync)', async () => {
    const b = new FakeBrowser();
    b.tab('lead');
    const follow = b.tab('follow');
    await flush();
    let version = -1;
    const link = new EngineLink({
      transport: new BroadcastTransport({ node: () => { throw new Error('unused'); }, ownNode: follow.node }),
      holdLock: false, synIntervalMs: 60_000,
      sink: {
        state: (m) => {
          if (m.type === DownType.DELTA && m.base !== version) return 'gap';
          version = m.version;
          return 'applied';
        },
        event: () => undefined, logs: () => undefined,
      },
    });
    await link.connect();
    const host: FakeHost = b.factory.hosts[0]!;
    assert.equal(version, 10);
    host.push(link.tabId, { type: DownType.DELTA, version: 11, base: 10 });
    host.push(link.tabId, { type: DownType.DELTA, version: 13, base: 12 }); // 12 was lost
    await flush();
    assert.equal(version, 11);
    assert.deepEqual(host.posts.map((p) => p.msg.type).filter((t) => t !== UpType.SYNCHRONIZE), [UpType.RESYNC]);
    link.close();
  });
});

describe('afterLeaderChange', () => {
  test('re-sends what is safe to repeat, fails the rest', () => {
    const cases: [Up, 'resend' | 'fail'][] = [
      [request('a', 'k'), 'resend'],
      [request('b'), 'fail'],
      [{ type: UpType.BROADCAST, event: 'x' }, 'fail'],
      [{ type: UpType.MASTER, requestId: 'm', method: 'checkMaster' as never, topic: 't' }, 'resend'],
      [{ type: UpType.RESYNC }, 'resend'],
      [{ type: UpType.INSPECT }, 'resend'],
      [{ type: UpType.SESSION, authToken: 't' }, 'resend'],
      [{ type: UpType.TERMINATE }, 'resend'],
    ];
    for (const [msg, expected] of cases) assert.equal(afterLeaderChange(msg), expected, msg.type);
  });
});
