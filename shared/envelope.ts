/**
 * The one envelope of the tab ↔ engine messages, whatever carries them. Five verbs: a tab says `hello`, `post`s an up
 * message expecting an answer or `send`s one without; the engine answers with a `result` and pushes `down` messages
 * (the JSON the engine encoded once per fan-out). Each carrier adds only its addressing and its discriminant field:
 *
 * - the SharedWorker port: Comlink's own request/response carries hello/post/result (`EngineEndpoint`, guarded by
 *   `worker/comlink-guard.ts`), and `down` is the plain JSON string on the tab's push port;
 * - the BroadcastChannel (`broadcast-protocol.ts`): `kind: Verb`, plus `epoch`, `from`/`to` and `rid` (string);
 * - the iframe bridge (`client/embed/bridge-protocol.ts`): `type: Verb`, plus the `source` marker and `id` (number).
 *
 * The fields of each verb are checked here, once, for every carrier (`verbFieldsValid`); the payloads on receipt: up
 * messages by the engine (`validateUp`, and the CCP frame before relaying), down messages and the welcome by the tab
 * (`decodeDown`, `validateWelcome`). A message that fails is dropped with a `ValidationError` naming the field.
 */
import {
  DownType, ErrorType, TransportKind, wireError,
  type Down, type Hello, type StateFull, type Up, type Welcome, type WireError,
} from './protocol';
import { MAX_ID_CHARS, num, obj, oneOf, run, str, fail, validateDown, type Obj, type Validated } from './validate';

/** The verbs of every carrier (the wire values every carrier uses). */
export enum Verb {
  /** tab → engine: register this tab (`hello: Hello`); answered with a `Welcome` or `{error}`. */
  HELLO = 'hello',
  /** tab → engine: an up message (`msg: Up`) expecting a `result`. */
  POST = 'post',
  /** tab → engine: an up message (`msg: Up`), no answer (SYNCHRONIZE, BYE). */
  SEND = 'send',
  /** engine → tab: the answer to `hello`/`post` (`ok` and `value`, or `error`). */
  RESULT = 'result',
  /** engine → tab: a down message, `json` as the engine encoded it. */
  DOWN = 'down',
}

/** The outcome of a call, as a `result` carries it. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: WireError };

/** The five verbs with their fields, before a carrier names the discriminant and adds its addressing. `Id` is the
 * carrier's call id (a UUID string on the channel, a counter in the bridge). */
export type TabEnvelope<Id> =
  | { verb: Verb.HELLO; id: Id; hello: Hello }
  | { verb: Verb.POST; id: Id; msg: Up; timeoutMs?: number }
  | { verb: Verb.SEND; msg: Up };
export type EngineEnvelope<Id> =
  | ({ verb: Verb.RESULT; id: Id } & Outcome)
  | { verb: Verb.DOWN; json: string };

const VERBS: ReadonlySet<string> = new Set(Object.values(Verb));

/** Whether `x` is one of the five verbs. */
export function isVerb(x: unknown): x is Verb {
  return typeof x === 'string' && VERBS.has(x);
}

/** A typed error as it crosses a boundary: `{type, message}`, both strings. */
export function isWireError(x: unknown): x is WireError {
  return !!x && typeof x === 'object' && typeof (x as WireError).type === 'string' && typeof (x as WireError).message === 'string';
}

const isPayload = (x: unknown): boolean => !!x && typeof x === 'object' && !Array.isArray(x);

/**
 * The fields of `verb` in a carrier's message `m` (its discriminant and addressing are the carrier's to check):
 * a call id where the verb has one, an object payload for hello/post/send, a boolean `ok` and a typed error for a
 * failed result, a JSON string for a down message. Payloads themselves are validated where they are received.
 *
 * @example
 * verbFieldsValid(Verb.RESULT, { rid: 'r1', ok: false, error: { type: 'TimeoutError', message: 'late' } }, 'rid', isId); // true
 */
export function verbFieldsValid(verb: Verb, m: Obj, idKey: string, isId: (x: unknown) => boolean): boolean {
  switch (verb) {
    case Verb.HELLO:
      return isId(m[idKey]) && isPayload(m.hello);
    case Verb.POST:
      return isId(m[idKey]) && isPayload(m.msg) && (m.timeoutMs === undefined || typeof m.timeoutMs === 'number');
    case Verb.SEND:
      return isPayload(m.msg);
    case Verb.RESULT:
      return isId(m[idKey]) && (m.ok === true || (m.ok === false && isWireError(m.error)));
    case Verb.DOWN:
      return typeof m.json === 'string';
  }
}

/**
 * Decodes and validates one pushed down message (the tab's side of `down`, on every transport).
 *
 * @example
 * const r = decodeDown(event.data);
 * if (r.ok) onDown(r.value); else onInvalid(r.error);
 */
export function decodeDown(json: unknown): Validated<Down> {
  if (typeof json !== 'string') return { ok: false, error: wireError(ErrorType.VALIDATION, `down message must be a JSON string, not ${typeof json}`) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, error: wireError(ErrorType.VALIDATION, `down message is not JSON: ${json.slice(0, 64)}`) };
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
 * Checks the engine's answer to `hello` (the tab's side of a hello `result`): ids, a full state that passes
 * `validateDown`, a tab count and a known transport.
 *
 * @example
 * const r = validateWelcome(await transport.connect(hello, onDown));
 * if (!r.ok) throw r.error;
 */
export function validateWelcome(x: unknown): Validated<Welcome> {
  return run(() => {
    const o = obj(x, 'welcome');
    str(o, 'tabId', 'welcome', MAX_ID_CHARS);
    str(o, 'engineId', 'welcome', MAX_ID_CHARS);
    num(o, 'tabCount', 'welcome', { integer: true, min: 0 });
    oneOf(o, 'transport', 'welcome', Object.values(TransportKind));
    num(o, 'epoch', 'welcome', { optional: true, integer: true, min: 0 });
    const state = obj(o.state, 'welcome.state');
    if (state.type !== DownType.STATE) fail('welcome.state.type must be state');
    const checked = validateDown(state);
    if (!checked.ok) fail(checked.error.message);
    return o as unknown as Welcome & { state: StateFull };
  });
}
