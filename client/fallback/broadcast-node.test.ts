import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ChannelKind, LEADER_LOCK_NAME } from '../../shared/broadcast-protocol';
import { TransportKind } from '../../shared/protocol';
import { advance, FakeBrowser, flush } from '../../testing/client/fallback-browser';
import { believableEpoch, MAX_EPOCH } from './broadcast-node';
import { LEADER_SILENCE_MS, PROBE_TIMEOUT_MS } from './leader-watch';

describe('BroadcastNode: election and fencing', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('the first tab leads under epoch 1 and hosts the engine; the others follow it and host nothing', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    await flush();
    const others = [b.tab('b'), b.tab('c')];
    await flush();
    assert.deepEqual(b.leaders().map((t) => t.name), ['a']);
    for (const t of [a, ...others]) assert.equal(t.node.epoch, 1);
    assert.equal(b.factory.hosts.length, 1);
    assert.equal(b.factory.hosts[0]!.options.transport, TransportKind.BROADCAST);
    assert.equal(b.factory.hosts[0]!.options.epoch, 1);
    assert.equal(b.locks.holderOf(LEADER_LOCK_NAME), 'a');
  });

  test('epochs only grow: each new leader gets a higher one, also after every tab went away', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const c = b.tab('c');
    await flush();
    a.close();
    await flush();
    assert.equal(c.node.isLeader, true);
    assert.equal(c.node.epoch, 2);
    c.close();
    await flush();
    const d = b.tab('d'); // a new tab that never heard of epoch 2
    await flush();
    assert.equal(d.node.epoch, 3);
    assert.deepEqual(b.factory.hosts.map((h) => h.options.epoch), [1, 2, 3]);
    assert.deepEqual(b.factory.hosts.map((h) => h.stopped), [true, true, false]);
  });

  test('messages of an older epoch are ignored; a newer epoch is believed only once the counter and the lock show it', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    await flush();
    const forger = b.hub.open();
    forger.postMessage({ kind: ChannelKind.HEARTBEAT, epoch: 0, leader: 'old' });
    forger.postMessage({ kind: ChannelKind.DOWN, epoch: 0, to: '*', json: '{"type":"event","event":"x"}' });
    await flush();
    assert.equal(f.node.epoch, 1);
    // Epoch 5 was never handed out (the counter says 1): a page of the origin made it up.
    forger.postMessage({ kind: ChannelKind.HEARTBEAT, epoch: 5, leader: 'newer' });
    await flush();
    assert.equal(a.node.epoch, 1);
    assert.equal(f.node.epoch, 1);
    assert.equal(a.node.isLeader, true);
    assert.equal(b.factory.hosts[0]!.stopped, false);
  });

  test('a closed leader hands over at once, without waiting for a heartbeat to be missed', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    await flush();
    a.close();
    await flush(); // no timer advanced
    assert.equal(f.node.isLeader, true);
    assert.equal(b.factory.hosts[0]!.stopped, true, 'the old engine stopped before the lock passed');
  });

  test('a crashed leader is replaced through the lock the browser releases', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    const g = b.tab('g');
    await flush();
    a.crash();
    await flush();
    assert.deepEqual(b.leaders().filter((t) => t !== a).map((t) => t.name), ['f']);
    assert.equal(g.node.epoch, 2);
  });
});

describe('BroadcastNode: a silent leader', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('a leader whose heartbeats stop but who answers pings (throttled timers) is not replaced', async () => {
    const b = new FakeBrowser();
    b.tab('a', { heartbeatMs: 60_000 }); // a background tab: timers once a minute
    const f = b.tab('f');
    await flush();
    await advance(mock.timers, 10_000);
    assert.equal(b.locks.holderOf(LEADER_LOCK_NAME), 'a');
    assert.equal(f.node.epoch, 1);
    const pings = b.hub.log.filter((m) => (m as { kind: string }).kind === ChannelKind.PING).length;
    assert.ok(pings >= 3, `followers probed (${pings} pings)`);
  });

  test('a frozen leader is replaced only after the silence and a failed probe, under a new epoch', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    await flush();
    a.freeze();
    await advance(mock.timers, LEADER_SILENCE_MS);
    assert.equal(f.node.isLeader, false, 'silence alone is not enough');
    await advance(mock.timers, PROBE_TIMEOUT_MS + 300);
    assert.equal(f.node.isLeader, true);
    assert.equal(f.node.epoch, 2);
    assert.equal(b.locks.holderOf(LEADER_LOCK_NAME), 'f');
  });

  test('when several followers suspect the leader, exactly one steals', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const followers = [b.tab('f'), b.tab('g'), b.tab('h')];
    await flush();
    a.freeze();
    await advance(mock.timers, 4000);
    const leaders = followers.filter((t) => t.node.isLeader);
    assert.equal(leaders.length, 1);
    assert.equal(b.epochs.value, 2, 'one new epoch, not one per follower');
    for (const t of followers) assert.equal(t.node.epoch, 2);
    assert.equal(b.factory.hosts.length, 2);
  });

  test('the frozen leader, when it wakes up, stops its engine, is ignored, and follows the new leader', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    const g = b.tab('g');
    await flush();
    a.freeze();
    await advance(mock.timers, 3000);
    assert.equal(f.node.isLeader || g.node.isLeader, true);
    const newEpoch = f.node.epoch;
    a.thaw(); // its queued heartbeats (old epoch) go out, and its lock request rejects: the lock was stolen
    await flush();
    assert.equal(a.node.isLeader, false);
    assert.equal(b.factory.hosts[0]!.stopped, true, 'the old engine was stopped');
    assert.equal(f.node.epoch, newEpoch, 'the old heartbeats changed nothing');
    assert.equal(g.node.epoch, newEpoch);
    await advance(mock.timers, 1000);
    assert.equal(a.node.epoch, newEpoch, 'the woken tab follows the new leader');
    assert.deepEqual(b.leaders().map((t) => t.name).filter((n) => n !== 'a').length, 1);
    assert.match(a.logs.join('\n'), /no longer leading epoch 1/);
  });

  test('the woken leader\'s engine is fenced before it learns: it is asked whether it still holds the lock', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    b.tab('f');
    await flush();
    const isLeader = b.factory.hosts[0]!.options.isLeader!;
    assert.equal(await isLeader(), true);
    a.freeze();
    await advance(mock.timers, 3000);
    // The lock manager already lists the new holder, although the frozen tab was told nothing yet.
    a.locks.thaw(); // let its query run, but keep its channel frozen
    assert.equal(await isLeader(), false);
  });
});

describe('BroadcastNode: epochs heard on the channel are checked before they are believed (#12)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('a forged heartbeat with a huge epoch unseats no one and moves no follower; the fallback keeps working', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    await flush();
    await advance(mock.timers, 1000);
    const forger = b.hub.open();
    for (const epoch of [1e15, Number.MAX_SAFE_INTEGER, 2]) forger.postMessage({ kind: ChannelKind.HEARTBEAT, epoch, leader: 'x' });
    await flush();
    await advance(mock.timers, 3000); // heartbeats go on; a follower that had moved would find no leader and steal
    assert.equal(a.node.isLeader, true, 'the leader still leads');
    assert.equal(a.node.epoch, 1);
    assert.equal(f.node.epoch, 1, 'the follower still follows epoch 1');
    assert.equal(b.factory.hosts.length, 1, 'no new election');
    assert.equal(b.factory.hosts[0]!.stopped, false);
    assert.equal(b.epochs.value, 1, 'the counter was not pushed up');
    assert.match(f.logs.join('\n'), /ignoring epoch 1000000000000000/);
  });

  test('a forged pong or down message of a made-up epoch changes nothing either', async () => {
    const b = new FakeBrowser();
    const a = b.tab('a');
    const f = b.tab('f');
    await flush();
    const forger = b.hub.open();
    forger.postMessage({ kind: ChannelKind.DOWN, epoch: 7, to: '*', json: '{"type":"event","event":"x"}' });
    forger.postMessage({ kind: ChannelKind.PONG, epoch: 9, to: f.node.id, nonce: 1 });
    await flush();
    await advance(mock.timers, 2000);
    assert.equal(a.node.isLeader, true);
    assert.equal(f.node.epoch, 1);
    assert.equal(b.factory.hosts.length, 1);
  });

  test('a flood of made-up epochs costs at most a few counter reads a second', async () => {
    const b = new FakeBrowser();
    b.tab('a');
    const f = b.tab('f');
    await flush();
    let reads = 0;
    const read = b.epochs.read.bind(b.epochs);
    b.epochs.read = async () => { reads++; return read(); };
    const forger = b.hub.open();
    for (let i = 0; i < 200; i++) forger.postMessage({ kind: ChannelKind.HEARTBEAT, epoch: 100 + i, leader: 'x' });
    await flush();
    await advance(mock.timers, 1000);
    assert.equal(f.node.epoch, 1);
    assert.ok(reads <= 2 * 8, `counter reads for 200 forged heartbeats in 1 s: ${reads}`);
  });
});

describe('believableEpoch', () => {
  test('within the counter; without one, within the clock; never above MAX_EPOCH', () => {
    assert.equal(believableEpoch(3, 3, 0), true);
    assert.equal(believableEpoch(4, 3, 0), false);
    assert.equal(believableEpoch(1e15, 3, Date.now()), false);
    assert.equal(believableEpoch(1_700_000_000_000, null, 1_700_000_000_000), true);
    assert.equal(believableEpoch(1e15, null, 1_700_000_000_000), false);
    assert.equal(believableEpoch(MAX_EPOCH + 1, Number.MAX_SAFE_INTEGER, 0), false);
  });
});
