/**
 * Every member of the Streams API guide exists on the `connect` object with the right `typeof` (runtime), and the
 * public types declare each of them (type level: `npm run typecheck` compiles this file; `npm run build` checks the
 * emitted `.d.ts` the same way through `types-check/dts.ts`). Both read one table, `testing/guide-surface.ts`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, core } from '../index';
import * as esm from '../index';
import {
  AGENT_METHODS, CHAT_CONNECTION_METHODS, CONNECT_CLASSES, CONNECT_FUNCTIONS, CONNECTION_METHODS, CONTACT_METHODS,
  CORE_FUNCTIONS, ENDPOINT_STATICS, EVENT_BUS_METHODS, GUIDE_ENUM_VALUES, LOG_ENTRY_METHODS, LOGGER_METHODS,
  SUBSCRIPTION_METHODS, VOICE_CONNECTION_METHODS, type AllTrue, type GuideSurface,
} from '../../testing/client/guide-surface';

// Type level: fails to compile, naming the missing members, when the source types lack a guide member.
const sourceSurface: AllTrue = null as unknown as GuideSurface<typeof connect>;
void sourceSurface;

const ns = connect as unknown as Record<string, unknown>;

function protoOf(name: string): Record<string, unknown> {
  const ctor = ns[name] as { prototype?: Record<string, unknown> } | undefined;
  assert.equal(typeof ctor, 'function', `connect.${name} is a class`);
  return ctor!.prototype!;
}

/** Own or inherited: `typeof proto[m] === 'function'` for every method. */
function missingMethods(proto: Record<string, unknown>, methods: readonly string[]): string[] {
  return methods.filter((m) => typeof proto[m] !== 'function');
}

describe('the guide surface at runtime', () => {
  test('connect.* functions and classes', () => {
    assert.deepEqual(CONNECT_FUNCTIONS.filter((f) => typeof ns[f] !== 'function'), []);
    assert.deepEqual(CONNECT_CLASSES.filter((c) => typeof ns[c] !== 'function' || typeof (ns[c] as { prototype?: unknown }).prototype !== 'object'), []);
    assert.equal(typeof connect.core, 'object');
    assert.equal(typeof connect.version, 'string');
    assert.equal(connect.Connection, connect.VoiceConnection, 'connect.Connection is the voice connection, as in the original');
  });

  test('connect.core.* functions', () => {
    const c = core as unknown as Record<string, unknown>;
    assert.deepEqual(CORE_FUNCTIONS.filter((f) => typeof c[f] !== 'function'), []);
    assert.equal(connect.core, core);
  });

  const prototypes: [string, readonly string[]][] = [
    ['Agent', AGENT_METHODS],
    ['Contact', CONTACT_METHODS],
    ['BaseConnection', CONNECTION_METHODS],
    ['VoiceConnection', VOICE_CONNECTION_METHODS],
    ['ChatConnection', CHAT_CONNECTION_METHODS],
    ['EventBus', EVENT_BUS_METHODS],
    ['Subscription', SUBSCRIPTION_METHODS],
    ['Logger', LOGGER_METHODS],
    ['LogEntry', LOG_ENTRY_METHODS],
  ];
  for (const [cls, methods] of prototypes) {
    test(`${cls}.prototype has the ${methods.length} methods of the guide`, () => {
      assert.deepEqual(missingMethods(protoOf(cls), methods), []);
    });
  }

  test('snapshots keep every getter of the live objects', () => {
    assert.deepEqual(missingMethods(protoOf('AgentSnapshot'), AGENT_METHODS), []);
    assert.deepEqual(missingMethods(protoOf('ContactSnapshot'), CONTACT_METHODS), []);
  });

  test('Endpoint statics', () => {
    assert.deepEqual(ENDPOINT_STATICS.filter((s) => typeof (connect.Endpoint as unknown as Record<string, unknown>)[s] !== 'function'), []);
  });

  test('the enums carry the exact values of the guide', () => {
    for (const [name, values] of Object.entries(GUIDE_ENUM_VALUES)) {
      const actual = ns[name] as Record<string, string> | undefined;
      assert.equal(typeof actual, 'object', `connect.${name}`);
      for (const [key, value] of Object.entries(values)) assert.equal(actual![key], value, `connect.${name}.${key}`);
    }
  });

  test('the ESM entry exports the same namespace as the UMD global, and the enums by name', () => {
    assert.equal(esm.default, connect);
    assert.equal(esm.connect, connect);
    assert.equal(esm.core, connect.core);
    for (const name of Object.keys(GUIDE_ENUM_VALUES)) assert.equal((esm as Record<string, unknown>)[name], ns[name], name);
  });

  test('subscriptions are objects with unsubscribe(), as the guide says (the original d.ts said void)', () => {
    const sub = connect.agent(() => undefined);
    assert.equal(typeof sub.unsubscribe, 'function');
    sub.unsubscribe();
    const sub2 = connect.contact(() => undefined);
    assert.equal(typeof sub2.unsubscribe, 'function');
    sub2.unsubscribe();
  });
});
