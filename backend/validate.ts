/**
 * Field checks for request bodies. Each throws a `ValidationException` whose message names the field by its path
 * (`endpoint.phoneNumber must be a string`), so a client knows exactly what to fix. Handlers run all of their checks
 * before they change anything, which is what keeps a bad request from half-applying.
 */
import { validationError } from './errors';

export type JsonObject = Record<string, unknown>;

/** Longest string accepted in any field: far above real ids and names, small enough to keep snapshots sane. */
const MAX_STRING_LENGTH = 4096;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function label(prefix: string | undefined, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

export interface StringRules {
  /** Reject '' (default true: ids and names are never empty). */
  nonEmpty?: boolean;
  maxLength?: number;
}

export function optionalString(obj: JsonObject, field: string, prefix?: string, rules: StringRules = {}): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  const name = label(prefix, field);
  if (typeof value !== 'string') throw validationError(`${name} must be a string`);
  if ((rules.nonEmpty ?? true) && value.length === 0) throw validationError(`${name} must not be empty`);
  if (value.length > (rules.maxLength ?? MAX_STRING_LENGTH)) {
    throw validationError(`${name} must be at most ${rules.maxLength ?? MAX_STRING_LENGTH} characters`);
  }
  return value;
}

export function requireString(obj: JsonObject, field: string, prefix?: string, rules: StringRules = {}): string {
  const value = optionalString(obj, field, prefix, rules);
  if (value === undefined) throw validationError(`${label(prefix, field)} is required and must be a string`);
  return value;
}

export function optionalBoolean(obj: JsonObject, field: string, prefix?: string): boolean | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(`${label(prefix, field)} must be a boolean`);
  return value;
}

export function requireBoolean(obj: JsonObject, field: string, prefix?: string): boolean {
  const value = optionalBoolean(obj, field, prefix);
  if (value === undefined) throw validationError(`${label(prefix, field)} is required and must be a boolean`);
  return value;
}

export function optionalNumber(obj: JsonObject, field: string, prefix: string | undefined,
  range: { min: number; max: number; integer?: boolean }): number | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  const name = label(prefix, field);
  const kind = range.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value))) {
    throw validationError(`${name} must be ${kind}`);
  }
  if (value < range.min || value > range.max) {
    throw validationError(`${name} must be ${kind} between ${range.min} and ${range.max}`);
  }
  return value;
}

export function optionalObject(obj: JsonObject, field: string, prefix?: string): JsonObject | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw validationError(`${label(prefix, field)} must be an object`);
  return value;
}

export function requireObject(obj: JsonObject, field: string, prefix?: string): JsonObject {
  const value = optionalObject(obj, field, prefix);
  if (value === undefined) throw validationError(`${label(prefix, field)} is required and must be an object`);
  return value;
}

export function requireArray(obj: JsonObject, field: string, prefix?: string, maxItems = 10_000): unknown[] {
  const value = obj[field];
  const name = label(prefix, field);
  if (!Array.isArray(value)) throw validationError(`${name} is required and must be an array`);
  if (value.length > maxItems) throw validationError(`${name} must have at most ${maxItems} items`);
  return value;
}

export function requireStringArray(obj: JsonObject, field: string, prefix?: string, maxItems = 1000): string[] {
  const items = requireArray(obj, field, prefix, maxItems);
  items.forEach((item, i) => {
    if (typeof item !== 'string') throw validationError(`${label(prefix, field)}[${i}] must be a string`);
  });
  return items as string[];
}

/** A map of string to string (attributes, preferences). */
export function optionalStringMap(obj: JsonObject, field: string, prefix?: string, maxEntries = 100):
  Record<string, string> | undefined {
  const value = optionalObject(obj, field, prefix);
  if (value === undefined) return undefined;
  const entries = Object.entries(value);
  if (entries.length > maxEntries) throw validationError(`${label(prefix, field)} must have at most ${maxEntries} entries`);
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw validationError(`${label(prefix, field)}.${key} must be a string`);
    if (item.length > MAX_STRING_LENGTH) throw validationError(`${label(prefix, field)}.${key} is too long`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** E.164: a plus, a non-zero country digit, 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;
