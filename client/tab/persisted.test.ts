import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { PERSISTED_READ_DEADLINE_MS, readPersistedState } from './persisted';

describe('readPersistedState', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('a store that never answers (IndexedDB blocked) gives null after the deadline: the tab connects without it', async () => {
    const result = readPersistedState(() => new Promise<unknown>(() => undefined));
    mock.timers.tick(PERSISTED_READ_DEADLINE_MS);
    assert.equal(await result, null);
  });

  test('the wedge record {snapshot:{}, configuration:{}} renders nothing', async () => {
    const saved = { state: { type: 'state', version: 3, skew: 0, data: { snapshot: {}, configuration: {} } }, nextToken: null, savedAt: 1, engineId: 'e' };
    assert.equal(await readPersistedState(() => Promise.resolve(saved)), null);
  });
});

describe('readPersistedState: a good record', () => {
  test('is rendered, marked stale', async () => {
    const data = {
      snapshot: { state: { type: 'routable', name: 'Available' }, snapshotTimestamp: 1, contacts: [] },
      configuration: { name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', routingProfile: {},
        permissions: [], agentStates: [], dialableCountries: [] },
    };
    const saved = { state: { type: 'state', version: 3, skew: 0, data }, nextToken: null, savedAt: 1, engineId: 'e' };
    const state = await readPersistedState(() => Promise.resolve(saved));
    assert.equal(state?.version, 3);
    assert.equal(state?.stale, true);
  });
});
