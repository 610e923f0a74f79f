import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MasterMethod } from '../shared/protocol';
import { MasterTopics } from './topics';

const T = 'connect::softphone';

describe('MasterTopics', () => {
  test('the first asker becomes master; later askers are told who is', () => {
    const m = new MasterTopics();
    assert.deepEqual(m.check(T, 'a'), { topic: T, masterId: 'a', isMaster: true });
    assert.deepEqual(m.check(T, 'b'), { topic: T, masterId: 'a', isMaster: false });
    assert.deepEqual(m.check(T, 'a'), { topic: T, masterId: 'a', isMaster: true });
  });

  test('become: takeOver only when another tab held it, with a change to announce', () => {
    const m = new MasterTopics();
    const first = m.become(T, 'a');
    assert.deepEqual(first.result, { topic: T, masterId: 'a', isMaster: true, takeOver: false });
    assert.equal(first.change, undefined);
    const again = m.become(T, 'a');
    assert.equal(again.result.takeOver, false);
    const steal = m.become(T, 'b');
    assert.deepEqual(steal.result, { topic: T, masterId: 'b', isMaster: true, takeOver: true });
    assert.deepEqual(steal.change, { topic: T, masterId: 'b', takeOver: true });
  });

  test('request: check, become and release by method; a read-only asker only learns who is master', () => {
    const m = new MasterTopics();
    assert.deepEqual(m.request(MasterMethod.CHECK, T, 'a'), { result: { topic: T, masterId: 'a', isMaster: true } });
    assert.deepEqual(m.request(MasterMethod.BECOME, T, 'crm', true), { result: { topic: T, masterId: 'a', isMaster: false } });
    assert.deepEqual(m.request(MasterMethod.CHECK, T, 'crm', true), { result: { topic: T, masterId: 'a', isMaster: false } });
    const steal = m.request(MasterMethod.BECOME, T, 'b');
    assert.deepEqual(steal.change, { topic: T, masterId: 'b', takeOver: true });
    // 'a' is still interested, 'crm' never queued: releasing hands the topic back to 'a'
    assert.deepEqual(m.request(MasterMethod.RELEASE, T, 'b').change, { topic: T, masterId: 'a' });
    assert.deepEqual(m.request(MasterMethod.RELEASE, T, 'a').change, { topic: T, masterId: null });
  });

  test('a dead master hands its topics to the longest-waiting interested tab', () => {
    const m = new MasterTopics();
    m.check(T, 'a');
    m.check('connect::ringtone', 'a');
    m.check(T, 'c');
    m.check(T, 'b');
    const changes = m.dropTab('a');
    assert.deepEqual(changes, [
      { topic: T, masterId: 'c' },
      { topic: 'connect::ringtone', masterId: null },
    ]);
    assert.deepEqual(m.snapshot(), { [T]: 'c' });
    assert.deepEqual(m.dropTab('c'), [{ topic: T, masterId: 'b' }]);
  });

  test('a dead tab that was only interested changes nothing', () => {
    const m = new MasterTopics();
    m.check(T, 'a');
    m.check(T, 'b');
    assert.deepEqual(m.dropTab('b'), []);
    assert.deepEqual(m.dropTab('a'), [{ topic: T, masterId: null }]);
  });

  test('release by the master hands over; release by another tab only drops its interest', () => {
    const m = new MasterTopics();
    m.check(T, 'a');
    m.check(T, 'b');
    m.check(T, 'c');
    const byOther = m.release(T, 'b');
    assert.equal(byOther.change, undefined);
    assert.deepEqual(byOther.result, { topic: T, masterId: 'a', isMaster: false });
    const byMaster = m.release(T, 'a');
    assert.deepEqual(byMaster.change, { topic: T, masterId: 'c' });
    assert.equal(m.masterOf(T), 'c');
  });
});
