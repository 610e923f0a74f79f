/**
 * The BroadcastChannel fallback's contract between tabs of one origin: the names every tab must agree on (lock,
 * channel, epoch key) and the messages on the channel. The leader tab hosts the engine; followers reach it here.
 *
 * - Leadership is the Web Lock `LEADER_LOCK_NAME`, held for the whole term. Every term has an `epoch`, strictly
 *   increasing (a counter in IndexedDB, bumped in one read-write transaction by each new leader).
 * - Every leader message carries its epoch: a follower ignores an older epoch (fencing) and adopts a newer one.
 * - Follower messages carry the epoch they are addressed to: a leader handles only its own.
 * - Down messages name their recipients (`to`): one post reaches every tab, and each keeps only what is its own.
 *
 * - A tab's calls on the engine (hello, post) are Comlink's request/response, carried in `call`/`reply` messages
 *   addressed from/to the tab (`RelayedEndpoint`); `send` and `down` are plain messages. Their fields are the one
 *   envelope of `envelope.ts`; the channel adds `epoch` and `from`/`to`, and its own leadership messages.
 *
 * Declarations only (no imports at run time): `channel-message.ts` checks what arrives.
 */
import type { ComlinkMessage, Holds, SameValues, Verb } from './envelope';

// The channel and both locks carry `PROTOCOL_VERSION` (as the SharedWorker's name does; `client/wire-names.test.ts`
// holds them to it): after an incompatible change, a new tab must neither follow an old leader it cannot understand
// (same lock, other channel) nor hear one (same channel). The epoch counter below stays shared: it only grows.
/** The lock whose holder is the leader. */
export const LEADER_LOCK_NAME = 'connect-sync:v1:leader';
/** Taken with `ifAvailable` by a tab about to steal leadership, so that only one tab steals from a silent leader. */
export const STEAL_GUARD_LOCK_NAME = 'connect-sync:v1:leader-steal';
/** The one channel of the fallback. */
export const BROADCAST_CHANNEL_NAME = 'connect-sync:v1';
/** The epoch counter lives in a database of its own (idb-keyval `createStore(LEADER_DB_NAME, LEADER_STORE_NAME)`),
 * so that no engine's state or log write — possibly held open by a frozen or hung tab — can delay an election. */
export const LEADER_DB_NAME = 'connect-sync-leader';
export const LEADER_STORE_NAME = 'epoch';
/** Key of the epoch counter in that store; also the key of its mirror in the engine's store (`PERSIST_DB_NAME` /
 * `PERSIST_STORE_NAME`), which a leader reads in the same transaction as it writes its state (the persistence fence). */
export const PERSIST_EPOCH_KEY = 'leader-epoch';

export enum ChannelKind {
  // leader → followers
  HEARTBEAT = 'heartbeat',
  PONG = 'pong',
  DOWN = 'down',
  REPLY = 'reply',
  // followers → leader
  CALL = 'call',
  SEND = 'send',
  PING = 'ping',
  WHOIS = 'whois',
  // node ↔ node, only where the engine has no cookies (a CCP frame on another site)
  SESSION = 'session',
}

/** The channel's tab ↔ engine kinds are the envelope's verbs, value for value (checked by the compiler; literals
 * above so that the enum ships as its values, scripts/derived-enums-loader.ts). */
export type ChannelVerbs = Holds<SameValues<ChannelKind.DOWN | ChannelKind.REPLY | ChannelKind.CALL | ChannelKind.SEND,
  Verb.DOWN | Verb.REPLY | Verb.CALL | Verb.SEND>>;

/** "I lead under `epoch`": sent periodically, at once on election, and in answer to `whois`. */
export interface HeartbeatMessage { kind: ChannelKind.HEARTBEAT; epoch: number; leader: string }
/** The answer to a `ping`, from the leader's message handler (so a leader whose timers are throttled still answers). */
export interface PongMessage { kind: ChannelKind.PONG; epoch: number; to: string; nonce: number }
/** Down messages (JSON as the engine encoded them) for some tabs, or for every tab of this epoch (`'*'`). */
export interface DownMessage { kind: ChannelKind.DOWN; epoch: number; to: string[] | '*'; json: string }
/** Comlink's answer to a tab's call (`to`: the tab). */
export interface ReplyMessage { kind: ChannelKind.REPLY; epoch: number; to: string; reply: ComlinkMessage }

export type LeaderMessage = HeartbeatMessage | PongMessage | DownMessage | ReplyMessage;

/** A tab's Comlink call on the engine's surface (`hello`, `post`; the engine validates the arguments). */
export interface CallMessage { kind: ChannelKind.CALL; epoch: number; from: string; call: ComlinkMessage }
/** An up message without an answer (SYNCHRONIZE, BYE). */
export interface SendMessage { kind: ChannelKind.SEND; epoch: number; from: string; msg: unknown }
/** "Are you alive?" to the leader of `epoch` (0: whoever leads). */
export interface PingMessage { kind: ChannelKind.PING; epoch: number; from: string; nonce: number }
/** "Who leads?": a new tab asks instead of waiting for the next heartbeat. */
export interface WhoisMessage { kind: ChannelKind.WHOIS; from: string }

export type FollowerMessage = CallMessage | SendMessage | PingMessage | WhoisMessage;

/** The agent's session, shared among the pages of a CCP whose engine cannot fetch one (no cookies in a third-party
 * frame): whichever page leads next starts its engine with it instead of asking for a new login. `null`: logged
 * out. Only pages of the CCP origin read the channel, so the token never reaches the embedding page. */
export interface SessionMessage { kind: ChannelKind.SESSION; from: string; session: { authToken: string; expiration?: number } | null }

/** What the leader's engine server emits (the leader's node adds the epoch). */
export type ServerOutput =
  | { kind: ChannelKind.DOWN; to: string[] | '*'; json: string }
  | { kind: ChannelKind.REPLY; to: string; reply: ComlinkMessage };

/** The surface a follower tab calls with Comlink (its push is the channel's `down`, so hello takes no callback). */
export interface ChannelSurface {
  hello(hello: unknown): Promise<unknown>;
  post(msg: unknown): Promise<unknown>;
}
