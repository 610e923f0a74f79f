/**
 * Messages between a CRM page and the CCP frame it embeds (`window.postMessage`, always to the exact peer origin).
 * The frame relays for the CRM: the CRM is a tab of the engine like any other, reached through the frame.
 *
 * The tab ↔ engine verbs are the one envelope of `shared/envelope.ts`: the CRM's calls on the frame's surface
 * (`BridgeSurface`: hello, post) are Comlink's, carried in `call`/`reply` (a `RelayedEndpoint` at each end; the
 * frame exposes the surface behind `shared/comlink-guard.ts`), `send` and `down` are plain messages. The bridge adds
 * the `source` marker and its own messages (ready, configure, refused, and the delegated Web Locks below, which are
 * not tab ↔ engine messages).
 */
import { isVerb, verbFieldsValid, type ComlinkMessage, type Holds, type SameValues, type Verb } from '../../shared/envelope';
import type { PostResult } from '../../shared/endpoint';
import type { Hello, Up, Welcome, WireError } from '../../shared/protocol';

/** Every bridge message carries this marker, so unrelated `message` traffic on the page is ignored cheaply. */
export const BRIDGE_SOURCE = 'connect-sync-bridge';

/** Largest bridge message accepted (JSON chars): the same cap as an up message to the engine. */
export const MAX_BRIDGE_MESSAGE_CHARS = 512 * 1024;

export enum BridgeType {
  /** frame → CRM: the frame is up and accepts this parent. Sent on load and again after a reload. */
  READY = 'ready',
  /** CRM → frame: a Comlink request (`call`) to the frame's `BridgeSurface`. */
  CALL = 'call',
  /** CRM → frame: an up message, no answer. */
  SEND = 'send',
  /** frame → CRM: Comlink's answer (`reply`) to a `call`. */
  REPLY = 'reply',
  /** frame → CRM: a down message (JSON, as the engine encoded it). */
  DOWN = 'down',
  /** CRM → frame: the page options of `initCCP` (softphone, chat, pageOptions). */
  CONFIGURE = 'configure',
  /** frame → CRM: the frame refuses this parent (not an approved origin). */
  REFUSED = 'refused',
}

/** The bridge's tab ↔ engine types are the envelope's verbs, value for value (checked by the compiler; literals above so
 * that the enum ships as its values, scripts/derived-enums-loader.ts). */
export type BridgeVerbs = Holds<SameValues<BridgeType.CALL | BridgeType.REPLY | BridgeType.SEND | BridgeType.DOWN,
  Verb.CALL | Verb.REPLY | Verb.SEND | Verb.DOWN>>;

/** What the CCP frame offers its CRM page, called with Comlink; nothing else of the frame is reachable. */
export interface BridgeSurface {
  /** Opens the CRM tab's relay (a new engine connection; the role is always `crm`). */
  hello(hello: Hello): Promise<Welcome>;
  /** An up message to the engine through the open relay; the frame caps `timeoutMs`. */
  post(msg: Up, timeoutMs: number): Promise<PostResult>;
}

/** The surface's method names, for the frame's guard. */
export const BRIDGE_METHODS: readonly (keyof BridgeSurface)[] = ['hello', 'post'];

export type BridgeMessage =
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.READY }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.REFUSED; reason: string }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.CALL; call: ComlinkMessage }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.SEND; msg: Up }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.REPLY; reply: ComlinkMessage }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.DOWN; json: string }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.CONFIGURE; options: Record<string, unknown> };

/** The bridge has no call ids of its own: Comlink's travel inside `call`/`reply` (the verbs with an id are not bridge
 * types). */
const noCallId = (): boolean => false;

/** Checks the envelope of a bridge message (payloads are checked where they are used). */
export function asBridgeMessage(data: unknown): BridgeMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as { source?: unknown; type?: unknown };
  if (m.source !== BRIDGE_SOURCE || typeof m.type !== 'string') return null;
  if (!(Object.values(BridgeType) as string[]).includes(m.type)) return null;
  if (isVerb(m.type) && !verbFieldsValid(m.type, m as Record<string, unknown>, 'id', noCallId)) return null;
  try {
    if (JSON.stringify(data).length > MAX_BRIDGE_MESSAGE_CHARS) return null;
  } catch {
    return null;
  }
  return data as BridgeMessage;
}

/** A call whose arguments are plain values (Comlink's `RAW`): never a `HANDLER` (a proxy would make the frame call
 * back into the page, a port the page chose). Which method it calls is the guard's to check. */
export function hasPlainArguments(call: ComlinkMessage): boolean {
  const args = call.argumentList;
  return args === undefined || (Array.isArray(args) && args.every((a) => !!a && typeof a === 'object' && (a as { type?: unknown }).type === 'RAW'));
}

/** A reply the CRM accepts: a value (`RAW`) or a thrown one (`HANDLER` `throw`), never a proxy. */
export function isPlainReply(reply: ComlinkMessage): boolean {
  return reply.type === 'RAW' || (reply.type === 'HANDLER' && reply.name === 'throw');
}

// -------------------------------------------------------------------------------------------------------------------
// Delegated Web Locks. A CCP frame on another site (third-party) has no usable Web Locks or IndexedDB; the CRM page
// that embeds it is first-party on its own origin, and every CRM tab of that origin shares its lock manager. So the
// frame asks its parent to take locks for it (the CRM side serves only its own CCP frame, under a name prefix of
// the CCP origin, so the frame can touch no other lock of the page). Every message names the frame instance
// (`session`): when the frame reloads, the page drops what the previous instance held.
// -------------------------------------------------------------------------------------------------------------------

export enum LockBridgeType {
  /** frame → CRM: take lock `name` for request `lid` (`mode`, `ifAvailable`, `steal` as in `navigator.locks`). */
  REQUEST = 'lock-request',
  /** frame → CRM: give back lock `lid`, or drop the request while it waits (an aborted signal). */
  RELEASE = 'lock-release',
  /** frame → CRM: a call answered by `REPLY`: `offer` (is delegation served?), `query`, `epoch-read`, `epoch-bump`. */
  CALL = 'lock-call',
  /** CRM → frame: request `lid` was granted (`held: true`), or not available (`ifAvailable`, `held: false`). */
  GRANT = 'lock-grant',
  /** CRM → frame: request `lid` ended without a release from the frame (stolen, or failed): `error`. */
  END = 'lock-end',
  /** CRM → frame: the answer to a `CALL`. */
  REPLY = 'lock-reply',
}

export type LockCallOp = 'offer' | 'query' | 'epoch-read' | 'epoch-bump';
const LOCK_CALL_OPS: readonly string[] = ['offer', 'query', 'epoch-read', 'epoch-bump'] satisfies LockCallOp[];

/** Longest lock name a frame may use (ours are ~60 chars with a tab id). */
export const MAX_LOCK_NAME_CHARS = 256;
const MAX_SESSION_CHARS = 128;

type Src = { source: typeof BRIDGE_SOURCE };
export type LockRequestMessage = Src & { type: LockBridgeType.REQUEST; session: string; lid: number; name: string;
  mode: 'exclusive' | 'shared'; ifAvailable: boolean; steal: boolean };
export type LockReleaseMessage = Src & { type: LockBridgeType.RELEASE; session: string; lid: number };
export type LockCallMessage = Src & { type: LockBridgeType.CALL; session: string; id: number; op: LockCallOp; atLeast?: number };
export type FrameLockMessage = LockRequestMessage | LockReleaseMessage | LockCallMessage;

export type LockGrantMessage = Src & { type: LockBridgeType.GRANT; lid: number; held: boolean };
export type LockEndMessage = Src & { type: LockBridgeType.END; lid: number; error: WireError };
export type LockReplyMessage = Src & ({ type: LockBridgeType.REPLY; id: number; ok: true; value: unknown }
  | { type: LockBridgeType.REPLY; id: number; ok: false; error: WireError });
export type ParentLockMessage = LockGrantMessage | LockEndMessage | LockReplyMessage;

const isCounter = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;

/** A lock message from the CCP frame, every field checked; null for anything else. */
export function asFrameLockMessage(data: unknown): FrameLockMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (m.source !== BRIDGE_SOURCE || !isText(m.session, MAX_SESSION_CHARS)) return null;
  switch (m.type) {
    case LockBridgeType.REQUEST:
      return isCounter(m.lid) && isText(m.name, MAX_LOCK_NAME_CHARS) && (m.mode === 'exclusive' || m.mode === 'shared')
        && typeof m.ifAvailable === 'boolean' && typeof m.steal === 'boolean' && !(m.steal && (m.ifAvailable || m.mode === 'shared'))
        ? m as unknown as LockRequestMessage : null;
    case LockBridgeType.RELEASE:
      return isCounter(m.lid) ? m as unknown as LockReleaseMessage : null;
    case LockBridgeType.CALL:
      return isCounter(m.id) && typeof m.op === 'string' && LOCK_CALL_OPS.includes(m.op) && (m.atLeast === undefined || isCounter(m.atLeast))
        ? m as unknown as LockCallMessage : null;
    default:
      return null;
  }
}

/** A lock message from the parent page, every field checked; null for anything else. */
export function asParentLockMessage(data: unknown): ParentLockMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (m.source !== BRIDGE_SOURCE) return null;
  const isError = (e: unknown): e is WireError => !!e && typeof (e as WireError).type === 'string' && typeof (e as WireError).message === 'string';
  switch (m.type) {
    case LockBridgeType.GRANT:
      return isCounter(m.lid) && typeof m.held === 'boolean' ? m as unknown as LockGrantMessage : null;
    case LockBridgeType.END:
      return isCounter(m.lid) && isError(m.error) ? m as unknown as LockEndMessage : null;
    case LockBridgeType.REPLY:
      return isCounter(m.id) && (m.ok === true || (m.ok === false && isError(m.error))) ? m as unknown as LockReplyMessage : null;
    default:
      return null;
  }
}

/** A message before its `source` marker is added (distributes over the union). */
export type WithoutSource<T> = T extends unknown ? Omit<T, 'source'> : never;
