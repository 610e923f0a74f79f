/**
 * Runtime validation of what crosses a boundary: down messages (engine → tab) and the persisted state here, up
 * messages (tab → engine) in `validate-up.ts`, the CTI answers the engine relies on in `validate-snapshot.ts` (apart,
 * so that the pages' bundle does not carry what only the engine and the frame relay check), and the small kit they
 * share. Each validator returns a sanitised copy holding only the known fields, or a `ValidationError` naming the
 * first bad field. Validators never throw.
 */
import { DownType, ErrorType, wireError, type Down, type PersistedState, type StateFull, type WireError } from './protocol';
import type { AgentConfiguration, AgentData, AgentSnapshot } from './cti';
import { MAX_PLAUSIBLE_SKEW_MS } from './skew';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Longest ids (tab, request, idempotency key): UUIDs are 36 chars; 128 leaves room for prefixes. */
export const MAX_ID_CHARS = 128;
/** Longest method, topic or event name. */
export const MAX_NAME_CHARS = 256;
/** Longest page URL in a hello (browsers cap URLs far above this; the inspector only needs to recognise the page). */
export const MAX_URL_CHARS = 2048;
/** Longest auth token (JWTs of a few KB exist; 16 KB is well above them). */
export const MAX_TOKEN_CHARS = 16 * 1024;
/** Most log entries in one `log` message (tabs batch at most 500, as the original did). */
export const MAX_LOG_ENTRIES = 1000;
/** Largest state version accepted from storage or the wire. A version grows by one per observable change: even a
 * change every millisecond takes 35 years to reach 2^40, while a bogus huge value (or one near MAX_SAFE_INTEGER,
 * where `+ 1` stops changing the number) would freeze every tab's gap detection. */
export const MAX_STATE_VERSION = 2 ** 40;
/** The last instant a `Date` can hold (ECMA-262): a later epoch-ms value makes `toISOString` throw. */
const MAX_DATE_MS = 8.64e15;

class Invalid extends Error {}

export type Obj = Record<string, unknown>;

export function fail(message: string): never {
  throw new Invalid(message);
}

function isPlainObject(x: unknown): x is Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

export function obj(x: unknown, path: string): Obj {
  if (!isPlainObject(x)) fail(`${path} must be an object`);
  return x;
}

export function str(o: Obj, key: string, path: string, max: number, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') fail(`${path}.${key} must be a string`);
  if (v.length === 0 && !optional) fail(`${path}.${key} must not be empty`);
  if (v.length > max) fail(`${path}.${key} is longer than ${max} characters`);
  return v;
}

export function num(o: Obj, key: string, path: string,
  opts: { optional?: boolean; integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  const v = o[key];
  if (v === undefined && opts.optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key} must be a finite number`);
  if (opts.integer && !Number.isInteger(v)) fail(`${path}.${key} must be an integer`);
  if (opts.min !== undefined && v < opts.min) fail(`${path}.${key} must be at least ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) fail(`${path}.${key} must be at most ${opts.max}`);
  return v;
}

export function strings(o: Obj, key: string, path: string): void {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${path}.${key} must be an array of strings`);
}

export function bool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(`${path}.${key} must be a boolean`);
  return v;
}

export function oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    fail(`${path}.${key} must be one of ${values.join(', ')}`);
  }
  return v as T;
}

/** Drops undefined members so sanitised copies have exactly the fields that were given. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function run<T>(build: () => T): Validated<T> {
  try {
    return { ok: true, value: build() };
  } catch (e) {
    const message = e instanceof Invalid ? e.message : `not a valid message (${String(e)})`;
    return { ok: false, error: wireError(ErrorType.VALIDATION, message) };
  }
}

// ------------------------------------------------------------------------------------------------------------
// Down
// ------------------------------------------------------------------------------------------------------------

/** `deep`: the data is checked as the engine checks the backend's answers (persisted state: another version of the
 * code, or a corrupted database, may have written it); a down message from the engine only needs its structure. */
function stateFull(o: Obj, p: string, deep = false): StateFull {
  if (o.data !== null) {
    const d = obj(o.data, `${p}.data`);
    if (deep) {
      agentData(d, `${p}.data`);
    } else {
      obj(d.snapshot, `${p}.data.snapshot`);
      obj(d.configuration, `${p}.data.configuration`);
    }
  }
  num(o, 'version', p, { integer: true, min: 0, max: MAX_STATE_VERSION });
  num(o, 'skew', p, { min: -MAX_PLAUSIBLE_SKEW_MS, max: MAX_PLAUSIBLE_SKEW_MS });
  bool(o, 'stale', p);
  return o as unknown as StateFull;
}

function agentData(d: Obj, p: string): AgentData {
  agentSnapshot(d.snapshot, `${p}.snapshot`);
  agentConfiguration(d.configuration, `${p}.configuration`);
  return d as unknown as AgentData;
}

function downBody(o: Obj, type: DownType): Down {
  const p = type;
  switch (type) {
    case DownType.STATE:
      return stateFull(o, p);
    case DownType.DELTA: {
      num(o, 'version', p, { integer: true, min: 1 });
      num(o, 'base', p, { integer: true, min: 0 });
      num(o, 'skew', p, { optional: true });
      bool(o, 'stale', p);
      for (const k of ['put', 'del', 'order'] as const) {
        if (o[k] !== undefined && !Array.isArray(o[k])) fail(`${p}.${k} must be an array`);
      }
      if (o.agent !== undefined) obj(o.agent, `${p}.agent`);
      if (o.configuration !== undefined) obj(o.configuration, `${p}.configuration`);
      return o as unknown as Down;
    }
    case DownType.ACKNOWLEDGE:
      str(o, 'tabId', p, MAX_ID_CHARS);
      num(o, 'seq', p, { integer: true, min: 0 });
      return o as unknown as Down;
    case DownType.RESPONSE: {
      str(o, 'requestId', p, MAX_ID_CHARS, true);
      if (typeof o.ok !== 'boolean') fail(`${p}.ok must be a boolean`);
      if (!o.ok) {
        const e = obj(o.error, `${p}.error`);
        str(e, 'type', `${p}.error`, MAX_NAME_CHARS);
        if (typeof e.message !== 'string') fail(`${p}.error.message must be a string`);
      }
      return o as unknown as Down;
    }
    case DownType.EVENT:
      str(o, 'event', p, MAX_NAME_CHARS);
      return o as unknown as Down;
    case DownType.LOG:
      if (!Array.isArray(o.entries)) fail(`${p}.entries must be an array`);
      return o as unknown as Down;
  }
}

/**
 * Basic structure check of a message pushed to a tab (already `JSON.parse`d): a known `type` and the fields each type
 * needs. The engine is trusted, so contents (contacts, configuration) are not checked deeply.
 *
 * @example
 * const r = validateDown(JSON.parse(json));
 * if (r.ok) state.apply(r.value);
 */
export function validateDown(msg: unknown): Validated<Down> {
  return run(() => {
    const o = obj(msg, 'message');
    if (typeof o.type !== 'string' || !(Object.values(DownType) as string[]).includes(o.type)) {
      fail(`unknown down message type '${String(o.type).slice(0, 64)}'`);
    }
    return downBody(o, o.type as DownType);
  });
}

/**
 * Checks what a tab or a new engine reads from IndexedDB (another version of the code may have written it).
 *
 * @example
 * const r = validatePersistedState(await get(PERSIST_STATE_KEY, store));
 * if (r.ok) render({ ...r.value.state, stale: true });
 */
export function validatePersistedState(x: unknown): Validated<PersistedState> {
  return run(() => {
    const o = obj(x, 'persisted');
    const s = obj(o.state, 'persisted.state');
    if (s.type !== DownType.STATE) fail('persisted.state.type must be state');
    stateFull(s, 'persisted.state', true);
    if (o.nextToken !== null && typeof o.nextToken !== 'string') fail('persisted.nextToken must be a string or null');
    num(o, 'savedAt', 'persisted', { min: 1, max: MAX_DATE_MS });
    str(o, 'engineId', 'persisted', MAX_ID_CHARS);
    return o as unknown as PersistedState;
  });
}

/**
 * Checks the assembled configuration the API objects rely on: the S1h fields, the routing profile, and the three
 * lists (permissions, agent states with their type and name, dialable countries).
 *
 * @example
 * const r = validateAgentConfiguration(saved.state.data.configuration);
 */
export function validateAgentConfiguration(x: unknown): Validated<AgentConfiguration> {
  return run(() => agentConfiguration(x, 'configuration'));
}

function agentConfiguration(x: unknown, p: string): AgentConfiguration {
  const c = obj(x, p);
  if (typeof c.name !== 'string') fail(`${p}.name must be a string`);
  if (typeof c.softphoneEnabled !== 'boolean') fail(`${p}.softphoneEnabled must be a boolean`);
  if (typeof c.softphoneAutoAccept !== 'boolean') fail(`${p}.softphoneAutoAccept must be a boolean`);
  if (c.extension !== undefined && typeof c.extension !== 'string') fail(`${p}.extension must be a string`);
  obj(c.routingProfile, `${p}.routingProfile`);
  if (c.agentPreferences !== undefined) obj(c.agentPreferences, `${p}.agentPreferences`);
  strings(c, 'permissions', p);
  strings(c, 'dialableCountries', p);
  if (!Array.isArray(c.agentStates)) fail(`${p}.agentStates must be an array`);
  c.agentStates.forEach((s: unknown, i: number) => {
    const so = obj(s, `${p}.agentStates[${i}]`);
    str(so, 'type', `${p}.agentStates[${i}]`, MAX_NAME_CHARS);
    str(so, 'name', `${p}.agentStates[${i}]`, MAX_NAME_CHARS);
  });
  return c as unknown as AgentConfiguration;
}

/** The agent snapshot's structure the engine and the events rely on (shared by `validate-snapshot.ts`). */
export function agentSnapshot(x: unknown, p: string): AgentSnapshot {
  const s = obj(x, p);
  const state = obj(s.state, `${p}.state`);
  str(state, 'type', `${p}.state`, MAX_NAME_CHARS);
  str(state, 'name', `${p}.state`, MAX_NAME_CHARS);
  num(s, 'snapshotTimestamp', p);
  if (!Array.isArray(s.contacts)) fail(`${p}.contacts must be an array`);
  s.contacts.forEach((c: unknown, i: number) => {
    const path = `${p}.contacts[${i}]`;
    const co = obj(c, path);
    str(co, 'contactId', path, MAX_NAME_CHARS);
    const cs = obj(co.state, `${path}.state`);
    str(cs, 'type', `${path}.state`, MAX_NAME_CHARS);
    num(cs, 'timestamp', `${path}.state`);
    if (!Array.isArray(co.connections)) fail(`${path}.connections must be an array`);
    co.connections.forEach((k: unknown, j: number) => {
      const kp = `${path}.connections[${j}]`;
      const ko = obj(k, kp);
      str(ko, 'connectionId', kp, MAX_NAME_CHARS);
      obj(ko.state, `${kp}.state`);
      bool(ko, 'mute', kp);
    });
  });
  return s as unknown as AgentSnapshot;
}
