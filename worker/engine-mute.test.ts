import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../shared/enums';
import { harness } from '../testing/worker/engine-harness';
import { FakeTab } from '../testing/worker/fakes';

const NOW = 1_700_000_000_000;

describe('Engine: the mute status reaches tabs that connect later', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('a late tab gets the last mute broadcast right after connecting', async () => {
    const h = harness();
    await h.connect(new FakeTab('a'));
    await h.engine.handle('a', { type: 'broadcast', event: EventType.MUTE, data: { mute: true } });
    await h.engine.handle('a', { type: 'broadcast', event: EventType.MUTE, data: { mute: false } });
    await h.engine.handle('a', { type: 'broadcast', event: EventType.MUTE, data: { mute: true } });
    const late = await h.connect(new FakeTab('late'));
    assert.deepEqual(late.events(EventType.MUTE).map((e) => e.data), [{ mute: true }]);
  });

  test('no mute event for a late tab when nobody muted; none after logout', async () => {
    const h = harness();
    await h.connect(new FakeTab('a'));
    const first = await h.connect(new FakeTab('first'));
    assert.deepEqual(first.events(EventType.MUTE), []);
    await h.engine.handle('a', { type: 'broadcast', event: EventType.MUTE, data: { mute: true } });
    await h.engine.handle('a', { type: 'terminate' });
    const afterLogout = await h.connect(new FakeTab('after'));
    assert.deepEqual(afterLogout.events(EventType.MUTE), []);
  });
});
