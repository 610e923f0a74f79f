/**
 * The contact lifecycle on one agent's snapshot:
 *   inbound voice/chat/task: connecting ──accept──▶ connected ──end──▶ ended ──clear──▶ (gone)
 *                                 └──ring timeout──▶ missed ──clear──▶ (gone);   reject/abandon ──▶ (gone)
 *   queue callback:          incoming ──accept──▶ connecting ──customer answers──▶ connected …
 *   outbound:                connecting ──customer answers──▶ connected …
 * Every function checks everything first and only then changes records, then calls `sim.changed` once.
 */
import type { Endpoint, Queue } from '../../shared/cti';
import {
  ConnectionStateType, ConnectionType, ContactInitiationMethod, ContactStateType, ContactType, EndpointType,
} from '../../shared/enums';
import { invalidState } from '../errors';
import { E164 } from '../validate';
import { settleAgentState } from './agents';
import { newId } from './ids';
import type { AgentRecord, ConnectionRecord, ContactRecord } from './model';
import type { Simulation } from './simulation';

export interface InboundSpec {
  type: string;
  queue: Queue;
  /** Customer's phone number (E.164) or display name. */
  from?: string;
  attributes?: Record<string, string>;
  initiationMethod?: string;
  initialContactId?: string;
  name?: string;
  description?: string;
  references?: Record<string, { value: string; type: string }>;
}

/** Used when the control API does not say who is calling. */
const DEFAULT_CUSTOMER_NUMBER = '+12065550100';

export function newConnection(type: string, initial: boolean, state: string, now: number, endpoint?: Endpoint):
  ConnectionRecord {
  const connection: ConnectionRecord = { connectionId: newId(), type, initial, state: { type: state, atMs: now } };
  if (endpoint) connection.endpoint = endpoint;
  return connection;
}

export function setConnectionState(connection: ConnectionRecord, type: string, now: number): void {
  connection.state = { type, atMs: now };
}

export function setContactState(contact: ContactRecord, type: string, now: number): void {
  contact.state = { type, atMs: now };
}

export function agentConnectionOf(contact: ContactRecord): ConnectionRecord | undefined {
  return contact.connections.find((c) => c.type === ConnectionType.AGENT);
}

export function isVoiceChannel(type: string): boolean {
  return type === ContactType.VOICE || type === ContactType.QUEUE_CALLBACK;
}

function customerEndpoint(from: string | undefined): Endpoint {
  const number = from !== undefined && E164.test(from) ? from : DEFAULT_CUSTOMER_NUMBER;
  return { type: EndpointType.PHONE_NUMBER, phoneNumber: number, name: number };
}

function initialAttributes(spec: InboundSpec): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (spec.from !== undefined && !E164.test(spec.from)) attributes.customerName = spec.from;
  if (spec.from !== undefined && E164.test(spec.from)) attributes.customerNumber = spec.from;
  return { ...attributes, ...(spec.attributes ?? {}) };
}

function defaultInitiation(type: string): string {
  if (type === ContactType.QUEUE_CALLBACK) return ContactInitiationMethod.CALLBACK;
  if (type === ContactType.TASK) return ContactInitiationMethod.API;
  return ContactInitiationMethod.INBOUND;
}

function customerLegs(spec: InboundSpec, now: number): ConnectionRecord[] {
  switch (spec.type) {
    case ContactType.VOICE:
      return [newConnection(ConnectionType.INBOUND, true, ConnectionStateType.CONNECTED, now, customerEndpoint(spec.from))];
    case ContactType.CHAT:
      return [newConnection(ConnectionType.INBOUND, true, ConnectionStateType.CONNECTED, now)];
    case ContactType.QUEUE_CALLBACK:
      // The customer is dialled only once the agent accepts.
      return [newConnection(ConnectionType.OUTBOUND, true, ConnectionStateType.INIT, now, customerEndpoint(spec.from))];
    default:
      return [];
  }
}

/** Puts a ringing inbound contact on `agent` (routing has checked capacity) and starts its ring timeout. */
export function addInboundContact(sim: Simulation, agent: AgentRecord, spec: InboundSpec): ContactRecord {
  const now = sim.now();
  const ringing = spec.type === ContactType.QUEUE_CALLBACK ? ContactStateType.INCOMING : ContactStateType.CONNECTING;
  const contactId = newId();
  const contact: ContactRecord = {
    contactId,
    initialContactId: spec.initialContactId ?? contactId,
    type: spec.type,
    state: { type: ringing, atMs: now },
    queue: { ...spec.queue },
    queueMs: now,
    initiationMethod: spec.initiationMethod ?? defaultInitiation(spec.type),
    attributes: initialAttributes(spec),
    connections: [newConnection(ConnectionType.AGENT, false, ConnectionStateType.CONNECTING, now),
      ...customerLegs(spec, now)],
    digitsSent: '',
    transcript: [],
  };
  if (spec.name !== undefined) contact.name = spec.name;
  if (spec.description !== undefined) contact.description = spec.description;
  if (spec.references !== undefined) contact.references = spec.references;
  contact.ringTimer = sim.timers.after(sim.options.ringTimeoutMs, () => missContact(sim, agent, contact));
  agent.contacts.push(contact);
  sim.changed(agent);
  return contact;
}

function isRinging(contact: ContactRecord): boolean {
  const agentLeg = agentConnectionOf(contact);
  return (contact.state.type === ContactStateType.CONNECTING || contact.state.type === ContactStateType.INCOMING)
    && agentLeg?.state.type === ConnectionStateType.CONNECTING;
}

function stillOn(agent: AgentRecord, contact: ContactRecord): boolean {
  return agent.contacts.includes(contact);
}

/** Ring timeout: the contact becomes `missed` and the agent goes to MissedCallAgent until it is cleared. */
function missContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  if (!stillOn(agent, contact) || !isRinging(contact)) return;
  const now = sim.now();
  contact.ringTimer = undefined;
  setContactState(contact, ContactStateType.MISSED, now);
  for (const c of contact.connections) setConnectionState(c, ConnectionStateType.DISCONNECTED, now);
  settleAgentState(agent, now);
  sim.changed(agent);
}

/** When the far end of an outbound leg picks up: the leg, and a `connecting` contact, become connected. */
export function scheduleAnswer(sim: Simulation, agent: AgentRecord, contact: ContactRecord, leg: ConnectionRecord): void {
  leg.dialTimer = sim.timers.after(sim.options.dialDelayMs, () => {
    leg.dialTimer = undefined;
    if (!stillOn(agent, contact) || leg.state.type !== ConnectionStateType.CONNECTING) return;
    const now = sim.now();
    setConnectionState(leg, ConnectionStateType.CONNECTED, now);
    if (contact.state.type === ContactStateType.CONNECTING) setContactState(contact, ContactStateType.CONNECTED, now);
    sim.changed(agent);
  });
}

export function acceptContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  if (!isRinging(contact)) throw invalidState(`contact ${contact.contactId} is ${contact.state.type}, not ringing`);
  const now = sim.now();
  sim.timers.cancel(contact.ringTimer);
  contact.ringTimer = undefined;
  setConnectionState(agentConnectionOf(contact)!, ConnectionStateType.CONNECTED, now);
  const customer = contact.connections.find((c) => c.initial);
  if (contact.type === ContactType.QUEUE_CALLBACK && customer) {
    setContactState(contact, ContactStateType.CONNECTING, now);
    setConnectionState(customer, ConnectionStateType.CONNECTING, now);
    scheduleAnswer(sim, agent, contact, customer);
  } else {
    setContactState(contact, ContactStateType.CONNECTED, now);
  }
  sim.changed(agent);
}

/** Removes a contact from the snapshot without after-call work (rejected, or abandoned while ringing). */
function dropContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  cancelTimers(sim, contact);
  agent.contacts = agent.contacts.filter((c) => c !== contact);
  settleAgentState(agent, sim.now());
  sim.changed(agent);
}

/** The agent declines a ringing contact: it leaves the snapshot; the agent keeps its state. */
export function rejectContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  if (!isRinging(contact)) throw invalidState(`contact ${contact.contactId} is ${contact.state.type}, not ringing`);
  dropContact(sim, agent, contact);
}

function cancelTimers(sim: Simulation, contact: ContactRecord): void {
  sim.timers.cancel(contact.ringTimer);
  contact.ringTimer = undefined;
  for (const c of contact.connections) {
    sim.timers.cancel(c.dialTimer);
    c.dialTimer = undefined;
  }
}

export function isLive(contact: ContactRecord): boolean {
  return contact.state.type !== ContactStateType.ENDED && contact.state.type !== ContactStateType.MISSED
    && contact.state.type !== ContactStateType.ERROR;
}

/** The contact ends for this agent: every leg disconnected, contact `ended`, agent in after-call work. */
export function endContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  const now = sim.now();
  cancelTimers(sim, contact);
  setContactState(contact, ContactStateType.ENDED, now);
  for (const c of contact.connections) setConnectionState(c, ConnectionStateType.DISCONNECTED, now);
  settleAgentState(agent, now);
  sim.changed(agent);
}

/** ClearContact / CompleteContact: an ended or missed contact leaves the snapshot; the agent's state settles. */
export function clearContact(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  if (isLive(contact)) {
    throw invalidState(`contact ${contact.contactId} is ${contact.state.type}; only ended or missed contacts can be cleared`);
  }
  dropContact(sim, agent, contact);
}

/** The customer hangs up (control API): a ringing contact vanishes, a live one ends. */
export function customerHangsUp(sim: Simulation, agent: AgentRecord, contact: ContactRecord): 'abandoned' | 'ended' {
  if (!isLive(contact)) throw invalidState(`contact ${contact.contactId} is already ${contact.state.type}`);
  if (isRinging(contact)) {
    dropContact(sim, agent, contact);
    return 'abandoned';
  }
  endContact(sim, agent, contact);
  return 'ended';
}

/** CreateOutboundContact: the agent dials `endpoint`; the customer answers after the dial delay. */
export function dialOut(sim: Simulation, agent: AgentRecord, endpoint: Endpoint, queue: Queue): ContactRecord {
  if (agent.contacts.some((c) => isVoiceChannel(c.type))) {
    throw invalidState(`${agent.username} already has a voice contact; clear it before dialling`);
  }
  const now = sim.now();
  const customer = newConnection(ConnectionType.OUTBOUND, true, ConnectionStateType.CONNECTING, now, endpoint);
  const contactId = newId();
  const contact: ContactRecord = {
    contactId,
    initialContactId: contactId,
    type: ContactType.VOICE,
    state: { type: ContactStateType.CONNECTING, atMs: now },
    queue: { ...queue },
    queueMs: now,
    initiationMethod: ContactInitiationMethod.OUTBOUND,
    attributes: {},
    connections: [newConnection(ConnectionType.AGENT, false, ConnectionStateType.CONNECTED, now), customer],
    digitsSent: '',
    transcript: [],
  };
  agent.contacts.push(contact);
  scheduleAnswer(sim, agent, contact, customer);
  sim.changed(agent);
  return contact;
}
