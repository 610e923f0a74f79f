/**
 * Contact operations: accept, reject, clear, complete, outbound calls and tasks.
 */
import { ContactType, EndpointType } from '../../shared/enums';
import { badEndpoint, invalidState, validationError } from '../errors';
import { acceptContact, clearContact, dialOut, rejectContact } from '../sim/contacts';
import { resolveEndpoint } from '../sim/endpoints';
import { routeInbound } from '../sim/routing';
import { DEFAULT_QUEUE, findQueue } from '../sim/seed';
import { isObject, optionalObject, optionalString, requireString, type JsonObject } from '../validate';
import type { OpHandler } from './context';
import { contactIdOf, endpointOf } from './inputs';

const accept: OpHandler = (ctx, input) => {
  const contactId = contactIdOf(input);
  const agent = ctx.agent();
  acceptContact(ctx.sim, agent, ctx.sim.contactOf(agent, contactId));
  return {};
};

const reject: OpHandler = (ctx, input) => {
  const contactId = contactIdOf(input);
  const agent = ctx.agent();
  rejectContact(ctx.sim, agent, ctx.sim.contactOf(agent, contactId));
  return {};
};

/** ClearContact and CompleteContact: both close an ended or missed contact. */
const clear: OpHandler = (ctx, input) => {
  const contactId = contactIdOf(input);
  const agent = ctx.agent();
  clearContact(ctx.sim, agent, ctx.sim.contactOf(agent, contactId));
  return {};
};

const createOutboundContact: OpHandler = (ctx, input) => {
  const endpointIn = endpointOf(input);
  const queueARN = optionalString(input, 'queueARN');
  const endpoint = resolveEndpoint(ctx.sim, endpointIn);
  if (endpoint.type !== EndpointType.PHONE_NUMBER) throw badEndpoint(`only phone numbers can be dialled, not ${endpoint.type} endpoints`);
  const agent = ctx.agent();
  const queue = queueARN === undefined
    ? agent.configuration.routingProfile.defaultOutboundQueue ?? DEFAULT_QUEUE
    : findQueue(queueARN);
  if (!queue) throw validationError(`queueARN ${queueARN} is not a queue of this instance`);
  dialOut(ctx.sim, agent, endpoint, queue);
  return {};
};

function referencesOf(input: JsonObject): Record<string, { value: string; type: string }> | undefined {
  const raw = optionalObject(input, 'references');
  if (!raw) return undefined;
  const out: Record<string, { value: string; type: string }> = {};
  for (const [name, ref] of Object.entries(raw)) {
    if (!isObject(ref)) throw validationError(`references.${name} must be an object`);
    out[name] = { value: requireString(ref, 'value', `references.${name}`, { nonEmpty: false }),
      type: requireString(ref, 'type', `references.${name}`) };
  }
  return out;
}

/** A task for an agent (agent endpoint) or a queue (queue endpoint); rings like any inbound contact. */
const createTaskContact: OpHandler = (ctx, input) => {
  const endpoint = resolveEndpoint(ctx.sim, endpointOf(input));
  const name = requireString(input, 'name', undefined, { maxLength: 512 });
  const description = optionalString(input, 'description', undefined, { nonEmpty: false });
  const previousContactId = optionalString(input, 'previousContactId');
  optionalString(input, 'idempotencyToken');
  const references = referencesOf(input);
  if (endpoint.type === EndpointType.PHONE_NUMBER) throw badEndpoint('a task goes to an agent or a queue, not a phone number');
  const routed = routeInbound(ctx.sim, {
    type: ContactType.TASK,
    ...(endpoint.type === EndpointType.AGENT ? { username: endpoint.agentLogin } : { queue: endpoint.queue?.queueARN }),
    name,
    ...(description !== undefined ? { description } : {}),
    ...(references !== undefined ? { references } : {}),
    ...(previousContactId !== undefined ? { initialContactId: previousContactId } : {}),
  });
  if (!routed.ok) throw invalidState(routed.message);
  return { contactId: routed.contact.contactId };
};

export const contactOperations = {
  AcceptContact: accept,
  RejectContact: reject,
  ClearContact: clear,
  CompleteContact: clear,
  CreateOutboundContact: createOutboundContact,
  CreateTaskContact: createTaskContact,
} satisfies Record<string, OpHandler>;
