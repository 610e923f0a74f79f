import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContactStateType } from '../../shared/enums';
import { chooseState, createAgent, isRoutable, settleAgentState } from './agents';
import type { ContactRecord } from './model';
import { AGENT_STATES } from './seed';

const lunch = AGENT_STATES.find((s) => s.name === 'Lunch')!;
const training = AGENT_STATES.find((s) => s.name === 'Training')!;

function contactIn(state: string): ContactRecord {
  return { contactId: state, type: 'voice', state: { type: state, atMs: 0 }, initiationMethod: 'inbound', attributes: {},
    connections: [], digitsSent: '', transcript: [] };
}

describe('agent state rules', () => {
  test('a choice applies when idle and waits as nextState while on a contact', () => {
    const agent = createAgent(1, 'pw', { now: () => 0 }, 1);
    assert.equal(chooseState(agent, lunch, 10), 'applied');
    assert.equal(agent.state.name, 'Lunch');
    agent.contacts.push(contactIn(ContactStateType.CONNECTED));
    assert.equal(chooseState(agent, training, 20), 'queued');
    assert.equal(agent.state.name, 'Lunch');
    assert.equal(agent.nextState?.name, 'Training');
  });

  test('ended → AfterCallWork, missed wins over it, clearing returns to the state before or to nextState', () => {
    const agent = createAgent(1, 'pw', { now: () => 0 }, 1);
    const ended = contactIn(ContactStateType.ENDED);
    const missed = contactIn(ContactStateType.MISSED);
    agent.contacts.push(ended);
    settleAgentState(agent, 1);
    assert.equal(agent.state.name, 'AfterCallWork');
    assert.equal(isRoutable(agent), false);
    agent.contacts.push(missed);
    settleAgentState(agent, 2);
    assert.equal(agent.state.name, 'MissedCallAgent');
    agent.contacts = [ended];
    settleAgentState(agent, 3);
    assert.equal(agent.state.name, 'AfterCallWork');
    agent.contacts = [];
    settleAgentState(agent, 4);
    assert.equal(agent.state.name, 'Available');
    assert.equal(isRoutable(agent), true);

    agent.contacts = [ended];
    chooseState(agent, training, 5);
    settleAgentState(agent, 5);
    agent.contacts = [];
    settleAgentState(agent, 6);
    assert.equal(agent.state.name, 'Training');
    assert.equal(agent.nextState, undefined);
  });
});
