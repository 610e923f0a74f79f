import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentData, Contact } from '../../shared/cti';
import { fixture } from '../../testing/client/fixtures';
import { fromStreamsLogEntry, streamsContactOrder, toDate, toStreamsAgentData, toStreamsLogEntry } from './streams-shapes';

const RP_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/0f1e2d3c-aaaa-4bbb-8ccc-123456789abc/routing-profile/rp1';

function contact(contactId: string, at: number, state = 'connected'): Contact {
  return {
    contactId, type: 'voice', state: { type: state, timestamp: at }, queue: { queueARN: 'q1', name: 'Q' }, queueTimestamp: at - 1,
    attributes: {}, connections: [{ connectionId: `${contactId}-a`, type: 'agent', initial: false, state: { type: 'connected', timestamp: at },
      endpoint: { type: 'agent', name: 'me' } }],
  };
}

function data(contacts: Contact[] = []): AgentData {
  return {
    snapshot: { state: { type: 'routable', name: 'Available', startTimestamp: 1000.5 }, contacts, snapshotTimestamp: 2000 },
    configuration: {
      name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', permissions: [], dialableCountries: [],
      agentStates: [{ type: 'routable', name: 'Available', agentStateARN: 's1', startTimestamp: 5 }],
      routingProfile: { name: 'RP', routingProfileARN: RP_ARN, defaultOutboundQueue: { queueARN: 'q1', name: 'Q' }, queues: [{ queueARN: 'q1', name: 'Q' }] },
    },
  };
}

describe('toStreamsAgentData: the shapes the genuine library reads', () => {
  test('a connection\'s mute reaches the genuine library (VoiceConnection.isMute reads it)', () => {
    const c = contact('c1', 10);
    c.connections.push({ connectionId: 'c1-b', type: 'inbound', initial: true, state: { type: 'connected', timestamp: 10 }, mute: true });
    const out = toStreamsAgentData(data([c]), 0, 0).snapshot.contacts as { connections: { mute?: boolean }[] }[];
    assert.equal(out[0]!.connections[1]!.mute, true);
  });

  test('timestamps are real Dates (ms kept), skew and localTimestamp are numbers, nextState null when none', () => {
    const { snapshot } = toStreamsAgentData(data(), 250, 123456);
    const state = snapshot.state as { startTimestamp: Date };
    assert.ok(state.startTimestamp instanceof Date);
    assert.equal(state.startTimestamp.getTime(), 1000500);
    assert.ok(snapshot.snapshotTimestamp instanceof Date);
    assert.equal(snapshot.skew, 250);
    assert.equal(snapshot.localTimestamp, 123456);
    assert.equal(snapshot.nextState, null);
    assert.equal(toStreamsAgentData(data(), Number.NaN, 0).snapshot.skew, 0);
    assert.equal(toDate(undefined), undefined);
  });

  test('contacts oldest state first, with status, queueId, address aliases and Date timestamps', () => {
    const { snapshot } = toStreamsAgentData(data([contact('new', 30), contact('old', 10), contact('mid', 20)]), 0, 0);
    assert.deepEqual(snapshot.contacts.map((c) => c.contactId), ['old', 'mid', 'new']);
    const c = snapshot.contacts[0] as { state: { timestamp: Date }; status: { type: string; timestamp: Date }; queue: { queueId: string };
      queueTimestamp: Date; connections: { state: { timestamp: Date }; address: unknown; endpoint: unknown }[] };
    assert.equal(c.state.timestamp.getTime(), 10000);
    assert.deepEqual(c.status, c.state);
    assert.notEqual(c.status, c.state); // a copy, as the original aliases do not share mutations
    assert.equal(c.queue.queueId, 'q1');
    assert.equal(c.queueTimestamp.getTime(), 9000);
    assert.ok(c.connections[0]!.state.timestamp instanceof Date);
    assert.deepEqual(c.connections[0]!.address, c.connections[0]!.endpoint);
  });

  test('equal timestamps keep the engine order', () => {
    assert.deepEqual(streamsContactOrder([contact('b', 5), contact('a', 5)]).map((c) => c.contactId), ['b', 'a']);
  });

  test('configuration: routingProfileId is the ARN the library parses for instance and account; queues carry queueId', () => {
    const { configuration } = toStreamsAgentData(data(), 0, 0);
    const rp = configuration.routingProfile as { routingProfileId: string; queues: { queueId: string }[]; defaultOutboundQueue: { queueId: string } };
    assert.match(rp.routingProfileId, /instance\/([0-9a-fA-F|-]+)\//);
    assert.equal(/:([0-9]+):instance/.exec(rp.routingProfileId)?.[1], '123456789012');
    assert.equal(rp.queues[0]!.queueId, 'q1');
    assert.equal(rp.defaultOutboundQueue.queueId, 'q1');
    assert.deepEqual(configuration.agentStates, [{ agentStateARN: 's1', type: 'routable', name: 'Available' }]);
  });

  test('a recorded engine state converts without loss of contacts', () => {
    const s = fixture('voice-connected-third-party');
    const out = toStreamsAgentData(s.data!, s.skew, Date.now());
    assert.equal(out.snapshot.contacts.length, s.data!.snapshot.contacts.length);
  });
});

describe('log entries both ways', () => {
  test('ours → genuine: a Date time and our source as loggerId', () => {
    const e = toStreamsLogEntry({ level: 'INFO', time: 5000, text: 'hi', source: 'engine' });
    assert.ok(e.time instanceof Date);
    assert.equal((e.time as Date).getTime(), 5000);
    assert.equal(e.loggerId, 'engine');
    assert.equal(e.contextLayer, 'CCP');
  });

  test('genuine → ours: level checked, Date or number time, text capped; anything else is null', () => {
    assert.deepEqual(fromStreamsLogEntry({ level: 'WARN', text: 't', time: new Date(7), component: 'ccp', loggerId: 'x' }, 'tab1'),
      { level: 'WARN', time: 7, text: 't', component: 'ccp', source: 'tab1' });
    assert.equal(fromStreamsLogEntry({ level: 'NOPE', text: 't', time: 9 }, 'tab1')!.level, 'INFO');
    assert.equal(fromStreamsLogEntry({ text: 'x'.repeat(10_000), time: 1 }, 't')!.text.length, 4096);
    assert.equal(fromStreamsLogEntry({ level: 'INFO' }, 't'), null);
    assert.equal(fromStreamsLogEntry('text', 't'), null);
  });
});
