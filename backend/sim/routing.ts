/**
 * Routing: which agent gets an inbound contact. An agent is eligible when it is routable (a routable state it chose,
 * not after-call work or an error state) and has a free slot on the contact's channel (VOICE 1, CHAT 3, TASK 10;
 * uncleared contacts count). Every seeded agent shares the one routing profile, which serves every seeded queue, so
 * through a queue the eligible agent idle the longest wins. There is no waiting line:
 * a contact nobody can take is refused, so a caller (test, demo) learns it at once.
 */
import type { Endpoint } from '../../shared/cti';
import { ChannelType, ContactInitiationMethod, ContactType, EndpointType } from '../../shared/enums';
import { isRoutable } from './agents';
import { addInboundContact, type InboundSpec } from './contacts';
import type { AgentRecord, ContactRecord } from './model';
import { DEFAULT_QUEUE, findQueue } from './seed';
import type { Simulation } from './simulation';

export function channelOf(contactType: string): string {
  if (contactType === ContactType.CHAT) return ChannelType.CHAT;
  if (contactType === ContactType.TASK) return ChannelType.TASK;
  return ChannelType.VOICE;
}

export function hasCapacity(agent: AgentRecord, contactType: string): boolean {
  const channel = channelOf(contactType);
  const limit = agent.configuration.routingProfile.channelConcurrencyMap?.[channel] ?? 0;
  const used = agent.contacts.filter((c) => channelOf(c.type) === channel).length;
  return used < limit;
}

/** What to route: an inbound contact's own fields, plus who may take it. */
export interface RouteRequest extends Omit<InboundSpec, 'queue'> {
  username?: string;
  /** Queue name or ARN; BasicQueue when absent. */
  queue?: string;
  /** Never route to this agent (the one transferring away). */
  exclude?: string;
}

export type RouteResult =
  | { ok: true; agent: AgentRecord; contact: ContactRecord }
  | { ok: false; reason: 'unknown-agent' | 'unknown-queue' | 'no-agent'; message: string };

function whyNotEligible(agent: AgentRecord, type: string): string | undefined {
  if (!isRoutable(agent)) return `${agent.username} is not routable (state ${agent.state.name})`;
  if (!hasCapacity(agent, type)) return `${agent.username} has no free ${channelOf(type)} slot`;
  return undefined;
}

function longestIdle(candidates: AgentRecord[]): AgentRecord | undefined {
  let best: AgentRecord | undefined;
  for (const agent of candidates) if (!best || agent.state.startMs < best.state.startMs) best = agent;
  return best;
}

/** Routes an inbound contact to `request.username`, or through the queue to an eligible agent. */
export function routeInbound(sim: Simulation, request: RouteRequest): RouteResult {
  const queue = request.queue === undefined ? DEFAULT_QUEUE : findQueue(request.queue);
  if (!queue) return { ok: false, reason: 'unknown-queue', message: `no queue "${request.queue}"` };
  let agent: AgentRecord | undefined;
  if (request.username !== undefined) {
    agent = sim.agent(request.username);
    if (!agent) return { ok: false, reason: 'unknown-agent', message: `no agent "${request.username}"` };
    const why = whyNotEligible(agent, request.type);
    if (why) return { ok: false, reason: 'no-agent', message: why };
  } else {
    const eligible = [...sim.agents.values()].filter((a) => a.username !== request.exclude
      && whyNotEligible(a, request.type) === undefined);
    agent = longestIdle(eligible);
    if (!agent) return { ok: false, reason: 'no-agent', message: `no agent available for ${request.type} in ${queue.name}` };
  }
  const spec: InboundSpec = { type: request.type, queue };
  const optional = ['from', 'attributes', 'initiationMethod', 'initialContactId', 'name', 'description',
    'references'] as const;
  for (const key of optional) if (request[key] !== undefined) (spec as unknown as Record<string, unknown>)[key] = request[key];
  return { ok: true, agent, contact: addInboundContact(sim, agent, spec) };
}

/**
 * After an agent hands a contact over to a quick connect, the receiving agent (agent endpoint) or an eligible agent
 * of the queue (queue endpoint) gets it as a new ringing contact. Returns the receiver, or undefined when the
 * destination is external or nobody could take it.
 */
export function deliverTransfer(sim: Simulation, from: AgentRecord, contact: ContactRecord, endpoint: Endpoint):
  string | undefined {
  const customer = contact.connections.find((c) => c.initial)?.endpoint?.phoneNumber;
  const common = {
    type: contact.type,
    attributes: { ...contact.attributes },
    initialContactId: contact.initialContactId ?? contact.contactId,
    exclude: from.username,
    ...(customer ? { from: customer } : {}),
  };
  let result: RouteResult | undefined;
  if (endpoint.type === EndpointType.AGENT && endpoint.agentLogin && endpoint.agentLogin !== from.username) {
    result = routeInbound(sim, { ...common, username: endpoint.agentLogin, queue: contact.queue?.queueARN,
      initiationMethod: ContactInitiationMethod.TRANSFER });
  } else if (endpoint.type === EndpointType.QUEUE && endpoint.queue?.queueARN) {
    result = routeInbound(sim, { ...common, queue: endpoint.queue.queueARN,
      initiationMethod: ContactInitiationMethod.QUEUE_TRANSFER });
  }
  return result?.ok ? result.agent.username : undefined;
}
