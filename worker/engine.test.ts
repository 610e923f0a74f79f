import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType, type StateFull } from '../shared/protocol';
import { jsonEqual } from '../shared/delta';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { contact, QUEUE_ARN, ROUTING_PROFILE_ARN } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';
import { MemoryStore } from './store';

const NOW = 1_700_000_000_000;

describe('Engine: state and fan-out', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('start fetches a token, polls with it, and publishes the first data as a full state', async () => {
    const h = harness();
    const tab = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    assert.equal(h.auth.calls, 1);
    assert.equal(h.cti.callsOf('GetAgentSnapshot')[0]!.token, 'tok-1');
    assert.deepEqual(tab.messages.map((m) => m.type), [DownType.STATE, DownType.EVENT], 'state v0 then update_connected_ccps');
    await h.answerPoll([contact('c1')]);
    const full = tab.ofType(DownType.STATE).at(-1)!;
    assert.equal(full.version, 1);
    assert.equal(full.data?.snapshot.contacts[0]!.contactId, 'c1');
    await h.engine.stop();
  });

  test('normalises like the original: contacts by state timestamp, queueId and routingProfileId aliases', async () => {
    const h = harness();
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('late', 'connected', 1_700_000_050), contact('early', 'connected', 1_700_000_010)]);
    const data = h.engine.state.data!;
    assert.deepEqual(data.snapshot.contacts.map((c) => c.contactId), ['early', 'late']);
    assert.equal(data.snapshot.contacts[0]!.queue?.queueId, QUEUE_ARN);
    assert.equal(data.configuration.routingProfile.routingProfileId, ROUTING_PROFILE_ARN);
    assert.equal(data.configuration.routingProfile.defaultOutboundQueue?.queueId, QUEUE_ARN);
    await h.engine.stop();
  });

  test('an unchanged poll or configuration round sends nothing', async () => {
    const h = harness();
    const tab = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    const version = h.engine.state.version;
    tab.clear();
    await advance(mock.timers, 5_000);
    await h.answerPoll([contact('c1')]); // new snapshotTimestamp and token, same data
    await advance(mock.timers, 30_000); // a configuration round with the same answer
    assert.equal(h.cti.callsOf('GetAgentConfiguration').length, 2);
    assert.deepEqual(tab.messages, []);
    assert.equal(h.engine.state.version, version);
    await h.engine.stop();
  });

  test('a late joiner gets the full current state at once (push and welcome agree)', async () => {
    const h = harness();
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    await h.answerPoll([contact('c1'), contact('c2')]);
    const late = new FakeTab('late');
    const welcome = await h.engine.connectTab(late.hello(), late.push);
    assert.ok(!('error' in welcome));
    assert.equal(late.messages[0]!.type, DownType.STATE, 'first push is the full state');
    assert.deepEqual(late.state, h.engine.state);
    assert.ok(jsonEqual(welcome.state, h.engine.state));
    assert.equal(welcome.engineId, h.engine.engineId);
    await h.engine.stop();
  });

  test('a delta chain reproduces the engine state exactly, for followers and late joiners alike', async () => {
    const h = harness();
    const follower = await h.connect(new FakeTab('f'));
    await h.engine.start();
    await flush();
    const steps: [string[], string][] = [
      [['c1'], 'Available'], [['c1', 'c2'], 'Available'], [['c2'], 'Available'], [['c2'], 'Lunch'], [[], 'Lunch'],
      [['c3', 'c4', 'c5'], 'Available'],
    ];
    for (const [ids, name] of steps) {
      await advance(mock.timers, 1_000);
      await h.answerPoll(ids.map((id, i) => contact(id, 'connected', 1_700_000_000 + i)), { stateName: name });
      assert.ok(jsonEqual(follower.state, h.engine.state), `after ${ids.join(',')} ${name}`);
    }
    h.cti.on('GetAgentPermissions', () => ({ permissions: ['outboundCall', 'transfer'] }));
    await advance(mock.timers, 30_000);
    assert.deepEqual(h.engine.state.data?.configuration.permissions, ['outboundCall', 'transfer']);
    assert.ok(jsonEqual(follower.state, h.engine.state));
    assert.equal(follower.gaps, 0);
    const deltas = follower.ofType(DownType.DELTA);
    assert.ok(deltas.length >= 6);
    assert.ok(deltas.every((d, i) => i === 0 || d.base === deltas[i - 1]!.version), 'consecutive versions');
    const late = await h.connect(new FakeTab('late'));
    assert.ok(jsonEqual(late.state, follower.state));
    await h.engine.stop();
  });

  test('each fan-out is one JSON string shared by all tabs', async () => {
    const h = harness();
    const seen: string[][] = [[], []];
    await h.engine.connectTab(new FakeTab('a').hello(), (json) => { seen[0]!.push(json); });
    await h.engine.connectTab(new FakeTab('b').hello(), (json) => { seen[1]!.push(json); });
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    await h.answerPoll([contact('c1'), contact('c2')]);
    assert.equal(seen[0]!.at(-1), seen[1]!.at(-1));
    assert.equal(JSON.parse(seen[0]!.at(-1)!).type, DownType.DELTA);
    await h.engine.stop();
  });

  test('a tab that never settles delays nobody; a backlog stops its deltas and it gets one full state after draining', async () => {
    const h = harness({ timings: { maxUnsettledDeliveries: 3 } });
    const live = await h.connect(new FakeTab('live'));
    const slow = await h.connect(new FakeTab('slow', 'manual'));
    await h.engine.start();
    await flush();
    for (let i = 1; i <= 6; i++) await h.answerPoll([contact(`c${i}`)]);
    assert.ok(jsonEqual(live.state, h.engine.state), 'the live tab is current');
    assert.ok(!jsonEqual(slow.state, h.engine.state), 'the slow tab stopped receiving deltas');
    const before = slow.messages.length;
    slow.settleAll();
    await flush();
    slow.settleAll();
    await flush();
    const after = slow.messages.slice(before);
    assert.deepEqual(after.map((m) => m.type), [DownType.STATE], 'exactly one full state');
    assert.ok(jsonEqual(slow.state, h.engine.state));
    await h.answerPoll([contact('c7')]);
    assert.equal(slow.messages.at(-1)!.type, DownType.DELTA, 'back on deltas');
    await h.engine.stop();
  });

  test('skew is measured from snapshotTimestamp, shared in the state, and small changes publish nothing', async () => {
    const h = harness();
    const tab = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')], { skewMs: 5_000 });
    assert.equal(h.engine.state.skew, 5_000);
    assert.equal(tab.state?.skew, 5_000);
    assert.equal(h.engine.inspect().skewRtt, 0);
    tab.clear();
    await h.answerPoll([contact('c1')], { skewMs: 5_001 }); // same rtt: the first sample stays the estimate
    assert.deepEqual(tab.messages, []);
    await h.engine.stop();
  });
});

describe('Engine: persistence', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('writes are coalesced over 250 ms and the last one always lands', async () => {
    const store = new MemoryStore();
    const h = harness({ store });
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    await h.answerPoll([contact('c2')]);
    await h.answerPoll([contact('c3')]);
    assert.equal(store.saves, 0);
    await advance(mock.timers, 250);
    assert.equal(store.saves, 1);
    const saved = store.state as { state: StateFull; engineId: string };
    assert.equal(saved.state.version, h.engine.state.version);
    assert.equal(saved.engineId, h.engine.engineId);
    await h.answerPoll([contact('c4')]);
    await h.engine.stop(); // flushes without waiting for the window
    assert.equal((store.state as { state: StateFull }).state.version, h.engine.state.version);
  });

  test('a restarted engine publishes the persisted state as stale, then the first poll confirms it', async () => {
    const store = new MemoryStore();
    const first = harness({ store });
    await first.engine.start();
    await flush();
    await first.answerPoll([contact('c1')]);
    await first.answerPoll([contact('c1'), contact('c2')]);
    const v = first.engine.state.version;
    await first.engine.stop();

    const second = harness({ store });
    const tab = await second.connect(new FakeTab('a'));
    await second.engine.start();
    await flush();
    const restored = tab.ofType(DownType.STATE).at(-1)!;
    assert.equal(restored.version, v + 1, 'the version continues, never goes back');
    assert.equal(restored.stale, true);
    assert.deepEqual(restored.data?.snapshot.contacts.map((c) => c.contactId), ['c1', 'c2']);
    assert.equal(second.cti.callsOf('GetAgentSnapshot')[0]!.input.nextToken, null, 'first poll answers at once');
    await second.answerPoll([contact('c1'), contact('c2')]);
    assert.equal(second.engine.state.stale, undefined);
    assert.equal(second.engine.state.version, v + 2);
    assert.equal(tab.state?.stale, undefined, 'the tab saw the flag cleared through a delta');
    assert.ok(jsonEqual(tab.state, second.engine.state));
    await second.engine.stop();
  });

  test('stop then start keeps the live state (persisted state is restored once per engine)', async () => {
    const store = new MemoryStore();
    const h = harness({ store });
    await h.engine.start();
    await flush();
    await h.answerPoll([contact('c1')]);
    const v = h.engine.state.version;
    await h.engine.stop();
    await h.engine.start();
    await flush();
    assert.equal(h.engine.state.version, v);
    assert.equal(h.engine.state.stale, undefined);
    assert.equal(h.cti.polls.length, 1, 'one loop again');
    await h.engine.stop();
  });

  test('garbage in the store is ignored', async () => {
    const store = new MemoryStore();
    store.state = { state: { type: 'state', version: 'x' } };
    const h = harness({ store });
    await h.engine.start();
    await flush();
    assert.equal(h.engine.state.version, 0);
    await h.engine.stop();
  });

  test('logs go to a bounded ring, are persisted, and pushed only to tabs that want them', async () => {
    const store = new MemoryStore();
    const h = harness({ store, timings: { logRingSize: 5 } });
    const plain = await h.connect(new FakeTab('plain'));
    const wants = await h.connect(new FakeTab('wants'), { wantsLogs: true });
    await h.engine.handle('plain', { type: 'log', entries: [{ level: 'INFO', time: 1, text: 'from a tab', source: 'spoofed' }] });
    await advance(mock.timers, 1_000);
    assert.equal(plain.ofType(DownType.LOG).length, 0);
    const logs = wants.ofType(DownType.LOG).flatMap((m) => m.entries);
    const fromTab = logs.find((e) => e.text === 'from a tab');
    assert.equal(fromTab?.source, 'plain', 'the source is the tab, not what it claimed');
    assert.ok(store.logs.some((e) => e.text === 'from a tab'));
    for (let i = 0; i < 20; i++) await h.engine.handle('plain', { type: 'log', entries: [{ level: 'INFO', time: i, text: `l${i}`, source: '' }] });
    await advance(mock.timers, 1_000);
    await h.engine.stop();
    const restarted = harness({ store, timings: { logRingSize: 5 } });
    const inspector = new FakeTab('insp', 'auto');
    await restarted.engine.start();
    await restarted.connect(inspector, { role: 'inspector' });
    const backlog = inspector.ofType(DownType.LOG)[0]!.entries.map((e) => e.text);
    assert.equal(backlog.length, 5, 'bounded');
    assert.ok(backlog.includes('l19'), 'persisted logs survive the restart');
    await restarted.engine.stop();
  });
});
