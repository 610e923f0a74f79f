import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescingWriter } from './coalescing-writer';
import { advance, flush } from '../testing/worker/clock';

describe('CoalescingWriter', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('a burst within the window is one write of the last value', async () => {
    const written: number[] = [];
    const w = new CoalescingWriter(async (v: number) => { written.push(v); }, 250, () => undefined);
    w.schedule(1);
    w.schedule(2);
    await advance(mock.timers, 249);
    w.schedule(3);
    assert.deepEqual(written, []);
    await advance(mock.timers, 1);
    assert.deepEqual(written, [3]);
  });

  test('writes never overlap, and a value offered during a write is written after it', async () => {
    const written: number[] = [];
    let inFlight = 0;
    let release: () => void = () => undefined;
    const w = new CoalescingWriter((v: number) => {
      inFlight++;
      assert.equal(inFlight, 1);
      return new Promise<void>((r) => { release = () => { written.push(v); inFlight--; r(); }; });
    }, 250, () => undefined);
    w.schedule(1);
    await advance(mock.timers, 250);
    w.schedule(2);
    await advance(mock.timers, 1_000);
    assert.deepEqual(written, []);
    release();
    await flush();
    await advance(mock.timers, 250);
    release();
    await flush();
    assert.deepEqual(written, [1, 2]);
  });

  test('flush writes the pending value at once; a failing write is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const w = new CoalescingWriter(async (v: number) => { if (v === 1) throw new Error('quota'); }, 250, (e) => errors.push(e));
    w.schedule(1);
    await w.flush();
    assert.equal(errors.length, 1);
    w.schedule(2);
    await w.flush();
    assert.equal(w.writes, 1);
  });
});
