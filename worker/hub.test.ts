import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hub } from './hub';
import { TabRole } from '../shared/protocol';
import { flush, advance } from '../testing/worker/clock';

/** A push callback whose deliveries settle only when the test says so. */
function manualPush() {
  const got: string[] = [];
  const settle: (() => void)[] = [];
  const push = (json: string) => {
    got.push(json);
    return new Promise<void>((r) => settle.push(r));
  };
  return { got, push, settleAll: () => { while (settle.length) settle.shift()!(); } };
}

function autoPush() {
  const got: string[] = [];
  return { got, push: (json: string) => { got.push(json); return Promise.resolve(); } };
}

function makeHub(max = 32) {
  const logs: string[] = [];
  let fulls = 0;
  const hub = new Hub({
    now: () => Date.now(),
    timings: { deliveryDeadlineMs: 5_000, maxUnsettledDeliveries: max },
    fullState: () => `FULL${++fulls}`,
    log: (_l, t) => logs.push(t),
  });
  return { hub, logs };
}

describe('Hub', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  test('a tab that never answers does not delay the others', async () => {
    const { hub } = makeHub();
    const dead = manualPush();
    const live = autoPush();
    hub.add({ tabId: 'dead', role: TabRole.CCP, wantsLogs: false, push: dead.push });
    hub.add({ tabId: 'live', role: TabRole.CCP, wantsLogs: false, push: live.push });
    for (let i = 1; i <= 5; i++) hub.sendAll(`d${i}`, 'state');
    assert.deepEqual(live.got, ['d1', 'd2', 'd3', 'd4', 'd5']);
    assert.deepEqual(dead.got, ['d1', 'd2', 'd3', 'd4', 'd5']);
    await flush();
    assert.equal(hub.get('live')!.pending, 0);
    assert.equal(hub.get('dead')!.pending, 5);
  });

  test('backlog over the limit: deltas stop, control messages go on, one full state after draining', async () => {
    const { hub } = makeHub(4);
    const slow = manualPush();
    hub.add({ tabId: 's', role: TabRole.CCP, wantsLogs: false, push: slow.push });
    for (let i = 1; i <= 6; i++) hub.sendAll(`d${i}`, 'state');
    assert.deepEqual(slow.got, ['d1', 'd2', 'd3', 'd4']);
    assert.equal(hub.get('s')!.needsFull, true);
    hub.send('s', 'ack');
    assert.equal(slow.got.at(-1), 'ack');
    slow.settleAll();
    await flush();
    assert.deepEqual(slow.got.slice(5), ['FULL1'], 'exactly one full state once drained');
    slow.settleAll();
    await flush();
    hub.sendAll('d7', 'state');
    assert.equal(slow.got.at(-1), 'd7', 'follows deltas again');
  });

  test('a delivery past its deadline marks the tab late and stops deltas', async () => {
    const { hub, logs } = makeHub();
    const stuck = manualPush();
    hub.add({ tabId: 'x', role: TabRole.CCP, wantsLogs: false, push: stuck.push });
    hub.sendAll('d1', 'state');
    await advance(mock.timers, 4_999);
    assert.equal(hub.info()[0]!.alive, true);
    await advance(mock.timers, 1);
    assert.equal(hub.info()[0]!.alive, false);
    assert.ok(logs.some((l) => l.includes('deadline')));
    hub.sendAll('d2', 'state');
    assert.deepEqual(stuck.got, ['d1']);
    stuck.settleAll();
    await flush();
    assert.deepEqual(stuck.got, ['d1', 'FULL1']);
    assert.equal(hub.info()[0]!.alive, true);
  });

  test('remove drops pending deliveries, their timers and releases the connection', async () => {
    const { hub } = makeHub();
    const p = manualPush();
    let released = 0;
    hub.add({ tabId: 'x', role: TabRole.CCP, wantsLogs: false, push: p.push, release: () => released++ });
    hub.sendAll('d1', 'state');
    const rec = hub.get('x')!;
    assert.equal(rec.timers.size, 1);
    assert.equal(hub.remove('x'), true);
    assert.equal(rec.timers.size, 0);
    assert.equal(released, 1);
    hub.sendAll('d2', 'state');
    p.settleAll();
    await advance(mock.timers, 10_000);
    assert.deepEqual(p.got, ['d1']);
    assert.equal(hub.remove('x'), false);
  });

  test('a push that throws or rejects never breaks the fan-out', async () => {
    const { hub, logs } = makeHub();
    const ok = autoPush();
    hub.add({ tabId: 'a', role: TabRole.CCP, wantsLogs: false, push: () => { throw new Error('port closed'); } });
    hub.add({ tabId: 'b', role: TabRole.CCP, wantsLogs: false, push: () => Promise.reject(new Error('handler threw')) });
    hub.add({ tabId: 'c', role: TabRole.CCP, wantsLogs: false, push: ok.push });
    hub.sendAll('d1', 'state');
    await flush();
    assert.deepEqual(ok.got, ['d1']);
    assert.equal(hub.get('a')!.failures, 1);
    assert.equal(hub.get('b')!.failures, 1);
    assert.equal(hub.get('b')!.pending, 0);
    assert.ok(logs.some((l) => l.includes('port closed')));
  });

  test('a second connection with the same tab id replaces the first', () => {
    const { hub } = makeHub();
    const first = autoPush();
    const second = autoPush();
    let released = 0;
    hub.add({ tabId: 't', role: TabRole.CCP, wantsLogs: false, push: first.push, release: () => released++ });
    const r = hub.add({ tabId: 't', role: TabRole.CCP, wantsLogs: false, push: second.push });
    assert.equal(r.replaced, true);
    assert.equal(released, 1);
    assert.equal(hub.count, 1);
    hub.sendAll('x', 'control');
    assert.deepEqual([first.got, second.got], [[], ['x']]);
  });
  test('a port push (nothing to await) is confirmed by the tab\'s traffic; a silent tab stops getting deltas, then one full state', async () => {
    const { hub, logs } = makeHub();
    const frozen: string[] = [];
    const alive: string[] = [];
    hub.add({ tabId: 'frozen', role: TabRole.CCP, wantsLogs: false, push: (j: string) => { frozen.push(j); } });
    hub.add({ tabId: 'alive', role: TabRole.CCP, wantsLogs: false, push: (j: string) => { alive.push(j); } });
    for (let i = 1; i <= 8; i++) {
      hub.sendAll(`d${i}`, 'state');
      await advance(mock.timers, 1_000);
      hub.noteLife('alive'); // its SYNCHRONIZE
    }
    assert.deepEqual(alive, ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8']);
    // d1 went out at 0 s; no sign of life by 5 s: from then on no deltas pile up for it
    assert.deepEqual(frozen, ['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    assert.equal(hub.get('frozen')!.needsFull, true);
    assert.ok(logs.some((l) => l.includes('no sign of life')));
    hub.sendAll('ack', 'control');
    assert.equal(frozen.at(-1), 'ack', 'control messages still go out');
    hub.noteLife('frozen'); // thawed: its first SYNCHRONIZE
    assert.equal(frozen.at(-1), 'FULL1');
    hub.sendAll('d9', 'state');
    assert.equal(frozen.at(-1), 'd9');
  });
});
