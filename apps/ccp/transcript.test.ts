import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTranscript, speakerLabel } from './transcript';

test('a transcript attribute parses into lines', () => {
  const value = JSON.stringify([
    { participant: 'CUSTOMER', text: 'Hi', timestamp: 1700000000.5 },
    { participant: 'AGENT', text: 'Hello!', timestamp: 1700000001 },
  ]);
  assert.deepEqual(parseTranscript(value), [
    { participant: 'CUSTOMER', text: 'Hi', timestamp: 1700000000.5 },
    { participant: 'AGENT', text: 'Hello!', timestamp: 1700000001 },
  ]);
});

test('absent, malformed or non-array values give no lines; malformed lines are skipped', () => {
  assert.deepEqual(parseTranscript(undefined), []);
  assert.deepEqual(parseTranscript('{not json'), []);
  assert.deepEqual(parseTranscript('{"a":1}'), []);
  assert.deepEqual(parseTranscript(JSON.stringify([null, { text: 5 }, { participant: 'BOT', text: 'joined' }])),
    [{ participant: 'SYSTEM', text: 'joined', timestamp: null }]);
});

test('speakers are named for the agent reading them', () => {
  assert.equal(speakerLabel({ participant: 'AGENT', text: '', timestamp: null }, 'Ada'), 'You');
  assert.equal(speakerLabel({ participant: 'CUSTOMER', text: '', timestamp: null }, 'Ada'), 'Ada');
  assert.equal(speakerLabel({ participant: 'SYSTEM', text: '', timestamp: null }, 'Ada'), 'System');
});
