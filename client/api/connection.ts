/**
 * Connections: live handles on one participant leg of a contact (`contactId` + `connectionId`), reading the tab's
 * state at call time. `connect.Connection` is `VoiceConnection`; chat and task contacts have their own classes;
 * `ConnectionSnapshot` is frozen on the data it was made from.
 */
import type { Connection as CtiConnection, Contact as CtiContact, SoftphoneMediaInfo } from '../../shared/cti';
import { CONNECTION_ACTIVE_STATES, ConnectionStateType, ContactType, MediaType } from '../../shared/enums';
import { runAction, requireUpstream, type ActionCallbacks } from './action';
import { getContext } from '../tab/context';
import { Endpoint } from './endpoint';
import { ContactNotFoundError, ValidationError } from './errors';
import { deepCopy, elapsedSince, toDate } from './util';
import { toWireError } from '../../shared/errors';

/** A connection state as the API hands it out. */
export interface ConnectionState {
  type: string;
  timestamp: Date | null;
  /** Skew-corrected milliseconds in this state when read. */
  duration: number;
}

/** Who is monitoring, as the guide describes it (plus the raw fields the original runtime returned). */
export interface MonitorInfo {
  agentName: string | null;
  customerName: string | null;
  /** ISO time the monitor joined. */
  joinTime: string | null;
  agent?: { agentName?: string };
  joinTimeStamp?: Date | null;
}

/** Chat media info: what a chat client needs to join as this participant. */
export interface ChatMediaInfo {
  contactId: string;
  initialContactId: string;
  participantId: string;
  participantToken: string | null;
  getConnectionToken: () => Promise<unknown>;
  originalInfo: CtiConnection['chatMediaInfo'];
}

/** The error of a media call on a connection without media. */
export const NO_MEDIA_ERROR = 'MediaNotAvailableError';

/** Reads a live contact or throws `ContactNotFoundError`. */
export function liveContactData(contactId: string): CtiContact {
  const c = getContext().state.contact(contactId);
  if (!c) throw new ContactNotFoundError(`Contact ${contactId} no longer exists`);
  return c;
}

function participantTokenOf(connectionData: string | undefined): string | null {
  if (!connectionData) return null;
  try {
    const token = (JSON.parse(connectionData) as { ConnectionAuthenticationToken?: unknown }).ConnectionAuthenticationToken;
    return typeof token === 'string' ? token : null;
  } catch {
    return null;
  }
}

/** Asks the engine for a chat participant token (`createTransport chat_token`). */
export function requestChatToken(contact: CtiContact, participantId: string): Promise<unknown> {
  try {
    return requireUpstream().request('createTransport', {
      transportType: 'chat_token', participantId, contactId: contact.initialContactId || contact.contactId,
    }).catch((e: unknown) => { throw toWireError(e); });
  } catch (e) {
    return Promise.reject(toWireError(e));
  }
}

/**
 * What every connection can do. Getters throw `ContactNotFoundError` once the contact or the connection is gone;
 * actions then call `failure` with `{type: 'ContactNotFoundError', message}`.
 *
 * @example
 * const conn = contact.getInitialConnection();
 * if (conn && conn.isActive()) conn.hold({ failure: (e) => console.log(e.type) });
 */
export class BaseConnection {
  constructor(protected readonly contactId: string, protected readonly connectionId: string) {}

  /** The contact's data (live: the tab's state; snapshots override). */
  protected contactData(): CtiContact {
    return liveContactData(this.contactId);
  }

  protected skewMs(): number {
    return getContext().state.skew;
  }

  protected connectionData(): CtiConnection {
    const conn = this.contactData().connections.find((c) => c.connectionId === this.connectionId);
    if (!conn) throw new ContactNotFoundError(`Connection ${this.connectionId} of contact ${this.contactId} no longer exists`);
    return conn;
  }

  getContactId(): string { return this.contactId; }
  getConnectionId(): string { return this.connectionId; }

  getEndpoint(): Endpoint { return new Endpoint(deepCopy(this.connectionData().endpoint) ?? {}); }
  getAddress(): Endpoint { return this.getEndpoint(); }

  getState(): ConnectionState {
    const s = this.connectionData().state;
    return { type: s.type, timestamp: toDate(s.timestamp), duration: elapsedSince(s.timestamp, this.skewMs()) };
  }
  getStatus(): ConnectionState { return this.getState(); }

  /** Milliseconds in the current state, corrected for the skew between this machine and the server. */
  getStateDuration(): number { return elapsedSince(this.connectionData().state.timestamp, this.skewMs()); }
  getStatusDuration(): number { return this.getStateDuration(); }

  /** `inbound`, `outbound`, `agent` or `monitoring`. */
  getType(): string { return this.connectionData().type; }
  isInitialConnection(): boolean { return this.connectionData().initial; }
  /** Connecting, connected or on hold. */
  isActive(): boolean { return CONNECTION_ACTIVE_STATES.has(this.connectionData().state.type); }
  isConnected(): boolean { return this.connectionData().state.type === ConnectionStateType.CONNECTED; }
  isConnecting(): boolean { return this.connectionData().state.type === ConnectionStateType.CONNECTING; }
  isOnHold(): boolean { return this.connectionData().state.type === ConnectionStateType.HOLD; }

  getSoftphoneMediaInfo(): SoftphoneMediaInfo | null { return deepCopy(this.connectionData().softphoneMediaInfo) ?? null; }

  /** Who monitors through this connection, or null. */
  getMonitorInfo(): MonitorInfo | null {
    const contact = this.contactData();
    const info = this.connectionData().monitoringInfo;
    if (!info) return null;
    const customer = contact.connections.find((c) => c.initial)?.endpoint;
    const joined = toDate(info.joinTimeStamp);
    return {
      agentName: info.agent?.agentName ?? null,
      customerName: customer?.name ?? customer?.phoneNumber ?? null,
      joinTime: joined ? joined.toISOString() : null,
      agent: deepCopy(info.agent),
      joinTimeStamp: joined,
    };
  }

  /** The media type of the contact: `softphone`, `chat` or `task` (the `MediaType` enum values). */
  getMediaType(): MediaType {
    const type = this.contactData().type;
    if (type === ContactType.CHAT) return MediaType.CHAT;
    if (type === ContactType.TASK) return MediaType.TASK;
    return MediaType.SOFTPHONE;
  }

  /** The media info of this connection for its contact's media type, or null. */
  getMediaInfo(): unknown {
    const contact = this.contactData();
    const conn = this.connectionData();
    switch (this.getMediaType()) {
      case MediaType.CHAT: return chatMediaInfo(contact, conn);
      case MediaType.TASK: return { contactId: contact.contactId, initialContactId: contact.initialContactId ?? contact.contactId };
      default: return deepCopy(conn.softphoneMediaInfo) ?? null;
    }
  }

  /**
   * A promise of the connection's media controller. This library bundles no chat or WebRTC session, so it
   * resolves with the media info; it rejects with `MediaNotAvailableError` when the connection has none.
   */
  getMediaController(): Promise<unknown> {
    try {
      const info = this.getMediaInfo();
      if (info === null || info === undefined) {
        return Promise.reject({ type: NO_MEDIA_ERROR, message: `Connection ${this.connectionId} has no media` });
      }
      return Promise.resolve(info);
    } catch (e) {
      return Promise.reject(toWireError(e));
    }
  }

  /** Hangs up this connection (`destroyConnection`). */
  destroy(callbacks?: ActionCallbacks): void {
    runAction({ method: 'destroyConnection', params: () => this.idParams() }, callbacks);
  }

  /** Sends DTMF digits through this connection. */
  sendDigits(digits: string, callbacks?: ActionCallbacks): void {
    runAction({
      method: 'sendDigits',
      params: () => {
        if (typeof digits !== 'string' || !/^[0-9*#A-Da-d,pPwW+]+$/.test(digits)) {
          throw new ValidationError('digits must be a non-empty string of 0-9 * # A-D , + p w');
        }
        return { ...this.idParams(), digits };
      },
    }, callbacks);
  }

  hold(callbacks?: ActionCallbacks): void {
    runAction({ method: 'holdConnection', params: () => this.idParams() }, callbacks);
  }

  resume(callbacks?: ActionCallbacks): void {
    runAction({ method: 'resumeConnection', params: () => this.idParams() }, callbacks);
  }

  /** A copy frozen on the current data. */
  toSnapshot(): ConnectionSnapshot {
    return new ConnectionSnapshot(deepCopy(this.contactData()), this.connectionId, this.skewMs());
  }

  /** `{contactId, connectionId}` of a connection that still exists (else throws `ContactNotFoundError`). */
  protected idParams(): Record<string, unknown> {
    return { contactId: this.contactId, connectionId: this.connectionData().connectionId };
  }
}

function chatMediaInfo(contact: CtiContact, conn: CtiConnection): ChatMediaInfo | null {
  if (!conn.chatMediaInfo) return null;
  return {
    contactId: contact.contactId,
    initialContactId: contact.initialContactId ?? contact.contactId,
    participantId: conn.connectionId,
    participantToken: participantTokenOf(conn.chatMediaInfo.connectionData),
    getConnectionToken: () => requestChatToken(contact, conn.connectionId),
    originalInfo: deepCopy(conn.chatMediaInfo),
  };
}

/**
 * A voice connection (`connect.Connection`).
 *
 * @example
 * contact.getAgentConnection()?.sendDigits('1#', { failure: (e) => console.log(e.message) });
 */
export class VoiceConnection extends BaseConnection {
  override getMediaType(): MediaType { return MediaType.SOFTPHONE; }
  override getMediaInfo(): SoftphoneMediaInfo | null { return this.getSoftphoneMediaInfo(); }

  /**
   * ➕ Whether this party is muted for the call (the CTI's connection `mute`, as Streams' `isMute()` reads it); every
   * tab sees the same value.
   *
   * @example
   * if (conn.isMute()) conn.unmuteParticipant({ failure: (e) => console.log(e.type) });
   */
  isMute(): boolean { return this.connectionData().mute === true; }

  /** ➕ Mutes this party (`MuteParticipant`); the agent's own leg is refused (`InvalidStateException`). */
  muteParticipant(callbacks?: ActionCallbacks): void {
    runAction({ method: 'muteParticipant', params: () => this.idParams() }, callbacks);
  }

  /** ➕ Unmutes this party (`UnmuteParticipant`). */
  unmuteParticipant(callbacks?: ActionCallbacks): void {
    runAction({ method: 'unmuteParticipant', params: () => this.idParams() }, callbacks);
  }
}

/**
 * A chat participant.
 *
 * @example
 * conn.getConnectionToken().then((t) => startChat(t)).catch((e) => console.log(e.type));
 */
export class ChatConnection extends BaseConnection {
  override getMediaType(): MediaType { return MediaType.CHAT; }
  override getMediaInfo(): ChatMediaInfo | null { return chatMediaInfo(this.contactData(), this.connectionData()); }

  /** Resolves with the `createTransport` (`chat_token`) answer for this participant. */
  getConnectionToken(): Promise<unknown> {
    try {
      return requestChatToken(this.contactData(), this.connectionData().connectionId);
    } catch (e) {
      return Promise.reject(toWireError(e));
    }
  }
}

/** A task participant. */
export class TaskConnection extends BaseConnection {
  override getMediaType(): MediaType { return MediaType.TASK; }
}

/**
 * A connection frozen on the data it was made from; actions still act on the live contact.
 *
 * @example
 * const snap = conn.toSnapshot(); log.info('conn').withObject({ state: snap.getState() });
 */
export class ConnectionSnapshot extends BaseConnection {
  constructor(private readonly frozenContact: CtiContact, connectionId: string, private readonly frozenSkew = 0) {
    super(frozenContact.contactId, connectionId);
  }

  protected override contactData(): CtiContact { return this.frozenContact; }
  protected override skewMs(): number { return this.frozenSkew; }
}

/** The live connection class for a contact type. */
export function connectionFor(contactType: string, contactId: string, connectionId: string): BaseConnection {
  if (contactType === ContactType.CHAT) return new ChatConnection(contactId, connectionId);
  if (contactType === ContactType.TASK) return new TaskConnection(contactId, connectionId);
  return new VoiceConnection(contactId, connectionId);
}
