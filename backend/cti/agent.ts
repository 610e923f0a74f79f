/**
 * Agent operations: GetAgentSnapshot (the long poll) and PutAgentState.
 */
import type { CtiOutput } from '../../shared/cti';
import { invalidState, unauthorized, validationError } from '../errors';
import { chooseState } from '../sim/agents';
import type { AgentRecord } from '../sim/model';
import { findAgentState } from '../sim/seed';
import { optionalBoolean, optionalNumber, type JsonObject } from '../validate';
import type { OpContext, OpHandler } from './context';
import { stateRefOf } from './inputs';

/**
 * Longest hold of a long poll: the worker asks for 30 s (GET_AGENT_TIMEOUT_MS); holding longer would only risk
 * proxies' idle timeouts cutting the request.
 */
export const MAX_LONG_POLL_MS = 30_000;

function answer(ctx: OpContext, agent: AgentRecord): CtiOutput<'GetAgentSnapshot'> {
  return { snapshot: ctx.sim.snapshot(agent), nextToken: String(agent.version) };
}

/** The hold time a request asks for (`timeout`, ms), capped at {@link MAX_LONG_POLL_MS}; the cap when absent. */
export function longPollTimeoutOf(input: JsonObject): number {
  const asked = optionalNumber(input, 'timeout', undefined, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  return Math.min(asked ?? MAX_LONG_POLL_MS, MAX_LONG_POLL_MS);
}

/**
 * Answers at once when the agent's version differs from `nextToken` (or there is none); otherwise holds the
 * request until the agent changes or `timeout` ms pass, then answers with the snapshot as it is.
 */
const getAgentSnapshot: OpHandler = async (ctx, input) => {
  const raw = input.nextToken;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw validationError('nextToken must be a string');
  const timeout = longPollTimeoutOf(input);
  const agent = ctx.agent();
  if (typeof raw !== 'string' || raw !== String(agent.version) || timeout === 0) return answer(ctx, agent);
  ctx.stats.longPollStarted(ctx.username);
  try {
    await ctx.sim.watchers.waitForChange(ctx.username, timeout, ctx.signal);
  } finally {
    ctx.stats.longPollEnded(ctx.username);
  }
  if (!ctx.stillAuthorized()) throw unauthorized('auth token expired or was revoked during the long poll');
  return answer(ctx, ctx.agent());
};

/** A chosen state applies now, or becomes `nextState` while the agent has contacts (whatever `enqueueNextState`). */
const putAgentState: OpHandler = (ctx, input: JsonObject) => {
  const ref = stateRefOf(input);
  optionalBoolean(input, 'enqueueNextState');
  const def = findAgentState(ref);
  if (!def) {
    throw invalidState(`state ${ref.agentStateARN ?? ref.name} is not an agent state of this instance`);
  }
  const agent = ctx.agent();
  chooseState(agent, def, ctx.sim.now());
  ctx.sim.changed(agent);
  return {};
};

export const agentOperations = {
  GetAgentSnapshot: getAgentSnapshot,
  PutAgentState: putAgentState,
} satisfies Record<string, OpHandler>;
