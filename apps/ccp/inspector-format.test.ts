import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TabRole, TransportKind, type EngineInfo } from '../../shared/protocol';
import { eventRows, pageOf, pollingLabel, skewLabel, tabRows, topicRows, transportLabel } from './inspector-format';

function info(over: Partial<EngineInfo> = {}): EngineInfo {
  return {
    engineId: 'engine-1', transport: TransportKind.SHARED_WORKER, version: 7, skew: 12.3, skewRtt: 4, pollsPerMinute: 3,
    polling: 'running', topics: {}, recentEvents: [], tabCount: 2,
    tabs: [
      { tabId: 'tab-bbbbbbbbbb', role: TabRole.INSPECTOR, url: 'http://h:1/inspector', connectedAt: 2000, lastSynchronize: 9000, lastAcknowledge: 9000, alive: true },
      { tabId: 'tab-aaaaaaaaaa', role: TabRole.CCP, url: 'http://h:1/ccp?x=1', connectedAt: 1000, lastSynchronize: null, lastAcknowledge: null, alive: false },
    ],
    ...over,
  };
}

describe('inspector rows', () => {
  test('tabs oldest first, with page, ages and liveness; the own tab is marked', () => {
    const rows = tabRows(info(), 'tab-bbbbbbbbbb', 10_000);
    assert.deepEqual(rows.map((r) => [r.label, r.role, r.page, r.age, r.lastSynchronize, r.liveness, r.own]), [
      ['tab-aaaa', 'ccp', '/ccp?x=1', '9.0 s', 'never', 'late', false],
      ['tab-bbbb', 'inspector', '/inspector', '8.0 s', '1.0 s', 'alive', true],
    ]);
  });
  test('topics sorted, without the connect:: prefix, holders short', () => {
    const rows = topicRows(info({ topics: { 'connect::ringtone': 'tab-aaaaaaaaaa', 'connect::loginPopup': 'tab-bbbbbbbbbb' } }), 'tab-aaaaaaaaaa');
    assert.deepEqual(rows, [{ topic: 'loginPopup', holder: 'tab-bbbb' }, { topic: 'ringtone', holder: 'tab-aaaa (this tab)' }]);
  });
  test('engine and tab events merged, newest first, at most max', () => {
    const engine = info({ recentEvents: [{ time: 1000, event: 'a' }, { time: 3000, event: 'c' }] });
    const rows = eventRows(engine, [{ time: 2000, event: 'b' }, { time: 3500, event: 'd' }], 4000, 3);
    assert.deepEqual(rows, [
      { ago: '0.5 s', event: 'd', source: 'tab' },
      { ago: '1.0 s', event: 'c', source: 'engine' },
      { ago: '2.0 s', event: 'b', source: 'tab' },
    ]);
  });
});

describe('inspector labels', () => {
  test('transport: SharedWorker, or the leader tab with its epoch', () => {
    assert.equal(transportLabel({ transport: TransportKind.SHARED_WORKER }), 'SharedWorker');
    assert.equal(transportLabel({ transport: TransportKind.BROADCAST, epoch: 3 }), 'Leader tab (epoch 3)');
  });
  test('skew with its round trip, or not measured', () => {
    assert.equal(skewLabel({ skew: 12.3, skewRtt: 4.4 }), '+12 ms (round trip 4 ms)');
    assert.equal(skewLabel({ skew: 0, skewRtt: null }), '0 ms (not measured yet)');
  });
  test('polling status in words', () => {
    assert.equal(pollingLabel('paused-auth'), 'Paused: signed out');
  });
  test('a URL that does not parse is shown as is', () => {
    assert.equal(pageOf('not a url'), 'not a url');
    assert.equal(pageOf(undefined), '—');
  });
});
