import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogLevel } from '../../shared/enums';
import type { LogRecord } from '../../shared/protocol';
import { formatLogText, REDACTED, redactedCopy } from './log-format';
import { getLog, Logger, MAX_LOG_ENTRIES } from './log';

function fakeConsole() {
  const lines: { method: string; args: unknown[] }[] = [];
  const rec = (method: string) => (...args: unknown[]) => { lines.push({ method, args }); };
  return { lines, console: { debug: rec('debug'), info: rec('info'), log: rec('log'), warn: rec('warn'), error: rec('error') } };
}

const tick = () => new Promise<void>((r) => queueMicrotask(r));

describe('formatLogText (printf)', () => {
  test('%s %d %i %f %j %% and leftovers', () => {
    assert.equal(formatLogText('The %s broke!', ['widget']), 'The widget broke!');
    assert.equal(formatLogText('%d items, %i more', ['4.7', 2.9]), '4 items, 2 more');
    assert.equal(formatLogText('%f', ['1.5']), '1.5');
    assert.equal(formatLogText('obj %j', [{ a: 1 }]), 'obj {"a":1}');
    assert.equal(formatLogText('100%% sure %s', ['yes']), '100% sure yes');
    assert.equal(formatLogText('a %s', ['b', 'c', 3]), 'a b c 3');
    assert.equal(formatLogText('missing %s', []), 'missing %s');
  });

  test('%j redacts secrets and text redacts AuthToken=', () => {
    assert.equal(formatLogText('%j', [{ authToken: 'abc', ok: 1 }]), `{"authToken":"${REDACTED}","ok":1}`);
    assert.equal(formatLogText('GET /auth?AuthToken=xyz&x=1', []), `GET /auth?AuthToken=${REDACTED}&x=1`);
  });
});

describe('redactedCopy', () => {
  test('deep copies, redacts token/password/authorization/bearer keys, survives cycles', () => {
    const o: Record<string, unknown> = {
      nested: { refreshToken: 'r', Password: 'p', Authorization: 'Bearer x', bearer: 'y', keep: 'AuthToken=zzz' },
      list: [{ participantToken: 't' }],
      when: new Date(0),
    };
    o.self = o;
    const copy = redactedCopy(o) as Record<string, unknown>;
    assert.deepEqual(copy.nested, { refreshToken: REDACTED, Password: REDACTED, Authorization: REDACTED, bearer: REDACTED, keep: `AuthToken=${REDACTED}` });
    assert.deepEqual(copy.list, [{ participantToken: REDACTED }]);
    assert.equal(copy.when, '1970-01-01T00:00:00.000Z');
    assert.equal(copy.self, '[Circular]');
    (o.nested as Record<string, unknown>).keep = 'changed';
    assert.equal((copy.nested as Record<string, unknown>).keep, `AuthToken=${REDACTED}`);
  });
});

describe('Logger', () => {
  test('entries carry level, component, text; critical is CRITICAL (not ERROR)', () => {
    const log = new Logger({ console: fakeConsole().console, source: 'tab-1' });
    const e = log.critical('ccp', 'down %d', 3);
    assert.equal(e.level, LogLevel.CRITICAL);
    assert.equal(e.component, 'ccp');
    assert.equal(e.text, 'down 3');
    assert.equal(e.source, 'tab-1');
    assert.equal(log.info('ccp').text, 'ccp', 'a lone component-like string is the text');
  });

  test('withException gives {type, message, stack[]}; withObject keeps a redacted copy', () => {
    const log = new Logger({ console: fakeConsole().console });
    const obj = { authToken: 'secret', n: 1 };
    const e = log.warn('x').withException(new TypeError('bad')).withObject(obj);
    assert.equal(e.exception?.type, 'TypeError');
    assert.equal(e.exception?.message, 'bad');
    assert.ok(Array.isArray(e.exception?.stack) && e.exception.stack.length > 0);
    obj.n = 2;
    assert.deepEqual(e.objects, [{ authToken: REDACTED, n: 1 }]);
  });

  test('setLogLevel drops lower entries; setEchoLevel controls the console', async () => {
    const fc = fakeConsole();
    const log = new Logger({ console: fc.console });
    log.setLogLevel(LogLevel.WARN);
    log.setEchoLevel(LogLevel.ERROR);
    log.info('dropped');
    log.warn('kept, not echoed');
    log.error('kept and echoed');
    await tick();
    assert.deepEqual(log.getLogs().map((e) => e.text), ['kept, not echoed', 'kept and echoed']);
    assert.equal(fc.lines.length, 1);
    assert.equal(fc.lines[0]!.method, 'error');
    assert.match(String(fc.lines[0]!.args[0]), /\[ERROR\] kept and echoed$/);
  });

  test('the buffer is bounded: the oldest entries go first', () => {
    const log = new Logger({ console: fakeConsole().console, maxEntries: 3 });
    log.setEchoLevel(LogLevel.CRITICAL);
    for (let i = 0; i < 5; i++) log.info('n%d', i);
    assert.deepEqual(log.getLogs().map((e) => e.text), ['n2', 'n3', 'n4']);
    assert.equal(MAX_LOG_ENTRIES, 5000);
  });

  test('addRecords merges in time order and skips duplicates (same source, time, level, text)', () => {
    const log = new Logger({ console: fakeConsole().console, source: 'me' });
    const own = log.info('mine').toRecord();
    const engine: LogRecord = { level: 'INFO', time: own.time - 10, text: 'engine says', source: 'engine' };
    const later: LogRecord = { level: 'WARN', time: own.time + 10, text: 'other tab', source: 'tab-2', component: 'ccp' };
    assert.equal(log.addRecords([later, engine, own, engine, { bogus: true } as never]), 2);
    assert.deepEqual(log.getLogs().map((e) => e.text), ['engine says', 'mine', 'other tab']);
    assert.equal(log.getLogs()[2]!.component, 'ccp');
  });

  test('onEntry forwards own entries (with their chained context) but not merged ones', async () => {
    const log = new Logger({ console: fakeConsole().console, source: 'me' });
    const forwarded: LogRecord[] = [];
    const stop = log.onEntry((r) => forwarded.push(r));
    log.error('failed').withObject({ password: 'p' });
    log.addRecords([{ level: 'INFO', time: 1, text: 'from engine', source: 'engine' }]);
    await tick();
    assert.equal(forwarded.length, 1);
    assert.equal(forwarded[0]!.text, 'failed');
    assert.deepEqual(forwarded[0]!.objects, [{ password: REDACTED }]);
    stop();
    log.error('after stop');
    await tick();
    assert.equal(forwarded.length, 1);
  });

  test('download returns JSON of the kept entries, filtered by level, without a DOM', () => {
    const log = new Logger({ console: fakeConsole().console });
    log.setEchoLevel(LogLevel.CRITICAL);
    log.info('i');
    log.error('e');
    const all = JSON.parse(log.download()) as LogRecord[];
    assert.deepEqual(all.map((r) => r.text), ['i', 'e']);
    const errors = JSON.parse(log.download({ filterByLogLevel: LogLevel.ERROR, logName: 'x' })) as LogRecord[];
    assert.deepEqual(errors.map((r) => r.text), ['e']);
  });

  test('getLog() is one logger per tab', () => {
    assert.equal(getLog(), getLog());
  });
});
