import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogLevel } from '../shared/enums';
import { TabRole, type LogRecord } from '../shared/protocol';
import { EngineLog } from './engine-log';
import { MemoryStore } from './store';

const INTERVAL = 1_000;
const tabs = [
  { tabId: 'ccp', role: TabRole.CCP, wantsLogs: true },
  { tabId: 'crm', role: TabRole.CRM, wantsLogs: true },
  { tabId: 'quiet', role: TabRole.CCP, wantsLogs: false },
];

function setup() {
  const sent: { tabId: string; texts: string[] }[] = [];
  const store = new MemoryStore();
  const log = new EngineLog({
    now: () => 42, timings: { logRingSize: 100, logPushIntervalMs: INTERVAL }, store,
    tabs: { records: () => tabs, send: (tabId, json) => sent.push({ tabId, texts: JSON.parse(json).entries.map((e: LogRecord) => e.text) }) },
  });
  return { log, sent, store };
}

const fromTab = (source: string, text: string): LogRecord => ({ level: LogLevel.INFO, time: 1, text, component: 'ccp', source });

describe('EngineLog', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('lines are pushed once per interval, to the tabs that want them, as their role may see them, and stored', async () => {
    const { log, sent, store } = setup();
    log.line(LogLevel.INFO, 'engine line');
    log.append(fromTab('ccp', 'ccp line'));
    assert.deepEqual(sent, [], 'nothing before the interval');
    mock.timers.tick(INTERVAL);
    assert.deepEqual(sent, [
      { tabId: 'ccp', texts: ['engine line', 'ccp line'] },
      { tabId: 'crm', texts: ['engine line'] }, // a CRM sees the engine's lines and its own only
    ]);
    assert.deepEqual((await store.loadLogs()).map((e) => [e.text, e.source, e.time]), [['engine line', 'engine', 42], ['ccp line', 'ccp', 1]]);
    mock.timers.tick(INTERVAL);
    assert.equal(sent.length, 2, 'nothing new, nothing sent');
  });

  test('stop flushes what is pending at once; a joining tab gets the backlog its role may see, restored lines first', () => {
    const { log, sent } = setup();
    log.append(fromTab('crm', 'crm line'));
    log.prepend([fromTab('old', 'restored line')]);
    log.stop();
    assert.deepEqual(sent.map((s) => s.tabId), ['ccp', 'crm']);
    assert.deepEqual(log.backlogFor(TabRole.CCP, 'new').map((e) => e.text), ['restored line', 'crm line']);
    assert.deepEqual(log.backlogFor(TabRole.CRM, 'crm').map((e) => e.text), ['crm line']);
  });
});
