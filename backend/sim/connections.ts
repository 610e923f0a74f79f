/**
 * Connection operations on a live voice contact: hold/resume, DTMF, a third party (add, toggle, conference) and
 * hanging up a leg. Hanging up the agent's own leg while a third party is on the line is a transfer: the contact
 * ends for this agent (after-call work) and, for agent and queue quick connects, rings the receiving agent.
 */
import type { Endpoint } from '../../shared/cti';
import { ConnectionStateType, ConnectionType, ContactStateType } from '../../shared/enums';
import { invalidState, notFound } from '../errors';
import {
  agentConnectionOf, endContact, isLive, isVoiceChannel, newConnection, rejectContact, scheduleAnswer,
  setConnectionState,
} from './contacts';
import type { AgentRecord, ConnectionRecord, ContactRecord } from './model';
import { deliverTransfer } from './routing';
import type { Simulation } from './simulation';

/** DTMF the simulated phone network accepts (`,` is a pause). */
export const DTMF_DIGITS = /^[0-9*#,]+$/;

/** Customer plus one third party: the conference size of the simulated instance. */
const MAX_OTHER_PARTIES = 2;

export function connectionOf(contact: ContactRecord, connectionId: string): ConnectionRecord {
  const connection = contact.connections.find((c) => c.connectionId === connectionId);
  if (!connection) throw notFound(`connection ${connectionId} is not part of contact ${contact.contactId}`);
  return connection;
}

/** The legs other than the agent's that are still on the line. */
function otherParties(contact: ContactRecord): ConnectionRecord[] {
  return contact.connections.filter((c) => c.type !== ConnectionType.AGENT
    && c.state.type !== ConnectionStateType.DISCONNECTED && c.state.type !== ConnectionStateType.INIT);
}

function requireConnectedVoice(contact: ContactRecord): void {
  if (!isVoiceChannel(contact.type)) throw invalidState(`contact ${contact.contactId} is a ${contact.type} contact, not voice`);
  if (contact.state.type !== ContactStateType.CONNECTED) {
    throw invalidState(`contact ${contact.contactId} is ${contact.state.type}, not connected`);
  }
}

function requireOtherParty(contact: ContactRecord, connectionId: string): ConnectionRecord {
  const connection = connectionOf(contact, connectionId);
  if (connection.type === ConnectionType.AGENT) {
    throw invalidState(`connection ${connectionId} is the agent's own; hold and resume apply to the other parties`);
  }
  return connection;
}

export function holdConnection(sim: Simulation, agent: AgentRecord, contact: ContactRecord, connectionId: string): void {
  requireConnectedVoice(contact);
  const connection = requireOtherParty(contact, connectionId);
  if (connection.state.type !== ConnectionStateType.CONNECTED) {
    throw invalidState(`connection ${connectionId} is ${connection.state.type}, not connected`);
  }
  setConnectionState(connection, ConnectionStateType.HOLD, sim.now());
  sim.changed(agent);
}

export function resumeConnection(sim: Simulation, agent: AgentRecord, contact: ContactRecord, connectionId: string): void {
  requireConnectedVoice(contact);
  const connection = requireOtherParty(contact, connectionId);
  if (connection.state.type !== ConnectionStateType.HOLD) {
    throw invalidState(`connection ${connectionId} is ${connection.state.type}, not on hold`);
  }
  setConnectionState(connection, ConnectionStateType.CONNECTED, sim.now());
  sim.changed(agent);
}

/**
 * MuteParticipant / UnmuteParticipant: sets or clears a live party's `mute`. Setting the value it already has is a
 * no-op (mute is a state, not a toggle), so a retried call after a lost answer does no harm.
 */
export function setParticipantMute(
  sim: Simulation, agent: AgentRecord, contact: ContactRecord, connectionId: string, mute: boolean,
): void {
  requireConnectedVoice(contact);
  const connection = connectionOf(contact, connectionId);
  if (connection.type === ConnectionType.AGENT) {
    throw invalidState(`connection ${connectionId} is the agent's own; mute applies to the other parties`);
  }
  if (connection.state.type !== ConnectionStateType.CONNECTED && connection.state.type !== ConnectionStateType.HOLD) {
    throw invalidState(`connection ${connectionId} is ${connection.state.type}, not live`);
  }
  if ((connection.mute ?? false) === mute) return;
  connection.mute = mute;
  sim.changed(agent);
}

/** DTMF changes nothing on the snapshot; the digits are kept for the control API's view. */
export function sendDigits(contact: ContactRecord, connectionId: string, digits: string): void {
  requireConnectedVoice(contact);
  const connection = connectionOf(contact, connectionId);
  if (connection.state.type !== ConnectionStateType.CONNECTED) {
    throw invalidState(`connection ${connectionId} is ${connection.state.type}, not connected`);
  }
  contact.digitsSent += digits;
}

/** CreateAdditionalConnection: the parties on the line go on hold and the new one is dialled. */
export function addThirdParty(sim: Simulation, agent: AgentRecord, contact: ContactRecord, endpoint: Endpoint): void {
  requireConnectedVoice(contact);
  const others = otherParties(contact);
  if (others.length >= MAX_OTHER_PARTIES) {
    throw invalidState(`contact ${contact.contactId} already has ${others.length} other parties`);
  }
  const now = sim.now();
  for (const c of others) if (c.state.type === ConnectionStateType.CONNECTED) setConnectionState(c, ConnectionStateType.HOLD, now);
  const leg = newConnection(ConnectionType.OUTBOUND, false, ConnectionStateType.CONNECTING, now, endpoint);
  contact.connections.push(leg);
  scheduleAnswer(sim, agent, contact, leg);
  sim.changed(agent);
}

function requireTwoAnsweredParties(contact: ContactRecord): ConnectionRecord[] {
  const others = otherParties(contact);
  if (others.length < 2) throw invalidState(`contact ${contact.contactId} has no third party`);
  if (others.some((c) => c.state.type === ConnectionStateType.CONNECTING)) {
    throw invalidState(`the third party of contact ${contact.contactId} has not answered yet`);
  }
  return others;
}

/** Swaps which parties are on hold (talk to one, then the other). */
export function toggleActiveConnections(sim: Simulation, agent: AgentRecord, contact: ContactRecord,
  connectionId: string): void {
  requireConnectedVoice(contact);
  connectionOf(contact, connectionId);
  const others = requireTwoAnsweredParties(contact);
  if (others.every((c) => c.state.type === others[0]!.state.type)) {
    throw invalidState(`every party of contact ${contact.contactId} is ${others[0]!.state.type}; nothing to toggle`);
  }
  const now = sim.now();
  for (const c of others) {
    const next = c.state.type === ConnectionStateType.HOLD ? ConnectionStateType.CONNECTED : ConnectionStateType.HOLD;
    setConnectionState(c, next, now);
  }
  sim.changed(agent);
}

/** Everyone talks together. */
export function conferenceConnections(sim: Simulation, agent: AgentRecord, contact: ContactRecord): void {
  requireConnectedVoice(contact);
  const others = requireTwoAnsweredParties(contact);
  const now = sim.now();
  for (const c of others) if (c.state.type !== ConnectionStateType.CONNECTED) setConnectionState(c, ConnectionStateType.CONNECTED, now);
  sim.changed(agent);
}

function isRinging(contact: ContactRecord, agentLeg: ConnectionRecord): boolean {
  return agentLeg.state.type === ConnectionStateType.CONNECTING
    && (contact.state.type === ContactStateType.CONNECTING || contact.state.type === ContactStateType.INCOMING);
}

/**
 * DestroyConnection. Agent's leg: declines a ringing contact, hands the contact to a third party (transfer), or
 * ends it. Another leg: that party leaves; when nobody but the agent is left, the contact ends.
 */
export function destroyConnection(sim: Simulation, agent: AgentRecord, contact: ContactRecord, connectionId: string):
  { transferredTo?: string } {
  const connection = connectionOf(contact, connectionId);
  if (!isLive(contact)) throw invalidState(`contact ${contact.contactId} is already ${contact.state.type}`);
  if (connection.state.type === ConnectionStateType.DISCONNECTED) {
    throw invalidState(`connection ${connectionId} is already disconnected`);
  }
  if (connection === agentConnectionOf(contact)) {
    if (isRinging(contact, connection)) {
      rejectContact(sim, agent, contact);
      return {};
    }
    const thirdParty = otherParties(contact).filter((c) => !c.initial).pop();
    if (thirdParty?.endpoint && contact.state.type === ContactStateType.CONNECTED) {
      contact.transferTo = thirdParty.endpoint;
      endContact(sim, agent, contact);
      const receiver = deliverTransfer(sim, agent, contact, thirdParty.endpoint);
      return receiver ? { transferredTo: receiver } : {};
    }
    endContact(sim, agent, contact);
    return {};
  }
  const remaining = otherParties(contact).filter((c) => c !== connection);
  if (remaining.length === 0) {
    endContact(sim, agent, contact);
    return {};
  }
  sim.timers.cancel(connection.dialTimer);
  contact.connections = contact.connections.filter((c) => c !== connection);
  sim.changed(agent);
  return {};
}
