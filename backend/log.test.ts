import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from './log';

describe('request log', () => {
  test('info: one JSON line per request with op, agent, status and ms', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.request({ op: 'AcceptContact', agent: 'agent1', status: 200, ms: 3 });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n'));
    const entry = JSON.parse(lines[0]!);
    assert.deepEqual([entry.op, entry.agent, entry.status, entry.ms], ['AcceptContact', 'agent1', 200, 3]);
    assert.ok(!Number.isNaN(Date.parse(entry.ts)));
  });

  test('silent writes nothing', () => {
    const lines: string[] = [];
    const log = createLogger('silent', (l) => lines.push(l));
    log.request({ op: 'GetAgentSnapshot', status: 200, ms: 1 });
    log.error('boom');
    assert.deepEqual(lines, []);
  });
});
