import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType, type LogRecord, type PersistedState } from '../shared/protocol';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';
import { configuration, contact, snapshot } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';
import { MemoryStore } from './store';
import { DEFAULT_TIMINGS } from './timings';

const NOW = 1_700_000_000_000;

/** A record as the engine writes it, with `over` merged into `state`. */
function record(over: Record<string, unknown> = {}, outer: Record<string, unknown> = {}): unknown {
  return {
    state: { type: DownType.STATE, version: 7, data: { snapshot: snapshot([contact('c1')]), configuration: configuration() }, skew: 0, ...over },
    nextToken: null, savedAt: NOW - 1000, engineId: 'old-engine', ...outer,
  };
}

/** A store holding `saved`, whose `load` never settles when `hang` (IndexedDB blocked by another tab's transaction). */
class ScriptedStore extends MemoryStore {
  constructor(saved: unknown, private readonly hang = false) {
    super();
    this.state = saved;
  }

  override load(): Promise<unknown> {
    return this.hang ? new Promise<unknown>(() => undefined) : super.load();
  }

  override loadLogs(): Promise<LogRecord[]> {
    return this.hang ? new Promise<LogRecord[]>(() => undefined) : super.loadLogs();
  }
}

function warnings(store: MemoryStore, h: { engine: { stop(): Promise<void> } }): Promise<string[]> {
  return h.engine.stop().then(() => store.logs.filter((l) => l.level === 'WARN').map((l) => l.text));
}

describe('Engine: persisted state is validated like the wire', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('the wedge record {snapshot:{}, configuration:{}} is discarded with a warning; the engine starts fresh and serves', async () => {
    const store = new ScriptedStore(record({ data: { snapshot: {}, configuration: {} } }));
    const h = harness({ store });
    const tab = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    assert.equal(h.engine.state.data === null, true, 'nothing of the bad record is published');
    assert.ok(tab.ofType(DownType.STATE).every((s) => s.data === null));
    await h.answerPoll([contact('c9')]);
    await flush();
    assert.deepEqual(h.engine.state.data?.snapshot.contacts.map((c) => c.contactId), ['c9'], 'the engine publishes live data');
    assert.deepEqual(tab.state?.data?.snapshot.contacts.map((c) => c.contactId), ['c9']);
    const late = await h.connect(new FakeTab('late'));
    assert.deepEqual(late.state?.data?.snapshot.contacts.map((c) => c.contactId), ['c9'], 'a new tab is served too');
    const warned = await warnings(store, h);
    assert.ok(warned.some((t) => /persisted state.*discarded/.test(t)), JSON.stringify(warned));
  });

  const badRecords: [string, unknown][] = [
    ['a contact without connections', record({ data: { snapshot: { ...snapshot(), contacts: [{ contactId: 'x', state: { type: 'connected', timestamp: 1 } }] }, configuration: configuration() } })],
    ['a configuration without agent states', record({ data: { snapshot: snapshot(), configuration: { ...configuration(), agentStates: undefined } } })],
    ['a configuration whose permissions are not strings', record({ data: { snapshot: snapshot(), configuration: { ...configuration(), permissions: [1] } } })],
    ['a NaN version', record({ version: Number.NaN })],
    ['a negative version', record({ version: -3 })],
    ['a version above MAX_SAFE_INTEGER', record({ version: Number.MAX_SAFE_INTEGER + 10 })],
    ['an absurd version', record({ version: 1e300 })],
    ['a skew of days', record({ skew: 3 * 24 * 3600_000 })],
    ['a NaN savedAt', record({}, { savedAt: Number.NaN })],
    ['a negative savedAt', record({}, { savedAt: -1 })],
  ];
  for (const [what, saved] of badRecords) {
    test(`a record with ${what} is discarded: the engine starts at version 0 and keeps counting sanely`, async () => {
      const store = new ScriptedStore(saved);
      const h = harness({ store });
      const tab = await h.connect(new FakeTab('a'));
      await h.engine.start();
      await flush();
      assert.equal(h.engine.state.data === null, true);
      await h.answerPoll([contact('c1')]);
      await flush();
      const v = h.engine.state.version;
      assert.ok(Number.isSafeInteger(v) && v > 0 && v < 10, `version ${v}`);
      assert.ok(Math.abs(h.engine.state.skew) < 24 * 3600_000);
      assert.equal(tab.gaps, 0);
      assert.deepEqual(tab.state?.data?.snapshot.contacts.map((c) => c.contactId), ['c1']);
      const warned = await warnings(store, h);
      assert.ok(warned.some((t) => /persisted state.*discarded/.test(t)), JSON.stringify(warned));
    });
  }

  test('a good record is still restored (stale) and its version continues', async () => {
    const store = new ScriptedStore(record());
    const h = harness({ store });
    const tab = await h.connect(new FakeTab('a'));
    await h.engine.start();
    await flush();
    const restored = tab.ofType(DownType.STATE).find((s) => s.data !== null);
    assert.equal(restored?.version, 8, 'the version continues after the persisted one');
    assert.equal(restored?.stale, true);
    assert.deepEqual(tab.state?.data?.snapshot.contacts.map((c) => c.contactId), ['c1']);
    await h.engine.stop();
  });

  test('a store that never answers (IndexedDB blocked) does not hold the engine: after the read deadline it starts fresh', async () => {
    const store = new ScriptedStore(record(), true);
    const h = harness({ store });
    const tab = await h.connect(new FakeTab('a'));
    void h.engine.start();
    await flush();
    assert.equal(h.cti.polls.length, 0, 'still waiting for the store');
    await advance(mock.timers, DEFAULT_TIMINGS.storeReadDeadlineMs);
    await flush();
    assert.equal(h.cti.polls.length, 1, 'polling started without the persisted state');
    await h.answerPoll([contact('c2')]);
    assert.deepEqual(tab.state?.data?.snapshot.contacts.map((c) => c.contactId), ['c2']);
    await h.engine.stop();
    assert.ok(store.logs.some((l) => l.level === 'WARN' && /did not answer within/.test(l.text)), JSON.stringify(store.logs.map((l) => l.text)));
  });
});

export type { PersistedState };
