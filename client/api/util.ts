/**
 * Small helpers of the public `connect` namespace (`hitch`, `makeEnum`, …) and the time conversions the API objects
 * share. CTI timestamps are epoch seconds; the API hands out `Date`s and skew-corrected durations in milliseconds.
 */
import { ValueError } from './errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * Binds `method` to `scope`, with leading arguments fixed. `method` may be a function or the name of a method of
 * `scope`.
 *
 * @example
 * agent.onRefresh(connect.hitch(handler, handler.onAgentRefresh));
 * agent.onRefresh(connect.hitch(handler, 'onAgentRefresh', 'extra-first-arg'));
 */
export function hitch<S extends object>(scope: S, method: AnyFunction | string, ...bound: unknown[]): AnyFunction {
  const f = typeof method === 'string' ? (scope as Record<string, unknown>)[method] : method;
  if (typeof f !== 'function') throw new ValueError(`hitch: method ${String(method)} is not a function`);
  return (...args: unknown[]) => (f as AnyFunction).apply(scope, [...bound, ...args]);
}

/** True for functions (the original's `connect.isFunction`). */
export function isFunction(x: unknown): x is AnyFunction {
  return typeof x === 'function';
}

/** A deep copy of plain JSON data (what CTI state is), so callers cannot mutate the tab's state through it. */
export function deepCopy<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Freezes a plain object graph in place (snapshots are immutable). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** UPPER_SNAKE key of an enum value, as the original derives it (`not_routable` → `NOT_ROUTABLE`,
 * `AfterCallWork` → `AFTER_CALL_WORK`). */
export function enumKeyOf(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * An enum object from its values, keyed by the UPPER_SNAKE form of each value.
 *
 * @example
 * connect.makeEnum(['a_b', 'cD']); // { A_B: 'a_b', C_D: 'cD' }
 */
export function makeEnum(values: readonly string[]): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of values) out[enumKeyOf(v)] = v;
  return Object.freeze(out);
}

/**
 * Like `makeEnum`, with every value prefixed by `<prefix>::`.
 *
 * @example
 * connect.makeNamespacedEnum('agent', ['refresh']); // { REFRESH: 'agent::refresh' }
 */
export function makeNamespacedEnum(prefix: string, values: readonly string[]): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of values) out[enumKeyOf(v)] = `${prefix}::${v}`;
  return Object.freeze(out);
}

/** Epoch seconds (possibly fractional) as a `Date`; `null` when absent. */
export function toDate(epochSeconds: number | undefined | null): Date | null {
  return typeof epochSeconds === 'number' && Number.isFinite(epochSeconds) ? new Date(epochSeconds * 1000) : null;
}

/**
 * Milliseconds since `epochSeconds` on the server's clock: `now - ts + skew`, where `skew` is server minus local
 * (ms). 0 when the timestamp is absent.
 */
export function elapsedSince(epochSeconds: number | undefined | null, skewMs: number): number {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return 0;
  return Date.now() - epochSeconds * 1000 + skewMs;
}
