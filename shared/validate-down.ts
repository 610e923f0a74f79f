/**
 * What a tab checks on receipt from the engine — the tab's side of the envelope (`envelope.ts`): every down message
 * (`validateDown`; `decodeDown`/`receiveDown` as a push arrives) and the welcome (`validateWelcome`). The engine is
 * trusted for contents (contacts, configuration are not checked deeply); what a message needs to be applied safely
 * is. Table-driven and apart from the other validators, so that the page's bundle (25 KB gzip budget) carries only this.
 */
import {
  DownType, ErrorType, MAX_PLAUSIBLE_SKEW_MS, TransportKind, wireError, type Down, type Welcome, type WireError,
} from './protocol';
import type { Validated } from './validate-kit';
import { MAX_ID_CHARS, MAX_NAME_CHARS, MAX_STATE_VERSION } from './validate-limits';

type Fields = Record<string, unknown>;
/** One field check: the field, its test (given the whole message too), and what it must be (for the error). */
type Rule = [field: string, test: (v: unknown, m: Fields) => boolean, must: string];

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (min: number, max = Number.MAX_SAFE_INTEGER) => (v: unknown): boolean =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isNumber = (limit: number) => (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;
const isText = (max: number) => (v: unknown): boolean => typeof v === 'string' && v.length > 0 && v.length <= max;
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const optional = (test: (v: unknown) => boolean) => (v: unknown): boolean => v === undefined || test(v);
const isWireError = (v: unknown): boolean => isObject(v) && typeof v.type === 'string' && typeof v.message === 'string';

const RULES: Record<DownType, Rule[]> = {
  [DownType.STATE]: [
    ['version', isInt(0, MAX_STATE_VERSION), `an integer from 0 to ${MAX_STATE_VERSION}`],
    ['skew', isNumber(MAX_PLAUSIBLE_SKEW_MS), `a number of ms within ±${MAX_PLAUSIBLE_SKEW_MS}`],
    ['stale', optional(isBool), 'a boolean'],
    ['data', (v) => v === null || (isObject(v) && isObject(v.snapshot) && isObject(v.configuration)),
      'null or {snapshot, configuration}'],
  ],
  [DownType.DELTA]: [
    ['version', isInt(1), 'an integer from 1'],
    ['base', isInt(0), 'an integer from 0'],
    ['skew', optional(isNumber(Infinity)), 'a finite number'],
    ['stale', optional(isBool), 'a boolean'],
    ['put', optional(Array.isArray), 'an array'],
    ['del', optional(Array.isArray), 'an array'],
    ['order', optional(Array.isArray), 'an array'],
    ['agent', optional(isObject), 'an object'],
    ['configuration', optional(isObject), 'an object'],
    // The engine's derived events; each entry is checked against the two states as the tab applies it (client/api/state.ts).
    ['events', optional(Array.isArray), 'an array'],
  ],
  [DownType.ACKNOWLEDGE]: [['tabId', isText(MAX_ID_CHARS), 'an id'], ['seq', isInt(0), 'an integer from 0'],
    ['version', optional(isInt(0, MAX_STATE_VERSION)), `an integer from 0 to ${MAX_STATE_VERSION}`]],
  [DownType.RESPONSE]: [
    ['requestId', optional((v) => typeof v === 'string' && v.length <= MAX_ID_CHARS), 'an id'],
    ['ok', isBool, 'a boolean'],
    ['error', (v, m) => m.ok !== false || isWireError(v), 'a typed error {type, message}'],
  ],
  [DownType.EVENT]: [['event', isText(MAX_NAME_CHARS), 'a name']],
  [DownType.LOG]: [['entries', Array.isArray, 'an array']],
};

const WELCOME: Rule[] = [
  ['tabId', isText(MAX_ID_CHARS), 'an id'],
  ['engineId', isText(MAX_ID_CHARS), 'an id'],
  ['tabCount', isInt(0), 'an integer from 0'],
  ['transport', (v) => (Object.values(TransportKind) as unknown[]).includes(v), 'a transport kind'],
  ['epoch', optional(isInt(0)), 'an integer from 0'],
  ['state', (v) => isObject(v) && v.type === DownType.STATE, 'a full state'],
];

const invalid = (message: string): { ok: false; error: WireError } => ({ ok: false, error: wireError(ErrorType.VALIDATION, message) });

/** The first rule `m` breaks, as a `ValidationError` naming `path.field`; null when it keeps them all. */
function broken(m: Fields, rules: Rule[], path: string): { ok: false; error: WireError } | null {
  for (const [field, test, must] of rules) if (!test(m[field], m)) return invalid(`${path}.${field} must be ${must}`);
  return null;
}

/**
 * Checks a message pushed to a tab (already `JSON.parse`d): a known `type` and the fields each type needs.
 *
 * @example
 * const r = validateDown(JSON.parse(json));
 * if (r.ok) state.apply(r.value);
 */
export function validateDown(msg: unknown): Validated<Down> {
  if (!isObject(msg)) return invalid('message must be an object');
  const type = msg.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(RULES, type)) {
    return invalid(`unknown down message type '${String(type).slice(0, 64)}'`);
  }
  return broken(msg, RULES[type as DownType], type) ?? { ok: true, value: msg as unknown as Down };
}

/**
 * Decodes and validates one pushed down message (the tab's side of `down`, on every transport).
 *
 * @example
 * const r = decodeDown(event.data);
 * if (r.ok) onDown(r.value); else onInvalid(r.error);
 */
export function decodeDown(json: unknown): Validated<Down> {
  if (typeof json !== 'string') return invalid(`down message must be a JSON string, not ${typeof json}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return invalid(`down message is not JSON: ${json.slice(0, 64)}`);
  }
  return validateDown(parsed);
}

/**
 * Where a transport hands what it received: valid down messages to `onDown`, the typed error of a dropped one to
 * `onInvalid` (the tab logs it), so that one bad message never reaches the tab's state and never stops the next.
 *
 * @example
 * port.onmessage = (e) => receiveDown(e.data, onDown, onInvalid);
 */
export function receiveDown(json: unknown, onDown: (msg: Down) => void, onInvalid?: (error: WireError) => void): void {
  const r = decodeDown(json);
  if (r.ok) onDown(r.value);
  else onInvalid?.(wireError(ErrorType.VALIDATION, `dropped a down message: ${r.error.message}`));
}

/**
 * Checks the engine's answer to `hello` (the tab's side of a hello `result`): ids, a tab count, a known transport and
 * a full state that passes `validateDown`.
 *
 * @example
 * const r = validateWelcome(await transport.connect(hello, onDown));
 * if (!r.ok) throw r.error;
 */
export function validateWelcome(x: unknown): Validated<Welcome> {
  if (!isObject(x)) return invalid('welcome must be an object');
  const bad = broken(x, WELCOME, 'welcome');
  if (bad) return bad;
  const state = validateDown(x.state);
  return state.ok ? { ok: true, value: x as unknown as Welcome } : state;
}
