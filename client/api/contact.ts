/**
 * `connect.Contact`: a live handle on one of the agent's contacts (by `contactId`), reading the tab's state at call
 * time. Once the contact has left the snapshot, getters throw `ContactNotFoundError` and actions fail with it.
 * `ContactSnapshot` is frozen on the data it was made from.
 */
import type { Contact as CtiContact, Queue } from '../../shared/cti';
import { CONNECTION_ACTIVE_STATES, ConnectionStateType, ConnectionType, ContactEvents, ContactStateType, ContactType } from '../../shared/enums';
import { contactEventName } from '../../shared/events';
import { runAction, type ActionCallbacks } from './action';
import { BaseConnection, ConnectionSnapshot, connectionFor, liveContactData } from './connection';
import { getContext } from '../tab/context';
import { ValidationError } from './errors';
import { toCtiEndpoint, type EndpointParams } from './endpoint';
import type { EventCallback, Subscription } from './event-bus';
import { deepCopy, deepFreeze, elapsedSince, toDate } from './util';

export interface ContactState {
  type: string;
  timestamp: Date | null;
  /** Skew-corrected milliseconds in this state when read. */
  duration: number;
}

export type ContactCallback = (contact: Contact) => void;

const AGENT_SIDE: ReadonlySet<string> = new Set([ConnectionType.AGENT, ConnectionType.MONITORING]);

/**
 * @example
 * connect.contact((contact) => {
 *   contact.onConnecting(() => showAccept(contact));
 *   contact.onEnded(() => hideContact(contact.getContactId()));
 * });
 */
export class Contact {
  constructor(protected readonly contactId: string) {}

  /** The contact's data (live: the tab's state; snapshots override). */
  protected contactData(): CtiContact {
    return liveContactData(this.contactId);
  }

  protected skewMs(): number {
    return getContext().state.skew;
  }

  protected makeConnection(contact: CtiContact, connectionId: string): BaseConnection {
    return connectionFor(contact.type, contact.contactId, connectionId);
  }

  // ---- events (per-contact, cleaned up when the contact is destroyed) -------------------------------------------

  private on(event: ContactEvents, f: EventCallback): Subscription {
    return getContext().bus.subscribe(this.getEventName(event), f);
  }

  /** Whenever the contact's data changes. */
  onRefresh(f: ContactCallback): Subscription { return this.on(ContactEvents.REFRESH, f); }
  onIncoming(f: ContactCallback): Subscription { return this.on(ContactEvents.INCOMING, f); }
  onPending(f: ContactCallback): Subscription { return this.on(ContactEvents.PENDING, f); }
  onConnecting(f: ContactCallback): Subscription { return this.on(ContactEvents.CONNECTING, f); }
  /** When a tab's `accept()` succeeded (raised in every tab). */
  onAccepted(f: ContactCallback): Subscription { return this.on(ContactEvents.ACCEPTED, f); }
  onMissed(f: ContactCallback): Subscription { return this.on(ContactEvents.MISSED, f); }
  onConnected(f: ContactCallback): Subscription { return this.on(ContactEvents.CONNECTED, f); }
  onACW(f: ContactCallback): Subscription { return this.on(ContactEvents.ACW, f); }
  onError(f: ContactCallback): Subscription { return this.on(ContactEvents.ERROR, f); }
  /** The contact left the snapshot; the callback gets a `ContactSnapshot` of its last data. */
  onDestroy(f: (snapshot: ContactSnapshot) => void): Subscription { return this.on(ContactEvents.DESTROYED, f); }

  /**
   * Once, when the contact ends (leaves an active state) — or, if it never ended while this tab watched (it was
   * already over when the tab first saw it), when it is destroyed.
   */
  onEnded(f: (contact: Contact | ContactSnapshot) => void): Subscription {
    let called = false;
    return getContext().bus.subscribeMany(
      [this.getEventName(ContactEvents.ENDED), this.getEventName(ContactEvents.DESTROYED)],
      function (this: Subscription, data: Contact | ContactSnapshot) {
        if (called) return;
        called = true;
        f.call(this, data);
      },
    );
  }

  /** The bus name of a contact event for this contact: `<eventName>::<contactId>`. */
  getEventName(eventName: string): string {
    return contactEventName(eventName, this.contactId);
  }

  // ---- getters -----------------------------------------------------------------------------------------------------

  getContactId(): string { return this.contactId; }
  /** The contact this one was transferred from, or null. */
  getOriginalContactId(): string | null { return this.contactData().initialContactId ?? null; }
  getInitialContactId(): string | null { return this.getOriginalContactId(); }
  /** `voice`, `queue_callback`, `chat` or `task`. */
  getType(): string { return this.contactData().type; }
  getContactDuration(): string | undefined { return this.contactData().contactDuration; }

  getState(): ContactState {
    const s = this.contactData().state;
    return { type: s.type, timestamp: toDate(s.timestamp), duration: elapsedSince(s.timestamp, this.skewMs()) };
  }
  getStatus(): ContactState { return this.getState(); }

  /** Milliseconds in the current state, corrected for the skew between this machine and the server. */
  getStateDuration(): number { return elapsedSince(this.contactData().state.timestamp, this.skewMs()); }
  getStatusDuration(): number { return this.getStateDuration(); }

  getQueue(): Queue | null { return deepCopy(this.contactData().queue) ?? null; }
  getQueueTimestamp(): Date | null { return toDate(this.contactData().queueTimestamp); }

  getConnections(): BaseConnection[] {
    const c = this.contactData();
    return c.connections.map((conn) => this.makeConnection(c, conn.connectionId));
  }

  getInitialConnection(): BaseConnection | null {
    const c = this.contactData();
    const conn = c.connections.find((x) => x.initial);
    return conn ? this.makeConnection(c, conn.connectionId) : null;
  }

  /** The initial connection while it is active, else null. */
  getActiveInitialConnection(): BaseConnection | null {
    const conn = this.getInitialConnection();
    return conn && conn.isActive() ? conn : null;
  }

  /** Every connection except the initial one and the agent's own. */
  getThirdPartyConnections(): BaseConnection[] {
    const c = this.contactData();
    return c.connections.filter((x) => !x.initial && !AGENT_SIDE.has(x.type))
      .map((x) => this.makeConnection(c, x.connectionId));
  }

  getSingleActiveThirdPartyConnection(): BaseConnection | null {
    return this.getThirdPartyConnections().find((x) => x.isActive()) ?? null;
  }

  /** The agent's own connection (type `agent`, or `monitoring` for a supervisor). */
  getAgentConnection(): BaseConnection | null {
    const c = this.contactData();
    const conn = c.connections.find((x) => AGENT_SIDE.has(x.type));
    return conn ? this.makeConnection(c, conn.connectionId) : null;
  }

  getName(): string | undefined { return this.contactData().name; }
  getDescription(): string | undefined { return this.contactData().description; }
  getReferences(): CtiContact['references'] { return deepCopy(this.contactData().references); }
  getAttributes(): CtiContact['attributes'] { return deepCopy(this.contactData().attributes) ?? {}; }
  getContactFeatures(): CtiContact['contactFeatures'] { return deepCopy(this.contactData().contactFeatures); }
  getInitiationMethod(): string | undefined { return this.contactData().initiationMethod; }

  isSoftphoneCall(): boolean { return this.contactData().connections.some((x) => !!x.softphoneMediaInfo); }

  /** Tasks: not created outbound; other contacts: the initial connection is inbound. */
  isInbound(): boolean {
    const c = this.contactData();
    if (c.type === ContactType.TASK) return c.initiationMethod !== 'outbound';
    return c.connections.find((x) => x.initial)?.type === ConnectionType.INBOUND;
  }

  isConnected(): boolean { return this.contactData().state.type === ContactStateType.CONNECTED; }

  /** A copy frozen on the current data. */
  toSnapshot(): ContactSnapshot {
    return new ContactSnapshot(deepCopy(this.contactData()), this.skewMs());
  }

  // ---- actions -----------------------------------------------------------------------------------------------------

  private idParams(): Record<string, unknown> {
    return { contactId: this.contactData().contactId };
  }

  /** Accepts the contact; on success every tab raises `contact::accepted`. */
  accept(callbacks?: ActionCallbacks): void {
    const contactId = this.contactId;
    runAction({
      method: 'acceptContact',
      params: () => this.idParams(),
      after: (_data, upstream) => {
        upstream.broadcast(ContactEvents.ACCEPTED, { contactId });
        upstream.broadcast(contactEventName(ContactEvents.ACCEPTED, contactId), { contactId });
      },
    }, callbacks);
  }

  reject(callbacks?: ActionCallbacks): void {
    runAction({ method: 'rejectContact', params: () => this.idParams() }, callbacks);
  }

  /** Clears a contact in ACW, missed or error. */
  clear(callbacks?: ActionCallbacks): void {
    runAction({ method: 'clearContact', params: () => this.idParams() }, callbacks);
  }

  complete(callbacks?: ActionCallbacks): void {
    runAction({ method: 'completeContact', params: () => this.idParams() }, callbacks);
  }

  /**
   * Closes the contact for this agent, as the guide describes: the agent's connection is ended, so the customer is
   * disconnected — or stays bridged with a third party if there is one. (The original made this a no-op.)
   */
  destroy(callbacks?: ActionCallbacks): void {
    runAction({
      method: 'destroyConnection',
      params: () => {
        const c = this.contactData();
        const conn = c.connections.find((x) => AGENT_SIDE.has(x.type)) ?? c.connections.find((x) => x.initial);
        if (!conn) throw new ValidationError(`Contact ${c.contactId} has no connection to end`);
        return { contactId: c.contactId, connectionId: conn.connectionId };
      },
    }, callbacks);
  }

  notifyIssue(issueCode: string, description: string, callbacks?: ActionCallbacks): void {
    runAction({
      method: 'notifyContactIssue',
      params: () => ({ ...this.idParams(), issueCode: String(issueCode ?? ''), description: String(description ?? '') }),
    }, callbacks);
  }

  /** Adds a third-party connection to `endpoint` (transfer / conference leg). */
  addConnection(endpoint: EndpointParams, callbacks?: ActionCallbacks): void {
    runAction({
      method: 'createAdditionalConnection',
      params: () => {
        if (!endpoint || typeof endpoint !== 'object' || !endpoint.type) throw new ValidationError('endpoint.type is required');
        return { ...this.idParams(), endpoint: toCtiEndpoint(endpoint) };
      },
    }, callbacks);
  }

  /** Swaps which of the customer and the third party is on hold. */
  toggleActiveConnections(callbacks?: ActionCallbacks): void {
    runAction({
      method: 'toggleActiveConnections',
      params: () => {
        const c = this.contactData();
        const others = c.connections.filter((x) => !AGENT_SIDE.has(x.type));
        const conn = others.find((x) => x.state.type === ConnectionStateType.HOLD)
          ?? others.find((x) => CONNECTION_ACTIVE_STATES.has(x.state.type));
        if (!conn) throw new ValidationError(`Contact ${c.contactId} has no active connection to toggle`);
        return { contactId: c.contactId, connectionId: conn.connectionId };
      },
    }, callbacks);
  }

  conferenceConnections(callbacks?: ActionCallbacks): void {
    runAction({ method: 'conferenceConnections', params: () => this.idParams() }, callbacks);
  }

  sendSoftphoneMetrics(softphoneStreamStatistics: unknown[], callbacks?: ActionCallbacks): void {
    runAction({
      method: 'sendSoftphoneCallMetrics',
      params: () => ({ ...this.idParams(), softphoneStreamStatistics: Array.isArray(softphoneStreamStatistics) ? softphoneStreamStatistics : [] }),
    }, callbacks);
  }

  sendSoftphoneReport(report: Record<string, unknown>, callbacks?: ActionCallbacks): void {
    runAction({
      method: 'sendSoftphoneCallReport',
      params: () => ({ ...this.idParams(), report: report && typeof report === 'object' ? report : {} }),
    }, callbacks);
  }
}

/**
 * A contact frozen on the data it was made from (its connections are snapshots too); actions act on the live
 * contact with the same id.
 *
 * @example
 * contact.onDestroy((snap) => log.info('contact %s ended in %s', snap.getContactId(), snap.getState().type));
 */
export class ContactSnapshot extends Contact {
  private readonly frozen: CtiContact;

  constructor(contactData: CtiContact, private readonly frozenSkew = 0) {
    super(contactData.contactId);
    this.frozen = deepFreeze(contactData);
  }

  protected override contactData(): CtiContact { return this.frozen; }
  protected override skewMs(): number { return this.frozenSkew; }
  protected override makeConnection(contact: CtiContact, connectionId: string): BaseConnection {
    return new ConnectionSnapshot(contact, connectionId, this.frozenSkew);
  }
}
