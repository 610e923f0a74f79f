import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentTruth } from '../fixtures/backend';
import { ACTION_WEIGHTS, applicableActions, chooseAction } from './choice';
import { Rng } from './options';

type Contact = AgentTruth['contacts'][number];
const conn = (type: string, state: string): Contact['connections'][number] => ({ connectionId: `${type}-${state}`, type, state: { type: state } });
const contact = (id: string, type: string, state: string, agent: string, customer = 'connected'): Contact => ({
  contactId: id, type, state: { type: state }, connections: [conn('agent', agent), conn('inbound', customer)],
});

describe('applicable actions', () => {
  test('with no contact only setState applies, at full weight; beside a contact action at half', () => {
    assert.deepEqual(applicableActions({ contacts: [] }), { setState: ACTION_WEIGHTS.setState });
    assert.equal(applicableActions({ contacts: [contact('a', 'chat', 'ended', 'disconnected')] }).setState, ACTION_WEIGHTS.setState / 2);
  });

  test('a ringing contact can be accepted, nothing else about it', () => {
    assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'voice', 'connecting', 'connecting')] })).sort(), ['accept', 'setState']);
    assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'chat', 'incoming', 'connecting')] })).sort(), ['accept', 'setState']);
  });

  test('a connected voice call can be hung up or held; once held, resumed and not held again', () => {
    assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'voice', 'connected', 'connected')] })).sort(), ['hangup', 'hold', 'setState']);
    assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'voice', 'connected', 'connected', 'hold')] })).sort(), ['hangup', 'resume', 'setState']);
  });

  test('a connected chat is not held', () => {
    assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'chat', 'connected', 'connected')] })).sort(), ['hangup', 'setState']);
  });

  test('ended, missed and errored contacts can be cleared', () => {
    for (const s of ['ended', 'missed', 'error']) {
      assert.deepEqual(Object.keys(applicableActions({ contacts: [contact('a', 'voice', s, 'disconnected', 'disconnected')] })).sort(), ['clear', 'setState'], s);
    }
  });

  test('several contacts: the union of what each allows', () => {
    const got = applicableActions({ contacts: [contact('a', 'chat', 'ended', 'disconnected'), contact('b', 'voice', 'connecting', 'connecting')] });
    assert.deepEqual(Object.keys(got).sort(), ['accept', 'clear', 'setState']);
  });

  test('the choice never picks what does not apply, and picks each applicable action by weight', () => {
    const rng = new Rng(1);
    const truth = { contacts: [contact('a', 'voice', 'connected', 'connected', 'hold')] };
    const counts: Record<string, number> = {};
    for (let i = 0; i < 7000; i++) {
      const { action, state } = chooseAction(rng, truth);
      counts[action] = (counts[action] ?? 0) + 1;
      assert.ok(state.length > 0);
    }
    assert.deepEqual(Object.keys(counts).sort(), ['hangup', 'resume', 'setState']);
    // setState 1 (halved beside contact actions) : hangup 2 : resume 3 of 7000 draws: 1167, 2333, 3500 give or take
    // sampling noise.
    assert.ok(Math.abs(counts.resume! - 3500) < 250, JSON.stringify(counts));
    assert.ok(Math.abs(counts.setState! - 1167) < 200, JSON.stringify(counts));
  });
});
