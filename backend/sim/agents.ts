/**
 * Agents and their state rules:
 * - a state chosen while the agent has any contact (ringing, live, ended or missed) waits as `nextState`;
 * - an ended contact puts the agent in `AfterCallWork`, a missed one in `MissedCallAgent` (missed wins);
 * - once no ended/missed contact is left the agent returns to the state it had before (or to `nextState` when no
 *   contact at all is left).
 * `settleAgentState` applies these rules after every contact change, so no operation has to remember them.
 */
import { ContactStateType } from '../../shared/enums';
import type { Clock } from './clock';
import { instanceArn } from './ids';
import type { AgentRecord, AgentStateRecord } from './model';
import {
  AFTER_CALL_WORK_STATE, AVAILABLE_STATE, MISSED_CALL_STATE, SYSTEM_STATE_NAMES, seedConfiguration, usernameOf,
  type StateDefinition,
} from './seed';

export function createAgent(index: number, password: string, clock: Clock, version: number): AgentRecord {
  const username = usernameOf(index);
  return {
    username,
    password,
    agentARN: instanceArn('agent', username),
    // Seeded agents start Available so a demo or a test can ring them at once.
    state: { ...AVAILABLE_STATE, startMs: clock.now() },
    contacts: [],
    configuration: seedConfiguration(index),
    version,
  };
}

function stateRecord(def: StateDefinition, now: number): AgentStateRecord {
  const record: AgentStateRecord = { type: def.type, name: def.name, startMs: now };
  if (def.agentStateARN !== undefined) record.agentStateARN = def.agentStateARN;
  return record;
}

export function isSystemState(state: { name: string }): boolean {
  return SYSTEM_STATE_NAMES.has(state.name);
}

/** Routable = in a routable state the agent chose, not in after-call work or an error state. */
export function isRoutable(agent: AgentRecord): boolean {
  return agent.state.type === AVAILABLE_STATE.type && !isSystemState(agent.state);
}

/** PutAgentState: applied now when the agent has no contact, else kept as `nextState`. */
export function chooseState(agent: AgentRecord, def: StateDefinition, now: number): 'applied' | 'queued' {
  if (agent.contacts.length > 0) {
    agent.nextState = stateRecord(def, now);
    return 'queued';
  }
  agent.state = stateRecord(def, now);
  agent.nextState = undefined;
  agent.returnState = undefined;
  return 'applied';
}

function systemStateFor(agent: AgentRecord): StateDefinition | undefined {
  if (agent.contacts.some((c) => c.state.type === ContactStateType.MISSED)) return MISSED_CALL_STATE;
  if (agent.contacts.some((c) => c.state.type === ContactStateType.ENDED)) return AFTER_CALL_WORK_STATE;
  return undefined;
}

/** Puts the agent in the state its contacts call for (see the file comment). */
export function settleAgentState(agent: AgentRecord, now: number): void {
  const system = systemStateFor(agent);
  if (system) {
    if (agent.state.name !== system.name) {
      if (!isSystemState(agent.state)) agent.returnState = agent.state;
      agent.state = stateRecord(system, now);
    }
    return;
  }
  const idle = agent.contacts.length === 0;
  if (isSystemState(agent.state)) {
    const target = (idle ? agent.nextState : undefined) ?? agent.returnState ?? stateRecord(AVAILABLE_STATE, now);
    agent.state = stateRecord(target, now);
    agent.returnState = undefined;
    if (idle) agent.nextState = undefined;
    return;
  }
  if (idle && agent.nextState) {
    agent.state = stateRecord(agent.nextState, now);
    agent.nextState = undefined;
  }
}
