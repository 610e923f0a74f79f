/**
 * Records → the wire snapshot of GetAgentSnapshot (§3.4): epoch-second timestamps, attributes as `{name, value}`,
 * media info on the agent's connection. Pure: the same records and `now` give the same snapshot.
 */
import type { AgentSnapshot, AgentState, Connection, Contact } from '../../shared/cti';
import {
  AgentAvailStates, ConnectionStateType, ConnectionType, ContactInitiationMethod, ContactStateType, ContactType,
  SoftphoneCallType,
} from '../../shared/enums';
import { toEpochSeconds } from './clock';
import type { AgentRecord, AgentStateRecord, ConnectionRecord, ContactRecord } from './model';
import { isSystemState } from './agents';

function wireState(state: AgentStateRecord): AgentState {
  const out: AgentState = { type: state.type, name: state.name, startTimestamp: toEpochSeconds(state.startMs) };
  if (state.agentStateARN !== undefined) out.agentStateARN = state.agentStateARN;
  return out;
}

function mediaInfo(agent: AgentRecord, contact: ContactRecord, connection: ConnectionRecord): Partial<Connection> {
  if (connection.type !== ConnectionType.AGENT) return {};
  if (contact.type === ContactType.CHAT) {
    return {
      chatMediaInfo: {
        chatAutoAccept: false,
        connectionData: JSON.stringify({ ConnectionAuthenticationToken: `chat-${connection.connectionId}` }),
        customerName: contact.attributes.customerName,
      },
    };
  }
  if ((contact.type === ContactType.VOICE || contact.type === ContactType.QUEUE_CALLBACK)
    && agent.configuration.softphoneEnabled) {
    return {
      softphoneMediaInfo: {
        callType: SoftphoneCallType.AUDIO_ONLY,
        autoAccept: agent.configuration.softphoneAutoAccept,
        mediaLegContextToken: `leg-${connection.connectionId}`,
        callContextToken: `call-${contact.contactId}`,
        callConfigJson: JSON.stringify({ signalingEndpoint: 'wss://signalling.invalid/softphone', iceServers: [] }),
      },
    };
  }
  return {};
}

function wireConnection(agent: AgentRecord, contact: ContactRecord, connection: ConnectionRecord): Connection {
  const out: Connection = {
    connectionId: connection.connectionId,
    state: { type: connection.state.type, timestamp: toEpochSeconds(connection.state.atMs) },
    type: connection.type,
    initial: connection.initial,
    ...mediaInfo(agent, contact, connection),
  };
  if (connection.endpoint) out.endpoint = structuredClone(connection.endpoint);
  if (connection.type !== ConnectionType.AGENT) out.mute = connection.mute ?? false;
  return out;
}

function wireContact(agent: AgentRecord, contact: ContactRecord): Contact {
  const attributes: Contact['attributes'] = {};
  for (const [name, value] of Object.entries(contact.attributes)) attributes[name] = { name, value };
  const out: Contact = {
    contactId: contact.contactId,
    initialContactId: contact.initialContactId ?? contact.contactId,
    contactFeatures: { attachmentsEnabled: false },
    type: contact.type,
    state: { type: contact.state.type, timestamp: toEpochSeconds(contact.state.atMs) },
    connections: contact.connections.map((c) => wireConnection(agent, contact, c)),
    attributes,
    initiationMethod: contact.initiationMethod,
  };
  if (contact.queue) out.queue = { ...contact.queue };
  if (contact.queueMs !== undefined) out.queueTimestamp = toEpochSeconds(contact.queueMs);
  if (contact.name !== undefined) out.name = contact.name;
  if (contact.description !== undefined) out.description = contact.description;
  if (contact.references !== undefined) out.references = structuredClone(contact.references);
  return out;
}

const ACTIVE_CONTACT: ReadonlySet<string> = new Set([ContactStateType.INCOMING, ContactStateType.PENDING,
  ContactStateType.CONNECTING, ContactStateType.CONNECTED]);

/** What the agent is doing, in the guide's AgentAvailStates vocabulary, or its state's name when idle. */
function availability(agent: AgentRecord): { state: string; timeStamp: number } {
  const agentLeg = (c: ContactRecord): ConnectionRecord | undefined =>
    c.connections.find((conn) => conn.type === ConnectionType.AGENT);
  const active = agent.contacts.filter((c) => ACTIVE_CONTACT.has(c.state.type));
  const busy = active.find((c) => agentLeg(c)?.state.type === ConnectionStateType.CONNECTED
    && c.state.type === ContactStateType.CONNECTED);
  if (busy) return { state: AgentAvailStates.BUSY, timeStamp: toEpochSeconds(busy.state.atMs) };
  const dialing = active.find((c) => c.initiationMethod === ContactInitiationMethod.OUTBOUND);
  if (dialing) return { state: AgentAvailStates.CALLING_CUSTOMER, timeStamp: toEpochSeconds(dialing.state.atMs) };
  const ringing = active[0];
  if (ringing) return { state: AgentAvailStates.PENDING_BUSY, timeStamp: toEpochSeconds(ringing.state.atMs) };
  if (isSystemState(agent.state) && agent.state.name === AgentAvailStates.AFTER_CALL_WORK) {
    return { state: AgentAvailStates.AFTER_CALL_WORK, timeStamp: toEpochSeconds(agent.state.startMs) };
  }
  return { state: agent.state.name, timeStamp: toEpochSeconds(agent.state.startMs) };
}

export function snapshotOf(agent: AgentRecord, now: number): AgentSnapshot {
  const snapshot: AgentSnapshot = {
    state: wireState(agent.state),
    agentAvailabilityState: availability(agent),
    contacts: agent.contacts.map((c) => wireContact(agent, c)),
    snapshotTimestamp: toEpochSeconds(now),
  };
  if (agent.nextState) snapshot.nextState = wireState(agent.nextState);
  return snapshot;
}
