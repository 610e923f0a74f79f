/**
 * Connection operations: hold, resume, mute/unmute a participant, DTMF, third parties (add, toggle, conference), hang up a leg.
 */
import { validationError } from '../errors';
import {
  addThirdParty, conferenceConnections, destroyConnection, DTMF_DIGITS, holdConnection, resumeConnection, sendDigits, setParticipantMute,
  toggleActiveConnections,
} from '../sim/connections';
import { resolveEndpoint } from '../sim/endpoints';
import type { AgentRecord, ContactRecord } from '../sim/model';
import { requireString, type JsonObject } from '../validate';
import type { OpContext, OpHandler } from './context';
import { connectionIdOf, contactIdOf, endpointOf } from './inputs';

/** Longest DTMF string accepted in one call (a long conference PIN with pauses fits easily). */
const MAX_DIGITS = 128;

function target(ctx: OpContext, input: JsonObject): { agent: AgentRecord; contact: ContactRecord; connectionId: string } {
  const contactId = contactIdOf(input);
  const connectionId = connectionIdOf(input);
  const agent = ctx.agent();
  return { agent, contact: ctx.sim.contactOf(agent, contactId), connectionId };
}

const hold: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  holdConnection(ctx.sim, agent, contact, connectionId);
  return {};
};

const resume: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  resumeConnection(ctx.sim, agent, contact, connectionId);
  return {};
};

const mute: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  setParticipantMute(ctx.sim, agent, contact, connectionId, true);
  return {};
};

const unmute: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  setParticipantMute(ctx.sim, agent, contact, connectionId, false);
  return {};
};

const digits: OpHandler = (ctx, input) => {
  const value = requireString(input, 'digits', undefined, { maxLength: MAX_DIGITS });
  if (!DTMF_DIGITS.test(value)) throw validationError('digits must contain only 0-9, *, # and ,');
  const { contact, connectionId } = target(ctx, input);
  sendDigits(contact, connectionId, value);
  return {};
};

const toggle: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  toggleActiveConnections(ctx.sim, agent, contact, connectionId);
  return {};
};

const conference: OpHandler = (ctx, input) => {
  const contactId = contactIdOf(input);
  const agent = ctx.agent();
  conferenceConnections(ctx.sim, agent, ctx.sim.contactOf(agent, contactId));
  return {};
};

const addConnection: OpHandler = (ctx, input) => {
  const contactId = contactIdOf(input);
  const endpointIn = endpointOf(input);
  const agent = ctx.agent();
  const contact = ctx.sim.contactOf(agent, contactId);
  addThirdParty(ctx.sim, agent, contact, resolveEndpoint(ctx.sim, endpointIn));
  return {};
};

const destroy: OpHandler = (ctx, input) => {
  const { agent, contact, connectionId } = target(ctx, input);
  destroyConnection(ctx.sim, agent, contact, connectionId);
  return {};
};

export const connectionOperations = {
  HoldConnection: hold,
  ResumeConnection: resume,
  MuteParticipant: mute,
  UnmuteParticipant: unmute,
  SendDigits: digits,
  ToggleActiveConnections: toggle,
  ConferenceConnections: conference,
  CreateAdditionalConnection: addConnection,
  DestroyConnection: destroy,
} satisfies Record<string, OpHandler>;
