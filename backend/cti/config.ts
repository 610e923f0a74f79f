/**
 * Configuration operations: the agent's configuration (read and update) and the paginated lists the engine
 * assembles into it (permissions, agent states, dialable countries, routing-profile queues, quick connects).
 */
import { invalidConfiguration, notFound } from '../errors';
import { findQueue, AGENT_STATES, DIALABLE_COUNTRIES, PERMISSIONS, QUEUES } from '../sim/seed';
import {
  E164, optionalStringMap, optionalString, requireBoolean, requireObject, requireString, requireStringArray,
  type JsonObject,
} from '../validate';
import type { OpHandler } from './context';
import { paginate } from './pagination';

const getAgentConfiguration: OpHandler = (ctx) => ({ configuration: structuredClone(ctx.agent().configuration) });

interface ConfigurationUpdate {
  softphoneEnabled: boolean;
  softphoneAutoAccept: boolean;
  extension: string;
  agentPreferences?: Record<string, string>;
}

/** Checks the S1h shape and the rules of the guide (desk phone numbers in E.164; a desk phone needs a number). */
function configurationUpdateOf(input: JsonObject, currentProfileArn: string | undefined): ConfigurationUpdate {
  const raw = requireObject(input, 'configuration');
  requireString(raw, 'name', 'configuration');
  const update: ConfigurationUpdate = {
    softphoneEnabled: requireBoolean(raw, 'softphoneEnabled', 'configuration'),
    softphoneAutoAccept: requireBoolean(raw, 'softphoneAutoAccept', 'configuration'),
    extension: requireString(raw, 'extension', 'configuration', { nonEmpty: false, maxLength: 32 }),
  };
  optionalString(raw, 'username', 'configuration');
  const profile = requireObject(raw, 'routingProfile', 'configuration');
  const profileArn = optionalString(profile, 'routingProfileARN', 'configuration.routingProfile');
  const preferences = optionalStringMap(raw, 'agentPreferences', 'configuration');
  if (preferences !== undefined) update.agentPreferences = preferences;
  if (profileArn !== undefined && profileArn !== currentProfileArn) {
    throw invalidConfiguration('configuration.routingProfile.routingProfileARN: agents cannot change their routing profile');
  }
  if (update.extension !== '' && !E164.test(update.extension)) {
    throw invalidConfiguration('configuration.extension must be an E.164 phone number like +12065550100');
  }
  if (!update.softphoneEnabled && update.extension === '') {
    throw invalidConfiguration('configuration.extension is required when softphoneEnabled is false (desk phone)');
  }
  return update;
}

/** Updates what an agent may change (softphone, desk phone, preferences); name and routing profile stay. */
const updateAgentConfiguration: OpHandler = (ctx, input) => {
  const agent = ctx.agent();
  const update = configurationUpdateOf(input, agent.configuration.routingProfile.routingProfileARN);
  agent.configuration.softphoneEnabled = update.softphoneEnabled;
  agent.configuration.softphoneAutoAccept = update.softphoneAutoAccept;
  agent.configuration.extension = update.extension;
  if (update.agentPreferences) agent.configuration.agentPreferences = update.agentPreferences;
  // The snapshot's media info follows the softphone settings, so the agent's version moves too.
  ctx.sim.changed(agent);
  return {};
};

const getAgentPermissions: OpHandler = (_ctx, input) => {
  const page = paginate('permissions', PERMISSIONS, input);
  return { permissions: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

const getAgentStates: OpHandler = (_ctx, input) => {
  const page = paginate('states', AGENT_STATES, input);
  return { states: page.items.map((s) => ({ ...s })), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

const getDialableCountryCodes: OpHandler = (_ctx, input) => {
  const page = paginate('countries', DIALABLE_COUNTRIES, input);
  return { countryCodes: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

const getRoutingProfileQueues: OpHandler = (ctx, input) => {
  const arn = requireString(input, 'routingProfileARN');
  const page = paginate('queues', QUEUES, input);
  if (arn !== ctx.agent().configuration.routingProfile.routingProfileARN) {
    throw notFound(`routingProfileARN ${arn} is not the agent's routing profile`);
  }
  return { queues: page.items.map((q) => ({ ...q })), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

/** Quick connects of the given queues; every quick connect is associated with every queue of the instance. */
const getEndpoints: OpHandler = (ctx, input) => {
  const queueARNs = requireStringArray(input, 'queueARNs', undefined, 500);
  const known = queueARNs.some((arn) => findQueue(arn) !== undefined);
  const page = paginate('endpoints', known ? ctx.sim.endpoints : [], input);
  return { endpoints: page.items.map((e) => structuredClone(e)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

export const configOperations = {
  GetAgentConfiguration: getAgentConfiguration,
  UpdateAgentConfiguration: updateAgentConfiguration,
  GetAgentPermissions: getAgentPermissions,
  GetAgentStates: getAgentStates,
  GetDialableCountryCodes: getDialableCountryCodes,
  GetRoutingProfileQueues: getRoutingProfileQueues,
  GetEndpoints: getEndpoints,
} satisfies Record<string, OpHandler>;
