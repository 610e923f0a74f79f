import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { compactEnums, DERIVED_ENUM_HELPER } from './derived-enums-loader';

/** What ts-loader hands the loader: the module as TypeScript emits it for our bundles (ES2022, ES modules). */
function emitted(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

/** Runs an ES module without imports and returns its exports. */
async function run(js: string): Promise<Record<string, unknown>> {
  return await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`) as Record<string, unknown>;
}

/** Every export as comparable data: objects as their entries in order (key order is part of what a page can see)
 * and whether they are frozen, sets as their members, functions as their source. */
function shapeOf(mod: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === 'function') out[name] = String(value);
    else if (value instanceof Set) out[name] = [...value as Set<unknown>];
    else if (value && typeof value === 'object') out[name] = { entries: Object.entries(value), frozen: Object.isFrozen(value) };
    else out[name] = value;
  }
  return out;
}

describe('derived enums loader', () => {
  for (const file of ['shared/enums.ts', 'shared/protocol.ts', 'shared/broadcast-protocol.ts']) {
    test(`${file}: every export is the same object as TypeScript emits, and the line count is kept`, async () => {
      const js = emitted(readFileSync(join(__dirname, '..', file), 'utf8'));
      const { code, derived } = compactEnums(js);
      assert.ok(derived.length > 0, 'some enum is derived');
      assert.equal(code.split('\n').length, js.split('\n').length + 2, 'only the helper is appended');
      assert.deepEqual(shapeOf(await run(code)), shapeOf(await run(js)));
    });
  }

  test('all the public enums of shared/enums.ts are derived, with their prefixes', () => {
    const { code, derived } = compactEnums(emitted(readFileSync(join(__dirname, '..', 'shared/enums.ts'), 'utf8')));
    for (const name of ['AgentStateType', 'AgentAvailStates', 'CTIExceptions', 'EventType', 'MasterTopics', 'AgentEvents', 'ContactEvents', 'LogLevel']) {
      assert.ok(derived.includes(name), name);
    }
    assert.match(code, /export var AgentEvents = \/\*#__PURE__\*\/ __derivedEnum\("agent::", "init update refresh /);
    assert.match(code, /export var MasterTopics = \/\*#__PURE__\*\/ __derivedEnum\("connect::", "loginPopup sendLogs /);
  });

  test('an enum whose keys are not derived from its values is left as emitted', () => {
    const js = emitted("export enum E { TIMEOUT = 'TimeoutError', NETWORK = 'NetworkError' }");
    assert.deepEqual(compactEnums(js), { code: js, derived: [] });
  });

  test('numeric, heterogeneous, mixed-prefix and spaced enums are left as emitted', () => {
    for (const src of [
      'export enum N { A, B }',
      "export enum P { A = 'x::a', B = 'y::b' }",
      "export enum S { A_B = 'a b' }",
      "export enum H { A = 'a', B = 1 }",
    ]) {
      const js = emitted(src);
      assert.equal(compactEnums(js).code, js, src);
    }
  });

  test('one derivable enum beside one that is not: only the first is rewritten; the helper is added once', async () => {
    const js = emitted("export enum A { NOT_ROUTABLE = 'not_routable', AFTER_CALL_WORK = 'AfterCallWork' }\n"
      + "export enum B { X = 'y' }\nexport enum C { REFRESH = 'agent::refresh' }");
    const { code, derived } = compactEnums(js);
    assert.deepEqual(derived, ['A', 'C']);
    assert.equal(code.split(DERIVED_ENUM_HELPER).length, 2);
    assert.deepEqual(shapeOf(await run(code)), shapeOf(await run(js)));
  });
});
