import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType } from '../shared/protocol';
import { DEFAULT_TIMINGS } from '../worker/timings';
import { engineModeForWorkerName, engineOptions, type EngineMode } from './baseline';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { contact } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';

const NOW = 1_700_000_000_000;

/** Two connected tabs, polling started, first data published; message logs cleared. `shipped`: with every timing as
 * it ships (the harness otherwise turns the pause after a change off). */
async function running(mode: EngineMode, shipped = false) {
  const options = engineOptions(mode);
  const h = harness(shipped ? { ...options, timings: { ...DEFAULT_TIMINGS, ...options.timings } } : options);
  const a = await h.connect(new FakeTab('a'));
  const b = await h.connect(new FakeTab('b'));
  await h.engine.start();
  await flush();
  await h.answerPoll([contact('c1')]);
  await advance(mock.timers, 100); // past the baseline's re-poll pause: a long poll is pending in both modes
  a.clear();
  b.clear();
  return { h, a, b };
}

const stateTypes = (tab: FakeTab) => tab.messages.filter((m) => m.type === DownType.STATE || m.type === DownType.DELTA).map((m) => m.type);

describe('Engine baseline mode (the original design, for the benchmark)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('a change goes to every tab as the whole state, where ours sends a delta', async () => {
    for (const [mode, expected] of [['baseline', DownType.STATE], ['ours', DownType.DELTA]] as const) {
      const { h, a, b } = await running(mode);
      await h.answerPoll([contact('c1'), contact('c2')]);
      assert.deepEqual(stateTypes(a), [expected], mode);
      assert.deepEqual(stateTypes(b), [expected], mode);
      assert.equal(a.state?.data?.snapshot.contacts.length, 2, `${mode}: the tab holds the new data`);
      await h.engine.stop();
    }
  });

  test('an unchanged long-poll answer still pushes the whole state to every tab (same version); ours sends nothing', async () => {
    for (const [mode, count] of [['baseline', 1], ['ours', 0]] as const) {
      const { h, a, b } = await running(mode);
      const version = h.engine.state.version;
      await h.answerPoll([contact('c1')]);
      assert.equal(stateTypes(a).length, count, mode);
      assert.equal(stateTypes(b).length, count, mode);
      assert.equal(h.engine.state.version, version, `${mode}: nothing observable changed`);
      await h.engine.stop();
    }
  });

  test('every configuration round (30 s) refreshes every tab with the whole state, changed or not', async () => {
    for (const [mode, count] of [['baseline', 1], ['ours', 0]] as const) {
      const { h, a, b } = await running(mode);
      await advance(mock.timers, 30_000);
      assert.equal(h.cti.callsOf('GetAgentConfiguration').length, 2, `${mode}: a second round ran`);
      assert.deepEqual(stateTypes(a), Array(count).fill(DownType.STATE), mode);
      assert.deepEqual(stateTypes(b), Array(count).fill(DownType.STATE), mode);
      await h.engine.stop();
    }
  });

  test('a new tab makes the engine push the whole state to every tab; ours sends it to the new tab only', async () => {
    for (const [mode, toOthers] of [['baseline', 1], ['ours', 0]] as const) {
      const { h, a, b } = await running(mode);
      const c = await h.connect(new FakeTab('c'));
      assert.equal(stateTypes(a).length, toOthers, mode);
      assert.equal(stateTypes(b).length, toOthers, mode);
      assert.deepEqual(stateTypes(c), [DownType.STATE], `${mode}: the new tab gets the state`);
      await h.engine.stop();
    }
  });

  test('the next long poll starts 100 ms after an answer; ours starts it 5 ms after an answer that carried a change', async () => {
    for (const [mode, delay] of [['baseline', 100], ['ours', 5]] as const) {
      const { h } = await running(mode, true);
      const before = h.cti.callsOf('GetAgentSnapshot').length;
      await h.answerPoll([contact('c1'), contact('c2')]);
      if (delay > 0) {
        await advance(mock.timers, delay - 1);
        assert.equal(h.cti.callsOf('GetAgentSnapshot').length, before, `${mode}: not yet`);
        await advance(mock.timers, 1);
      }
      assert.equal(h.cti.callsOf('GetAgentSnapshot').length, before + 1, `${mode}: re-polled`);
      await h.engine.stop();
    }
  });

  test('only a `…:baseline:bench` SharedWorker runs the baseline', () => {
    assert.equal(engineModeForWorkerName('connect-sync-v1:baseline:bench'), 'baseline');
    assert.equal(engineModeForWorkerName('connect-sync-v1:bench'), 'ours');
    assert.equal(engineModeForWorkerName('connect-sync-v1'), 'ours');
    assert.equal(engineModeForWorkerName('connect-sync-v1:baseline'), 'ours');
  });
});
