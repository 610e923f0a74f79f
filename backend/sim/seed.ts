/**
 * The seeded contact center: agent states, queues, the routing profile, quick-connect endpoints, dialable countries
 * and permissions. Several lists are longer than a page of two on purpose, so page-following can be tested with
 * `maxResults: 2`.
 */
import type { AgentConfigurationCore, Endpoint, Queue, RoutingProfile } from '../../shared/cti';
import { AgentStateType, ChannelType, EndpointType } from '../../shared/enums';
import { instanceArn } from './ids';

/** An agent state as the simulation stores it (no timestamp: that belongs to an agent being in it). */
export interface StateDefinition {
  agentStateARN?: string;
  type: string;
  name: string;
}

function selectable(name: string, type: AgentStateType): StateDefinition {
  return { agentStateARN: instanceArn('agent-state', name), type, name };
}

/** The states an agent may choose (GetAgentStates). */
export const AGENT_STATES: readonly StateDefinition[] = [
  selectable('Available', AgentStateType.ROUTABLE),
  selectable('Offline', AgentStateType.OFFLINE),
  selectable('Lunch', AgentStateType.NOT_ROUTABLE),
  selectable('Training', AgentStateType.NOT_ROUTABLE),
  selectable('Break', AgentStateType.NOT_ROUTABLE),
  selectable('Meeting', AgentStateType.NOT_ROUTABLE),
  selectable('Coaching', AgentStateType.NOT_ROUTABLE),
];

export const AVAILABLE_STATE = AGENT_STATES[0]!;

/** States the system puts an agent in; never chosen through PutAgentState. */
export const AFTER_CALL_WORK_STATE: StateDefinition = { type: AgentStateType.NOT_ROUTABLE, name: 'AfterCallWork' };
export const MISSED_CALL_STATE: StateDefinition = { type: AgentStateType.NOT_ROUTABLE, name: 'MissedCallAgent' };
export const SYSTEM_STATE_NAMES: ReadonlySet<string> = new Set([AFTER_CALL_WORK_STATE.name, MISSED_CALL_STATE.name]);

function queue(name: string): Queue {
  return { queueARN: instanceArn('queue', name), name };
}

export const QUEUES: readonly Queue[] = [queue('BasicQueue'), queue('Sales'), queue('Support')];
export const DEFAULT_QUEUE = QUEUES[0]!;

/** Voice one at a time, up to three chats, tasks in numbers (the hosted defaults). */
export const CHANNEL_CONCURRENCY: Readonly<Record<string, number>> = {
  [ChannelType.VOICE]: 1,
  [ChannelType.CHAT]: 3,
  [ChannelType.TASK]: 10,
};

export const ROUTING_PROFILE: Readonly<RoutingProfile> = {
  name: 'Basic Routing Profile',
  routingProfileARN: instanceArn('routing-profile', 'Basic Routing Profile'),
  defaultOutboundQueue: DEFAULT_QUEUE,
  channelConcurrencyMap: CHANNEL_CONCURRENCY,
};

export const DIALABLE_COUNTRIES: readonly string[] = ['us', 'ca', 'gb', 'de', 'fr', 'es', 'it', 'nl', 'ie', 'au', 'nz', 'mx'];

export const PERMISSIONS: readonly string[] = [
  'outboundCall', 'voiceContactAccess', 'chatContactAccess', 'taskContactAccess', 'transferCall', 'conferenceCall',
  'manualStateChange',
];

/** The seeded logins agent1…agent5 also appear as agent quick connects. */
export const SEEDED_QUICK_CONNECT_AGENTS = 5;

export function usernameOf(index: number): string {
  return `agent${index}`;
}

/** Quick connects: phone numbers, agents, queues. */
export function quickConnects(): Endpoint[] {
  const phones: Endpoint[] = [
    { endpointARN: instanceArn('transfer-destination', 'support-line'), type: EndpointType.PHONE_NUMBER,
      name: 'Support line', phoneNumber: '+18005550100' },
    { endpointARN: instanceArn('transfer-destination', 'escalations'), type: EndpointType.PHONE_NUMBER,
      name: 'Escalations desk', phoneNumber: '+442071838750' },
  ];
  const agents: Endpoint[] = [];
  for (let i = 1; i <= SEEDED_QUICK_CONNECT_AGENTS; i++) {
    const username = usernameOf(i);
    agents.push({ endpointARN: instanceArn('transfer-destination', username), type: EndpointType.AGENT,
      name: `Agent ${i}`, agentLogin: username });
  }
  const queues: Endpoint[] = QUEUES.map((q) => ({
    endpointARN: instanceArn('transfer-destination', `queue:${q.name}`), type: EndpointType.QUEUE, name: q.name,
    queue: { ...q },
  }));
  return [...phones, ...agents, ...queues];
}

export function seedConfiguration(index: number): AgentConfigurationCore {
  return {
    name: `Agent ${index}`,
    username: usernameOf(index),
    softphoneEnabled: true,
    softphoneAutoAccept: false,
    extension: '',
    routingProfile: structuredClone(ROUTING_PROFILE) as RoutingProfile,
    agentPreferences: { locale: 'en_US' },
  };
}

export function findAgentState(ref: { agentStateARN?: string; name?: string }): StateDefinition | undefined {
  if (ref.agentStateARN !== undefined) return AGENT_STATES.find((s) => s.agentStateARN === ref.agentStateARN);
  return AGENT_STATES.find((s) => s.name === ref.name);
}

export function findQueue(ref: string): Queue | undefined {
  return QUEUES.find((q) => q.queueARN === ref || q.name === ref);
}
