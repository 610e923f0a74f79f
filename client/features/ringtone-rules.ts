/**
 * Which contact rings, following the original's ringtone engines: an inbound softphone voice call while it is
 * connecting, a queued callback while it is incoming, and — only when a chat ringtone is configured — a chat while it
 * is connecting. A contact stops ringing when it leaves that state or when a tab accepted it (`contact::accepted`).
 * Pure: the same data, options and accepted ids give the same answer in every tab.
 */
import type { AgentData, Contact } from '../../shared/cti';
import { ConnectionType, ContactStateType, ContactType } from '../../shared/enums';

/** The ringtone part of `initCCP`'s `softphone` / `chat` options. */
export interface RingtoneChannelOptions {
  disableRingtone?: boolean;
  ringtoneUrl?: string;
}

export interface RingtoneOptions {
  softphone?: RingtoneChannelOptions;
  chat?: RingtoneChannelOptions;
}

/** A contact that should ring now, and with what (`url` undefined: the built-in ringtone). */
export interface Ring {
  contactId: string;
  contactType: string;
  url: string | undefined;
}

function isSoftphoneCall(c: Contact): boolean {
  return c.connections.some((conn) => !!conn.softphoneMediaInfo);
}

function isInbound(c: Contact): boolean {
  return c.connections.find((conn) => conn.initial)?.type === ConnectionType.INBOUND;
}

/** Voice rings while connecting (and, defensively, incoming: the guide says voice skips that state). */
const VOICE_RINGING: ReadonlySet<string> = new Set([ContactStateType.CONNECTING, ContactStateType.INCOMING]);

/** The ring a contact calls for under `options`, or null. */
export function ringFor(c: Contact, options: RingtoneOptions): Ring | null {
  const state = c.state.type;
  const voice = options.softphone ?? {};
  const chat = options.chat;
  const ring = (url: string | undefined): Ring => ({ contactId: c.contactId, contactType: c.type, url: url || undefined });
  switch (c.type) {
    case ContactType.VOICE:
      return !voice.disableRingtone && VOICE_RINGING.has(state) && isInbound(c) && isSoftphoneCall(c) ? ring(voice.ringtoneUrl) : null;
    case ContactType.QUEUE_CALLBACK:
      return !voice.disableRingtone && state === ContactStateType.INCOMING ? ring(voice.ringtoneUrl) : null;
    case ContactType.CHAT:
      // As the original: the chat ringtone exists only when configured.
      return chat?.ringtoneUrl && !chat.disableRingtone && state === ContactStateType.CONNECTING ? ring(chat.ringtoneUrl) : null;
    default:
      return null;
  }
}

/**
 * The first contact (snapshot order) that should ring and was not accepted yet, or null.
 *
 * @example
 * const ring = currentRing(state.data, { softphone: { ringtoneUrl } }, acceptedIds);
 * if (ring) player.play(ring.url ?? builtinRingtoneUrl(), ring);
 */
export function currentRing(data: AgentData | null, options: RingtoneOptions, accepted: ReadonlySet<string>): Ring | null {
  if (!data) return null;
  for (const c of data.snapshot.contacts) {
    if (accepted.has(c.contactId)) continue;
    const r = ringFor(c, options);
    if (r) return r;
  }
  return null;
}
