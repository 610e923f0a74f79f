import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { crmPortOf, DEFAULT_RATE, MAX_RATE, MIN_RATE, parseOptions, Rng } from './options';

describe('chaos options', () => {
  test('defaults: rate 2/s, no genuine tabs', () => {
    const o = parseOptions([]);
    assert.equal(o.rate, DEFAULT_RATE);
    assert.equal(o.genuine, 0);
  });

  test('--rate takes fractions and the bounds', () => {
    assert.equal(parseOptions(['--rate', '0.5']).rate, 0.5);
    assert.equal(parseOptions(['--rate', String(MIN_RATE)]).rate, MIN_RATE);
    assert.equal(parseOptions(['--rate', String(MAX_RATE)]).rate, MAX_RATE);
  });

  test('--rate refuses what is not a sane rate, saying the range', () => {
    for (const bad of ['0', '-1', '0.05', '21', 'fast', '', 'NaN', 'Infinity']) {
      assert.throws(() => parseOptions(['--rate', bad]), /--rate must be a number of actions per second from 0\.1 to 20/, bad);
    }
    assert.throws(() => parseOptions(['--rate']), /--rate needs a value/);
  });

  test('--genuine counts among --tabs', () => {
    const o = parseOptions(['--tabs', '5', '--genuine', '2']);
    assert.equal(o.genuine, 2);
    assert.throws(() => parseOptions(['--tabs', '2', '--genuine', '3']), /--genuine 3 is more than --tabs 2/);
    assert.throws(() => parseOptions(['--genuine', '1.5']), /--genuine must be an integer/);
    assert.throws(() => parseOptions(['--genuine', '-1']), /--genuine must be an integer/);
  });

  test('the CRM port is the next one after --port, which leaves room for it', () => {
    assert.equal(crmPortOf(parseOptions(['--port', '29680']).port), 29681);
    assert.throws(() => parseOptions(['--port', '65535']), /--port must be an integer from 1024 to 65534/);
  });

  test('unknown options are named', () => {
    assert.throws(() => parseOptions(['--speed', '3']), /unknown option --speed/);
  });

  test('the same seed makes the same choices', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    assert.deepEqual([a.next(), a.int(1, 9), a.pick(['x', 'y', 'z'])], [b.next(), b.int(1, 9), b.pick(['x', 'y', 'z'])]);
  });
});
