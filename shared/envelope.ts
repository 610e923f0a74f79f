/**
 * The one envelope of the tab ↔ engine messages, whatever carries them. A tab says `hello` and `post`s up messages
 * expecting an answer — calls on the engine's surface (`EngineEndpoint`), made with Comlink, the request layer —,
 * `send`s up messages without an answer; the engine answers each call with a `result` and pushes `down` messages
 * (the JSON the engine encoded once per fan-out, a plain message, never a call). Each carrier adds only its addressing
 * and its discriminant field:
 *
 * - the SharedWorker port: Comlink on the port carries hello/post/result (guarded by `shared/comlink-guard.ts`), and
 *   `down` is the plain JSON string on the tab's push port;
 * - the BroadcastChannel (`broadcast-protocol.ts`): Comlink's messages inside `call`/`reply` (a `RelayedEndpoint`
 *   per tab, addressed `from`/`to` a tab id under the leader's `epoch`), plus plain `send` and `down`;
 * - the iframe bridge (`client/embed/bridge-protocol.ts`): `type: Verb` with the `source` marker; Comlink's messages
 *   inside `call`/`reply` (a `RelayedEndpoint` at each end, the CCP frame's surface guarded like a port), plus plain
 *   `send` and `down`.
 *
 * The fields of each verb are checked here, once, for every carrier (`verbFieldsValid`); the payloads on receipt: up
 * messages by the engine (`validateUp`, and the CCP frame before relaying), down messages and the welcome by the tab
 * (`decodeDown`, `receiveDown`, `validateWelcome` in `validate-down.ts`). A message that fails is dropped with a
 * `ValidationError` naming the field.
 */
import type { Hello, Up, WireError } from './protocol';
import { MAX_ID_CHARS, type Obj } from './validate-kit';

/** The verbs of every carrier (the wire values every carrier uses): five for a tab and the engine, and `call`/`reply`
 * where a carrier other than a port carries Comlink. */
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
  /** tab → engine on an addressed carrier: a Comlink request (`call`) to the engine's surface (hello, post). */
  CALL = 'call',
  /** engine → tab on an addressed carrier: Comlink's answer (`reply`) to a `call`. */
  REPLY = 'reply',
}

/** `true` when two sets of string enum members have the same wire values, else `false`. */
export type SameValues<A extends string, B extends string> =
  [`${A}`] extends [`${B}`] ? ([`${B}`] extends [`${A}`] ? true : false) : false;
/** A compile error unless `T` is `true`: a carrier that names the verbs in an enum of its own declares
 * `type X = Holds<SameValues<its members, Verb members>>`. */
export type Holds<T extends true> = T;

/** The outcome of a call, as a `result` carries it. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: WireError };

/** The verbs with their fields, before a carrier names the discriminant and adds its addressing. `Id` is the
 * carrier's call id (today every carrier leaves ids to Comlink, inside `call`/`reply`). */
export type TabEnvelope<Id> =
  | { verb: Verb.HELLO; id: Id; hello: Hello }
  | { verb: Verb.POST; id: Id; msg: Up; timeoutMs?: number }
  | { verb: Verb.SEND; msg: Up }
  | { verb: Verb.CALL; call: ComlinkMessage };
export type EngineEnvelope<Id> =
  | ({ verb: Verb.RESULT; id: Id } & Outcome)
  | { verb: Verb.DOWN; json: string }
  | { verb: Verb.REPLY; reply: ComlinkMessage };

/** A Comlink wire message, as far as a carrier looks into it: its call id and its type (Comlink checks the rest, and
 * the engine's side refuses anything but calls of its surface, `shared/comlink-guard.ts`). */
export interface ComlinkMessage {
  id: string;
  type: string;
  [field: string]: unknown;
}

/** Longest Comlink message type (`APPLY`, `HANDLER`, …). */
const MAX_COMLINK_TYPE_CHARS = 16;

function isComlinkMessage(x: unknown): boolean {
  if (!isPayload(x)) return false;
  const m = x as Obj;
  return typeof m.id === 'string' && m.id.length > 0 && m.id.length <= MAX_ID_CHARS
    && typeof m.type === 'string' && m.type.length > 0 && m.type.length <= MAX_COMLINK_TYPE_CHARS;
}

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
    case Verb.CALL:
      return isComlinkMessage(m.call);
    case Verb.REPLY:
      return isComlinkMessage(m.reply);
  }
}
