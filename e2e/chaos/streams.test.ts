import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { streamProblems, type StreamRecord } from './streams';

const rec = (over: Partial<StreamRecord> = {}): StreamRecord => ({ initialState: 'Available', states: [], contacts: {}, ...over });
const truth = (stateName = 'Available', contactIds: string[] = []): { stateName: string; contactIds: string[] } => ({ stateName, contactIds });

describe('Streams event record checks', () => {
  test('a clean life: state chain to the truth, a contact from init to destroy, one still held', () => {
    const r = rec({
      states: [['Available', 'Lunch'], ['Lunch', 'Available']],
      contacts: { a: ['init', 'connecting', 'accepted', 'connected', 'ended', 'destroy'], b: ['present', 'connected'] },
    });
    assert.deepEqual(streamProblems(r, truth('Available', ['b'])), { lost: [], duplicated: [] });
  });

  test('a repeated state change is a duplicate; a gap in the chain or a wrong last state is a loss', () => {
    const dup = streamProblems(rec({ states: [['Available', 'Lunch'], ['Available', 'Lunch']] }), truth('Lunch'));
    assert.equal(dup.duplicated.length, 1);
    assert.deepEqual(dup.lost, []);
    const gap = streamProblems(rec({ states: [['Available', 'Lunch'], ['Training', 'Offline']] }), truth('Offline'));
    assert.equal(gap.lost.length, 1);
    const last = streamProblems(rec({ states: [['Available', 'Lunch']] }), truth('Offline'));
    assert.match(last.lost[0]!, /ended in Lunch, the agent is Offline/);
    assert.equal(streamProblems(rec({ states: [['Lunch', 'Lunch']], initialState: 'Lunch' }), truth('Lunch')).duplicated.length, 1);
  });

  test('a contact announced twice, an event twice or one after destroy is duplicated', () => {
    const r = rec({ contacts: { a: ['init', 'init', 'accepted', 'accepted', 'ended', 'destroy', 'connected'] } });
    const p = streamProblems(r, truth());
    assert.equal(p.duplicated.length, 3, p.duplicated.join('; '));
  });

  test('a destroy that never came, a contact never announced, or destroyed while held is lost', () => {
    assert.equal(streamProblems(rec({ contacts: { a: ['init', 'connecting'] } }), truth()).lost.length, 1);
    assert.equal(streamProblems(rec(), truth('Available', ['b'])).lost.length, 1);
    assert.equal(streamProblems(rec({ contacts: { b: ['init', 'destroy'] } }), truth('Available', ['b'])).lost.length, 1);
  });

  test('an agent callback that never came is a loss', () => {
    assert.equal(streamProblems(rec({ initialState: null }), truth()).lost.length, 1);
  });
});
