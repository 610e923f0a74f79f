/**
 * The check of every message read from the fallback's BroadcastChannel (`broadcast-protocol.ts`): the tab ↔ engine
 * verbs' fields as the envelope defines them for every carrier (`verbFieldsValid`), then the channel's addressing.
 */
import {
  ChannelKind, type FollowerMessage, type HeartbeatMessage, type LeaderMessage, type PingMessage, type PongMessage,
  type DownMessage, type ReplyMessage, type CallMessage, type SendMessage, type SessionMessage, type WhoisMessage,
} from './broadcast-protocol';
import { isVerb, verbFieldsValid } from './envelope';

/** Longest id on the channel (tab, node, request ids are UUIDs). */
const MAX_ID = 128;

type Obj = Record<string, unknown>;

const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
const isEpoch = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Longest token accepted on the channel (ours are far shorter; the login popup caps them the same way). */
const MAX_TOKEN_CHARS = 4096;

function isSession(x: unknown): boolean {
  const s = x as Obj | null;
  return !!s && typeof s === 'object' && typeof s.authToken === 'string' && s.authToken.length > 0
    && s.authToken.length <= MAX_TOKEN_CHARS
    && (s.expiration === undefined || (typeof s.expiration === 'number' && Number.isFinite(s.expiration) && s.expiration > 0));
}

/** Checks the envelope of a channel message; payloads (`hello`, `msg`, `json`) are checked where they are used.
 * Returns null for anything else (other libraries may share the channel name by accident). */
export function asChannelMessage(data: unknown): LeaderMessage | FollowerMessage | SessionMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Obj;
  // The tab ↔ engine verbs: their fields as every carrier checks them, then the channel's addressing.
  if (isVerb(m.kind) && !verbFieldsValid(m.kind, m, 'id', isId)) return null;
  switch (m.kind) {
    case ChannelKind.WHOIS:
      return isId(m.from) ? (m as unknown as WhoisMessage) : null;
    case ChannelKind.HEARTBEAT:
      return isEpoch(m.epoch) && isId(m.leader) ? (m as unknown as HeartbeatMessage) : null;
    case ChannelKind.PONG:
      return isEpoch(m.epoch) && isId(m.to) && typeof m.nonce === 'number' ? (m as unknown as PongMessage) : null;
    case ChannelKind.DOWN:
      return isEpoch(m.epoch) && (m.to === '*' || (Array.isArray(m.to) && m.to.every(isId)))
        ? (m as unknown as DownMessage) : null;
    case ChannelKind.REPLY:
      return isEpoch(m.epoch) && isId(m.to) ? (m as unknown as ReplyMessage) : null;
    case ChannelKind.PING:
      return isEpoch(m.epoch) && isId(m.from) && typeof m.nonce === 'number' ? (m as unknown as PingMessage) : null;
    case ChannelKind.CALL:
      return isEpoch(m.epoch) && isId(m.from) ? (m as unknown as CallMessage) : null;
    case ChannelKind.SEND:
      return isEpoch(m.epoch) && isId(m.from) ? (m as unknown as SendMessage) : null;
    case ChannelKind.SESSION:
      return isId(m.from) && (m.session === null || isSession(m.session)) ? (m as unknown as SessionMessage) : null;
    default:
      return null;
  }
}
