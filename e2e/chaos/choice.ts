/**
 * Which agent actions the backend's current state allows, and a weighted choice among them: a chaos run at a given
 * rate spends its actions on things that can happen (accept only while a contact rings, hold only while a voice
 * call is connected…) instead of asking tabs to do what they would skip.
 */
import type { AgentTruth } from '../fixtures/backend';
import type { AgentAction } from './actions';
import type { Rng } from './options';

/**
 * Relative weights of the actions when they apply. Taking calls (accept) and ending their after-call work (clear)
 * weigh most, so contacts flow; state changes are always possible and would otherwise crowd the rest out.
 */
export const ACTION_WEIGHTS: Readonly<Record<AgentAction, number>> = {
  setState: 2, accept: 5, hangup: 2, clear: 4, hold: 2, resume: 3,
};

/** Agent states a `setState` picks from: Available half the time, so the agent is routable often enough to get
 * contacts (the backend routes none to an agent in Lunch, Training or Offline). */
export const STATES = ['Available', 'Available', 'Available', 'Lunch', 'Training', 'Offline'] as const;

type Contact = AgentTruth['contacts'][number];

const RINGING = new Set(['connecting', 'incoming']);
const ENDED = new Set(['ended', 'missed', 'error']);

const agentConnection = (c: Contact): Contact['connections'][number] | undefined => c.connections.find((k) => k.type === 'agent');
/** The customer's side (the initial connection in Streams terms): the first non-agent connection. */
const customerConnection = (c: Contact): Contact['connections'][number] | undefined => c.connections.find((k) => k.type !== 'agent');

/** The actions `truth` allows now, each with its weight. setState always applies, at half its weight while a
 * contact can be acted on: otherwise state changes (always possible) would crowd out the contacts' flow. */
export function applicableActions(truth: Pick<AgentTruth, 'contacts'>): Partial<Record<AgentAction, number>> {
  const out: Partial<Record<AgentAction, number>> = { setState: ACTION_WEIGHTS.setState };
  for (const c of truth.contacts) {
    const agent = agentConnection(c);
    if (RINGING.has(c.state.type) && agent?.state.type === 'connecting') out.accept = ACTION_WEIGHTS.accept;
    if (c.state.type === 'connected' && agent && agent.state.type !== 'disconnected') out.hangup = ACTION_WEIGHTS.hangup;
    if (ENDED.has(c.state.type)) out.clear = ACTION_WEIGHTS.clear;
    if (c.type === 'voice' && c.state.type === 'connected') {
      const customer = customerConnection(c)?.state.type;
      if (customer === 'connected') out.hold = ACTION_WEIGHTS.hold;
      if (customer === 'hold') out.resume = ACTION_WEIGHTS.resume;
    }
  }
  if (Object.keys(out).length > 1) out.setState = ACTION_WEIGHTS.setState / 2;
  return out;
}

/** One action among those `truth` allows, by weight; `setState` also gets its target state. */
export function chooseAction(rng: Rng, truth: Pick<AgentTruth, 'contacts'>): { action: AgentAction; state: string } {
  const action = rng.weighted(applicableActions(truth) as Record<AgentAction, number>);
  return { action, state: rng.pick(STATES) };
}
