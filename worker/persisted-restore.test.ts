import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogLevel } from '../shared/enums';
import { DownType, type LogRecord } from '../shared/protocol';
import { configuration, contact, snapshot } from '../testing/worker/agent-data';
import { advance, flush } from '../testing/worker/clock';
import { readPersisted } from './persisted-restore';

const DEADLINE = 2_000;
const line: LogRecord = { level: LogLevel.INFO, time: 1, text: 'old line', component: 'engine', source: 'engine' };
const good = {
  state: { type: DownType.STATE, version: 7, data: { snapshot: snapshot([contact('c1')]), configuration: configuration() }, skew: 0 },
  nextToken: null, savedAt: 1_000, engineId: 'old',
};

/** A store answering `state` and `logs` (a function: what it does when read). */
function store(state: () => Promise<unknown>, logs: () => Promise<LogRecord[]> = () => Promise.resolve([line])) {
  return { load: state, loadLogs: logs };
}

describe('readPersisted', () => {
  let warnings: string[];
  const log = (level: LogLevel, text: string) => { if (level === LogLevel.WARN) warnings.push(text); };
  beforeEach(() => { warnings = []; mock.timers.enable({ apis: ['setTimeout'] }); });
  afterEach(() => mock.timers.reset());

  test('a good record and its log lines come back, without a warning', async () => {
    const r = await readPersisted(store(() => Promise.resolve(good)), DEADLINE, log);
    assert.equal(r.saved?.state.version, 7);
    assert.deepEqual(r.logs, [line]);
    assert.deepEqual(warnings, []);
  });

  test('nothing saved: no record, no warning', async () => {
    const r = await readPersisted(store(() => Promise.resolve(undefined), () => Promise.resolve([])), DEADLINE, log);
    assert.deepEqual(r, { saved: null, logs: [] });
    assert.deepEqual(warnings, []);
  });

  test('a record that fails validation is discarded with a warning; the logs still come back', async () => {
    const r = await readPersisted(store(() => Promise.resolve({ snapshot: {}, configuration: {} })), DEADLINE, log);
    assert.equal(r.saved, null);
    assert.deepEqual(r.logs, [line]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /persisted state discarded/);
  });

  test('failing reads are warnings, never throws', async () => {
    const r = await readPersisted(store(() => Promise.reject(new Error('db gone')), () => Promise.reject(new Error('no logs'))), DEADLINE, log);
    assert.deepEqual(r, { saved: null, logs: [] });
    assert.deepEqual(warnings.map((w) => w.split(':')[0]), ['loading persisted state failed', 'loading persisted logs failed']);
  });

  test('reads that never settle end at the one shared deadline', async () => {
    let settled = false;
    const hang = () => new Promise<never>(() => undefined);
    const p = readPersisted(store(hang, hang), DEADLINE, log).then((r) => { settled = true; return r; });
    await flush();
    await advance(mock.timers, DEADLINE - 1);
    assert.equal(settled, false);
    await advance(mock.timers, 1);
    assert.deepEqual(await p, { saved: null, logs: [] });
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => /did not answer within 2000 ms/.test(w)), JSON.stringify(warnings));
  });
});
