import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogRing } from './log-ring';
import type { LogRecord } from '../shared/protocol';

const rec = (text: string): LogRecord => ({ level: 'INFO', time: 0, text, source: 'engine' });

describe('LogRing', () => {
  test('keeps the newest entries up to its capacity, oldest first', () => {
    const ring = new LogRing(3);
    for (const t of ['a', 'b', 'c', 'd', 'e']) ring.push(rec(t));
    assert.deepEqual(ring.toArray().map((r) => r.text), ['c', 'd', 'e']);
    assert.equal(ring.size, 3);
    assert.equal(ring.lastSeq, 5);
  });

  test('since() returns what was pushed after a sequence number, bounded by the ring', () => {
    const ring = new LogRing(3);
    ring.push(rec('a'));
    const first = ring.since(0);
    assert.deepEqual(first.entries.map((r) => r.text), ['a']);
    ring.push(rec('b'));
    ring.push(rec('c'));
    assert.deepEqual(ring.since(first.seq).entries.map((r) => r.text), ['b', 'c']);
    for (const t of ['d', 'e', 'f', 'g']) ring.push(rec(t));
    assert.deepEqual(ring.since(first.seq).entries.map((r) => r.text), ['e', 'f', 'g'], 'lost ones are lost');
    assert.deepEqual(ring.since(ring.lastSeq).entries, []);
  });

  test('prepend restores older history without marking it new', () => {
    const ring = new LogRing(4);
    ring.push(rec('now'));
    const seq = ring.lastSeq;
    ring.prepend([rec('old1'), rec('old2'), rec('old3'), rec('old4')]);
    assert.deepEqual(ring.toArray().map((r) => r.text), ['old2', 'old3', 'old4', 'now']);
    assert.deepEqual(ring.since(seq).entries, []);
  });
});
