import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DownType, ErrorType, type PersistedState, type StateFull } from '../shared/protocol';
import type { CtiClient } from './cti-client';
import { LeaderGuardedCti, LeaderStore, mayWrite, preferNewer, STORE_READ_DEADLINE_MS } from './leader-fence';
import type { StateStore } from './store';
import { MemoryStore } from './store';
import { configuration, snapshot } from '../testing/worker/agent-data';

function recordingCti() {
  const calls: string[] = [];
  const tokens: (string | undefined)[] = [];
  const cti: CtiClient = {
    call: async (op) => { calls.push(op); return {} as never; },
    setAuthToken: (t) => { tokens.push(t); },
  };
  return { cti, calls, tokens };
}

const state = (version: number, withData = true): StateFull => ({
  type: DownType.STATE, version, skew: 0, data: withData ? { snapshot: snapshot(), configuration: configuration() } : null,
});
const persisted = (version: number): PersistedState => ({ state: state(version), nextToken: 't', savedAt: 1, engineId: 'e' });

describe('LeaderGuardedCti', () => {
  test('calls go out while the tab leads; after the first "no" none does, ever', async () => {
    const { cti, calls, tokens } = recordingCti();
    let leads = true;
    const guarded = new LeaderGuardedCti(cti, async () => leads);
    await guarded.call('GetAgentSnapshot', {} as never);
    leads = false;
    await assert.rejects(guarded.call('AcceptContact', { contactId: 'c' } as never), { type: ErrorType.LEADER_CHANGED });
    leads = true; // a later "yes" (another term of this page) does not revive this engine
    await assert.rejects(guarded.call('GetAgentSnapshot', {} as never), { type: ErrorType.LEADER_CHANGED });
    assert.deepEqual(calls, ['GetAgentSnapshot']);
    guarded.setAuthToken('tok');
    assert.deepEqual(tokens, ['tok']);
  });

  test('a failing leadership check counts as "no"', async () => {
    const { cti, calls } = recordingCti();
    const guarded = new LeaderGuardedCti(cti, () => Promise.reject(new Error('query failed')));
    await assert.rejects(guarded.call('GetAgentSnapshot', {} as never), { type: ErrorType.LEADER_CHANGED });
    assert.deepEqual(calls, []);
  });
});

describe('epoch fence and seed', () => {
  test('a leader writes unless a newer one has bumped the counter', () => {
    assert.equal(mayWrite(undefined, 3), true);
    assert.equal(mayWrite(3, 3), true);
    assert.equal(mayWrite(4, 3), false);
  });

  test('the state the tab holds wins over an older persisted copy; never over a newer one', () => {
    assert.deepEqual(preferNewer(persisted(7), state(9), 50), {
      state: { ...state(9), stale: true }, nextToken: null, savedAt: 50, engineId: 'seed',
    });
    assert.deepEqual(preferNewer(persisted(9), state(9), 50), persisted(9));
    assert.deepEqual(preferNewer(persisted(9), state(8), 50), persisted(9));
    assert.deepEqual(preferNewer(undefined, state(2), 50), { state: { ...state(2), stale: true }, nextToken: null, savedAt: 50, engineId: 'seed' });
    assert.deepEqual(preferNewer(persisted(1), state(5, false), 50), persisted(1), 'a seed without data is no better');
    assert.equal(preferNewer(undefined, null, 50), undefined);
  });

  test('LeaderStore saves through the fence, loads with the seed', async () => {
    const inner = new MemoryStore();
    inner.state = persisted(3);
    const fenced: PersistedState[] = [];
    const store = new LeaderStore(inner, async (s) => { fenced.push(s); return false; }, state(4), () => 99);
    assert.equal(((await store.load()) as PersistedState).state.version, 4);
    await store.save(persisted(5));
    assert.equal(fenced.length, 1);
    assert.equal(inner.saves, 0, 'only the fence writes');
    const unfenced = new LeaderStore(inner, null, null, () => 99);
    await unfenced.save(persisted(6));
    assert.equal(inner.saves, 1);
  });
});

describe('LeaderStore reads', () => {
  test('a store that does not answer (a hung tab holds a transaction) does not hold the new leader back', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const blocked: StateStore = {
      load: () => new Promise(() => undefined), loadLogs: () => new Promise(() => undefined),
      save: async () => undefined, appendLogs: async () => undefined,
    };
    const store = new LeaderStore(blocked, null, state(4), () => 7);
    const loaded = store.load();
    const logs = store.loadLogs();
    t.mock.timers.tick(STORE_READ_DEADLINE_MS);
    assert.equal(((await loaded) as PersistedState).state.version, 4);
    assert.deepEqual(await logs, []);
  });
});
