/**
 * The small kit every validator of a boundary shares (`validate-down.ts`, `validate.ts`, `validate-up.ts`,
 * `validate-snapshot.ts`): field checks that throw an `Invalid` naming the field, and `run`, which turns that into a
 * `ValidationError`. Apart, so that a page's bundle carries only the kit and the down-message checks it needs.
 */
import { ErrorType, wireError, type WireError } from './protocol';

export { MAX_ID_CHARS, MAX_NAME_CHARS, MAX_STATE_VERSION } from './validate-limits';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Longest page URL in a hello (browsers cap URLs far above this; the inspector only needs to recognise the page). */
export const MAX_URL_CHARS = 2048;
/** Longest auth token (JWTs of a few KB exist; 16 KB is well above them). */
export const MAX_TOKEN_CHARS = 16 * 1024;
/** Most log entries in one `log` message (tabs batch at most 500, as the original did). */
export const MAX_LOG_ENTRIES = 1000;

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
