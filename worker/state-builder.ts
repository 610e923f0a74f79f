/**
 * Builds the `AgentData` tabs see from the raw snapshot and configuration, as the original worker shaped it:
 * contacts sorted by `state.timestamp` (oldest first, stable), `queueId` aliases of `queueARN` on contact queues and
 * routing-profile queues, `routingProfileId` alias of `routingProfileARN`. Pure (outputs are shared, never mutated);
 * inputs are not mutated.
 */
import type { AgentConfiguration, AgentData, AgentSnapshot, Contact, Queue, RoutingProfile } from '../shared/cti';

function withQueueId(q: Queue): Queue {
  return q.queueARN === undefined ? q : { ...q, queueId: q.queueARN };
}

function normaliseContact(c: Contact): Contact {
  return c.queue ? { ...c, queue: withQueueId(c.queue) } : c;
}

export function normaliseSnapshot(s: AgentSnapshot): AgentSnapshot {
  const contacts = s.contacts.map(normaliseContact);
  contacts.sort((a, b) => (a.state?.timestamp ?? 0) - (b.state?.timestamp ?? 0));
  return { ...s, contacts };
}

function normaliseRoutingProfile(rp: RoutingProfile): RoutingProfile {
  const out: RoutingProfile = { ...rp };
  if (rp.routingProfileARN !== undefined) out.routingProfileId = rp.routingProfileARN;
  if (rp.defaultOutboundQueue) out.defaultOutboundQueue = withQueueId(rp.defaultOutboundQueue);
  if (rp.queues) out.queues = rp.queues.map(withQueueId);
  return out;
}

/** The last configuration normalised: the engine rebuilds the agent data on every poll answer with the same
 * configuration object (it changes only when a configuration round brings a new one), and handing back the same
 * result lets the publisher's comparison stop at identity instead of walking the whole configuration. */
let lastConfiguration: { input: AgentConfiguration; output: AgentConfiguration } | undefined;

export function normaliseConfiguration(c: AgentConfiguration): AgentConfiguration {
  if (lastConfiguration?.input === c) return lastConfiguration.output;
  const output = { ...c, routingProfile: normaliseRoutingProfile(c.routingProfile ?? {}) };
  lastConfiguration = { input: c, output };
  return output;
}

/**
 * @example
 * const data = buildAgentData(snapshot, configuration); // contacts sorted, aliases added
 */
export function buildAgentData(snapshot: AgentSnapshot, configuration: AgentConfiguration): AgentData {
  return { snapshot: normaliseSnapshot(snapshot), configuration: normaliseConfiguration(configuration) };
}
