/**
 * The public pieces of the `connect` namespace that live over the tab's context: enums, API classes, the root
 * subscriptions (`connect.agent`, `connect.contact`), master helpers, the logger, and the `connect.core` members that
 * need nothing but the context. `client/index.ts` spreads `connectApi` into `connect` and `coreApi` into
 * `connect.core`. Importing this module installs the API payloads of raised events.
 */
import type { Connection as CtiConnection, Contact as CtiContact, AgentData } from '../../shared/cti';
import {
  AgentAvailStates, AgentErrorStates, AgentEvents, AgentStateType, ChannelType, ConfigurationEvents, CONNECTION_ACTIVE_STATES,
  ConnectionEvents, ConnectionStateType, ConnectionType, CONTACT_ACTIVE_STATES, ContactEvents, ContactInitiationMethod,
  ContactStateType, ContactType, CTIExceptions, EndpointType, EventType, LogComponent, LoginPopupEvents, LogLevel, MasterTopics,
  MediaType, RingtoneEvents, SoftphoneCallType, SoftphoneErrorTypes,
} from '../../shared/enums';
import { contactEventName } from '../../shared/events';
import { ErrorType, MasterMethod, wireError, type MasterResult, type WireError } from '../../shared/protocol';
import { callSafely } from './action';
import { Agent, AgentSnapshot, type AgentCallback } from './agent';
import { BaseConnection, ChatConnection, ConnectionSnapshot, TaskConnection, VoiceConnection } from './connection';
import { Contact, ContactSnapshot, type ContactCallback } from './contact';
import { getContext, setEventPayloads } from '../tab/context';
import { Address, Endpoint } from './endpoint';
import { EventBus, registerPayloadRehydrator, Subscription, type EventCallback } from './event-bus';
import { BaseError, ContactNotFoundError, SoftphoneError, StateError, ValidationError, ValueError } from './errors';
import { getLog, LogEntry, Logger } from './log';
import { deepCopy, hitch, isFunction, makeEnum, makeNamespacedEnum } from './util';
import { toWireError } from '../../shared/errors';

/** Makes raised events carry API objects, and cross-tab event data come back as them. */
export function installApiPayloads(): void {
  setEventPayloads({
    agent: () => new Agent(),
    stateChange: (c) => ({ agent: new Agent(), oldState: c.oldState, newState: c.newState }),
    contact: (contactId, last) => (getContext().state.contact(contactId) || !last
      ? new Contact(contactId)
      : new ContactSnapshot(deepCopy(last), getContext().state.skew)),
    destroyedContact: (last) => new ContactSnapshot(deepCopy(last), getContext().state.skew),
  });
  registerPayloadRehydrator(ContactEvents.ACCEPTED, (data) => {
    if (data instanceof Contact) return data;
    const id = (data as { contactId?: unknown } | null)?.contactId;
    return typeof id === 'string' ? new Contact(id) : data;
  });
  registerPayloadRehydrator(AgentEvents.SOFTPHONE_ERROR, (data) => {
    if (data instanceof SoftphoneError || !data || typeof data !== 'object') return data;
    const d = data as { errorType?: unknown; errorMessage?: unknown; endPointUrl?: unknown };
    return typeof d.errorType === 'string'
      ? new SoftphoneError(d.errorType, String(d.errorMessage ?? ''), typeof d.endPointUrl === 'string' ? d.endPointUrl : undefined)
      : data;
  });
}
installApiPayloads();

/**
 * Calls `cb` with the agent once it is initialised — right now (synchronously) if it already is.
 *
 * @example
 * connect.agent((agent) => console.log(agent.getName()));
 */
export function agent(cb: AgentCallback): Subscription {
  const { bus, state, log } = getContext();
  const sub = bus.subscribe(AgentEvents.INIT, cb);
  if (state.initialized) {
    try {
      cb.call(sub, new Agent());
    } catch (e) {
      log.error('A connect.agent callback threw').withException(e);
    }
  }
  return sub;
}

/**
 * Calls `cb` for each contact the tab sees for the first time, starting (synchronously) with those it already knows.
 *
 * @example
 * connect.contact((contact) => contact.onConnected(() => console.log('connected', contact.getContactId())));
 */
export function contact(cb: ContactCallback): Subscription {
  const { bus, state, log } = getContext();
  const sub = bus.subscribe(ContactEvents.INIT, cb);
  for (const id of state.announcedContactIds()) {
    try {
      cb.call(sub, new Contact(id));
    } catch (e) {
      log.error('A connect.contact callback threw').withException(e);
    }
  }
  return sub;
}

type MasterCallback = (result?: MasterResult) => void;

/**
 * Runs `fTrue` if this tab is the master of `topic` (first come, first served), else `fElse`.
 *
 * @example
 * connect.ifMaster(connect.MasterTopics.RINGTONE, () => ring(), () => stayQuiet());
 */
export function ifMaster(topic: string, fTrue: MasterCallback, fElse?: MasterCallback): void {
  const { upstream, log } = getContext();
  if (!upstream) {
    queueMicrotask(() => callSafely(fElse, `ifMaster(${topic}) else`));
    return;
  }
  upstream.master(MasterMethod.CHECK, topic).then(
    (r) => callSafely(r.isMaster ? fTrue : fElse, `ifMaster(${topic})`, r),
    (e: unknown) => {
      log.warn('checkMaster %s failed', topic).withException(e);
      callSafely(fElse, `ifMaster(${topic}) else`);
    },
  );
}

/**
 * Makes this tab the master of `topic`, taking it over from another tab if needed.
 *
 * @example
 * connect.becomeMaster(connect.MasterTopics.SOFTPHONE, () => startSoftphone(), (e) => console.log(e.type));
 */
export function becomeMaster(topic: string, ok?: MasterCallback, fail?: (error: WireError) => void): void {
  const { upstream } = getContext();
  if (!upstream) {
    queueMicrotask(() => callSafely(fail, `becomeMaster(${topic}) failure`, wireError(ErrorType.NOT_CONNECTED, 'The tab is not connected to the engine')));
    return;
  }
  upstream.master(MasterMethod.BECOME, topic).then(
    (r) => (r.isMaster
      ? callSafely(ok, `becomeMaster(${topic})`, r)
      : callSafely(fail, `becomeMaster(${topic}) failure`, { type: 'MasterError', message: `Could not become master of ${topic}` })),
    (e: unknown) => callSafely(fail, `becomeMaster(${topic}) failure`, toWireError(e)),
  );
}

// ---- connect.core members that only need the context ----------------------------------------------------------------

function subscribeTo(event: string) {
  return (cb: EventCallback): Subscription => getContext().bus.subscribe(event, cb);
}

/** `<eventName>::<contactId>` for a `ContactEvents` value; throws `ValueError` for any other name. */
export function getContactEventName(eventName: string, contactId: string): string {
  if (!(Object.values(ContactEvents) as string[]).includes(eventName)) {
    throw new ValueError(`${eventName} is not a ContactEvents value`);
  }
  return contactEventName(eventName, contactId);
}

/** Read-only access to the raw state, as the original's agent data provider offered (copies). */
export interface AgentDataProvider {
  getAgentData(): AgentData | null;
  getContactData(contactId: string): CtiContact;
  getConnectionData(contactId: string, connectionId: string): CtiConnection;
}

const agentDataProvider: AgentDataProvider = {
  getAgentData: () => deepCopy(getContext().state.data),
  getContactData: (contactId) => {
    const c = getContext().state.contact(contactId);
    if (!c) throw new ContactNotFoundError(`Contact ${contactId} no longer exists`);
    return deepCopy(c);
  },
  getConnectionData: (contactId, connectionId) => {
    const conn = agentDataProvider.getContactData(contactId).connections.find((x) => x.connectionId === connectionId);
    if (!conn) throw new ContactNotFoundError(`Connection ${connectionId} of contact ${contactId} no longer exists`);
    return conn;
  },
};

/** The `connect.core` members defined here. */
export const coreApi = {
  /** `contact::view` from any tab (`viewContact`). */
  onViewContact: subscribeTo(ContactEvents.VIEW),
  /** Asks every tab (and the CRM) to show a contact. */
  viewContact(contactId: string): void {
    getContext().upstream?.broadcast(ContactEvents.VIEW, { contactId });
  },
  onAuthFail: subscribeTo(EventType.AUTH_FAIL),
  onAccessDenied: subscribeTo(EventType.ACCESS_DENIED),
  onInitialized: subscribeTo(EventType.INIT),
  onSoftphoneSessionInit: subscribeTo(ConnectionEvents.SESSION_INIT),
  onConfigure: subscribeTo(ConfigurationEvents.CONFIGURE),
  getEventBus: (): EventBus => getContext().bus,
  /** Server clock minus local clock, ms. */
  getSkew: (): number => getContext().state.skew,
  getContactEventName,
  getAgentDataProvider: (): AgentDataProvider => agentDataProvider,
};

/** The `connect.*` members defined here. */
export const connectApi = {
  // enums, exact values of the guide
  AgentStateType, AgentStatusType: AgentStateType, AgentAvailStates, AgentErrorStates, EndpointType,
  AddressType: EndpointType, ConnectionType, ConnectionStateType, ConnectionStatusType: ConnectionStateType,
  CONNECTION_ACTIVE_STATES, ContactStateType, ContactStatusType: ContactStateType, CONTACT_ACTIVE_STATES, ContactType,
  ContactInitiationMethod, ChannelType, MediaType, SoftphoneCallType, SoftphoneErrorTypes, CTIExceptions, EventType,
  MasterTopics, AgentEvents, ContactEvents, ConnectionEvents, ConfigurationEvents, LogLevel, LogComponent,
  RingtoneEvents, LoginPopupEvents,
  // API objects
  Agent, AgentSnapshot, Contact, ContactSnapshot, BaseConnection, Connection: VoiceConnection, VoiceConnection,
  ChatConnection, TaskConnection, ConnectionSnapshot, Endpoint, Address, SoftphoneError,
  // errors
  BaseError, StateError, ValueError, ValidationError, ContactNotFoundError,
  // plumbing
  EventBus, Subscription, Logger, LogEntry, hitch, isFunction, makeEnum, makeNamespacedEnum,
  agent, contact, getLog, ifMaster, becomeMaster,
};
