/**
 * Names of errors and events come from the shared enums, never restated as literals (docs: the developers' guide):
 * a product file that spells an enum's value in quotes fails here, so a renamed value cannot drift from a copy.
 * Exceptions are listed with their reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ServiceException } from '../shared/cti';
import { AgentEvents, ConfigurationEvents, ConnectionEvents, ContactEvents, CTIExceptions, EventType, LoginPopupEvents,
  RingtoneEvents } from '../shared/enums';
import { ErrorType } from '../shared/protocol';

const ROOT = path.resolve(__dirname, '..');
const PRODUCT = ['client', 'worker', 'shared', 'backend', 'apps', 'cli'];
const files = execFileSync('git', ['ls-files', ...PRODUCT], { cwd: ROOT, encoding: 'utf8' }).split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** Where the values are defined: the one place they may be spelled out. */
const DEFINED_IN = new Set(['shared/protocol.ts', 'shared/enums.ts', 'shared/cti.ts']);

/**
 * `file: value` pairs allowed to keep their literal. The CCP app is built only on the public `connect` global, which
 * exports no error-type enum (only `CTIExceptions`), so the app spells the protocol's error types it shows or tests.
 */
const ALLOWED = new Set([
  'apps/ccp/quick-connects.ts: NotConnectedError',
  'apps/ccp/contact-card.ts: ContactNotFoundError',
  'apps/ccp/control-strip.ts: ValidationError',
  'apps/ccp/transfer-panel.ts: ValidationError',
  'apps/ccp/sim-client.ts: NetworkError',
]);

/** Event names that are plain words (`log`, `mute`, `close`…) also name other things; only distinctive ones count. */
const distinctive = (v: string): boolean => v.includes('_') || v.includes('::');
const VALUES = new Set<string>([
  ...Object.values(ErrorType), ...Object.values(CTIExceptions), ...Object.values(ServiceException),
  ...[EventType, AgentEvents, ContactEvents, ConnectionEvents, ConfigurationEvents, RingtoneEvents, LoginPopupEvents]
    .flatMap((e) => Object.values(e) as string[]).filter(distinctive),
]);

/** The file's code without comments (JSDoc examples may quote values). */
function code(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('product code names errors and events through the shared enums, not literals', () => {
  const found: string[] = [];
  for (const f of files) {
    if (DEFINED_IN.has(f)) continue;
    for (const m of code(f).matchAll(/'([A-Za-z_:]+)'/g)) {
      const hit = `${f}: ${m[1]}`;
      if (VALUES.has(m[1]!) && !ALLOWED.has(hit)) found.push(hit);
    }
  }
  assert.deepEqual(found, []);
});

test('the check sees a restated literal (it can fail)', () => {
  const sample = "throw { type: 'NotConnectedError', message: 'x' }; bus.trigger('ack_timeout');";
  const hits = [...sample.matchAll(/'([A-Za-z_:]+)'/g)].map((m) => m[1]!).filter((v) => VALUES.has(v));
  assert.deepEqual(hits, ['NotConnectedError', 'ack_timeout']);
});
