import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentData, Contact } from './cti';
import { busNamesOf, contactTransitionEvents, deriveEvents, type StreamsEvent } from './events';

const T = 1763900000;

function agentData(state: { type: string; name: string }, contacts: Contact[] = []): AgentData {
  return {
    snapshot: { state: { ...state, startTimestamp: T }, contacts, snapshotTimestamp: T },
    configuration: {
      name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', routingProfile: {},
      permissions: [], agentStates: [], dialableCountries: [],
    },
  };
}

function contact(contactId: string, type: string, extra: Partial<Contact> = {}): Contact {
  return { contactId, type: 'voice', state: { type, timestamp: T }, connections: [], attributes: {}, ...extra };
}

const AVAILABLE = { type: 'routable', name: 'Available' };
const BUSY = { type: 'not_routable', name: 'Busy' };

/** `name` or `name@contactId`, compact for comparisons. */
function names(events: StreamsEvent[]): string[] {
  return events.map((e) => (e.contactId ? `${e.name}@${e.contactId}` : e.name));
}

describe('contactTransitionEvents: the transition table', () => {
  // [from, to, events] — every rule of streams-reference §2.12 with the guide's corrections.
  const rows: [string, string, string[]][] = [
    ['init', 'incoming', ['contact::incoming']],
    ['init', 'pending', ['contact::pending', 'agent::contact_pending']],
    ['init', 'connecting', ['contact::connecting']],
    ['init', 'connected', ['contact::connected']],
    ['init', 'missed', []],
    ['init', 'error', ['contact::error']],
    ['init', 'ended', ['contact::acw']],
    ['incoming', 'pending', ['contact::pending', 'agent::contact_pending']],
    ['incoming', 'connecting', ['contact::connecting']],
    ['incoming', 'connected', ['contact::connected']],
    ['incoming', 'missed', ['contact::ended', 'contact::missed']],
    ['incoming', 'rejected', ['contact::ended', 'contact::missed']],
    ['incoming', 'error', ['contact::error', 'contact::missed', 'contact::ended']],
    ['incoming', 'ended', ['contact::acw', 'contact::ended']],
    ['pending', 'connecting', ['contact::connecting']],
    ['pending', 'missed', ['contact::ended', 'contact::missed']],
    ['pending', 'error', ['contact::error', 'contact::missed', 'contact::ended']],
    ['connecting', 'connected', ['contact::connected']],
    ['connecting', 'missed', ['contact::ended', 'contact::missed']],
    ['connecting', 'rejected', ['contact::ended', 'contact::missed']],
    ['connecting', 'error', ['contact::error', 'contact::missed', 'contact::ended']],
    ['connecting', 'ended', ['contact::acw', 'contact::ended']],
    ['connected', 'ended', ['contact::acw', 'contact::ended']],
    ['connected', 'error', ['contact::error', 'contact::ended']],
    ['connected', 'missed', ['contact::ended']],
    ['connected', 'incoming', ['contact::incoming']],
    ['missed', 'ended', ['contact::acw']],
    ['error', 'ended', ['contact::acw']],
    ['missed', 'error', ['contact::error']],
    ['ended', 'connected', ['contact::connected']],
    ['connected', 'connected', []],
    ['ended', 'ended', []],
  ];
  for (const [from, to, expected] of rows) {
    test(`${from} → ${to}: ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(contactTransitionEvents(from, to), expected);
    });
  }
});

describe('deriveEvents', () => {
  test('first data: init, refresh, routing, state change from Init', () => {
    assert.deepEqual(names(deriveEvents(null, agentData(AVAILABLE))),
      ['agent::init', 'agent::refresh', 'agent::routable', 'agent::state_change']);
    const change = deriveEvents(null, agentData(AVAILABLE)).find((e) => e.name === 'agent::state_change');
    assert.deepEqual(change?.data, { oldState: 'Init', newState: 'Available' });
  });

  test('first data with a connecting contact: the contact is added with its transition and refresh', () => {
    assert.deepEqual(names(deriveEvents(null, agentData(BUSY, [contact('c1', 'connecting')]))), [
      'agent::init', 'agent::refresh', 'agent::not_routable', 'agent::state_change',
      'contact::init@c1', 'contact::connecting@c1', 'contact::refresh@c1',
    ]);
  });

  test('state name change to AfterCallWork: state_change then acw, no routing event when the type is the same', () => {
    const prev = agentData(BUSY);
    const next = agentData({ type: 'not_routable', name: 'AfterCallWork' });
    assert.deepEqual(names(deriveEvents(prev, next)), ['agent::refresh', 'agent::state_change', 'agent::acw']);
  });

  test('an agent error state raises agent::error after the state change', () => {
    const next = agentData({ type: 'not_routable', name: 'MissedCallAgent' });
    assert.deepEqual(names(deriveEvents(agentData(AVAILABLE), next)),
      ['agent::refresh', 'agent::not_routable', 'agent::state_change', 'agent::error']);
  });

  test('a next state queued then cleared: enqueued_next_state after the state events, cleared_next_state when it goes', () => {
    const lunch = { type: 'not_routable', name: 'Lunch', startTimestamp: T };
    const queued = agentData(AVAILABLE);
    queued.snapshot.nextState = lunch;
    assert.deepEqual(names(deriveEvents(agentData(AVAILABLE), queued)), ['agent::refresh', 'agent::enqueued_next_state']);
    const acw = agentData({ type: 'not_routable', name: 'AfterCallWork' });
    acw.snapshot.nextState = lunch;
    assert.deepEqual(names(deriveEvents(queued, acw)), ['agent::refresh', 'agent::not_routable', 'agent::state_change', 'agent::acw']);
    const applied = agentData({ type: 'not_routable', name: 'Lunch' });
    assert.deepEqual(names(deriveEvents(acw, applied)), ['agent::refresh', 'agent::state_change', 'agent::cleared_next_state']);
  });

  test('routable → offline', () => {
    assert.deepEqual(names(deriveEvents(agentData(AVAILABLE), agentData({ type: 'offline', name: 'Offline' }))),
      ['agent::refresh', 'agent::offline', 'agent::state_change']);
  });

  test('composite change: agent events, then added, removed, common contacts', () => {
    const prev = agentData(AVAILABLE, [contact('gone', 'connected'), contact('kept', 'connected')]);
    const next = agentData(BUSY, [contact('kept', 'ended'), contact('new', 'connecting')]);
    assert.deepEqual(names(deriveEvents(prev, next)), [
      'agent::refresh', 'agent::not_routable', 'agent::state_change',
      'contact::init@new', 'contact::connecting@new', 'contact::refresh@new',
      'contact::ended@gone', 'contact::destroyed@gone',
      'contact::acw@kept', 'contact::ended@kept', 'contact::refresh@kept',
    ]);
  });

  test('contacts are handled in snapshot order (added in next order, removed in prev order)', () => {
    const prev = agentData(AVAILABLE, [contact('r2', 'ended'), contact('r1', 'ended')]);
    const next = agentData(AVAILABLE, [contact('b', 'incoming'), contact('a', 'incoming')]);
    const order = names(deriveEvents(prev, next)).filter((n) => n.startsWith('contact::init') || n.startsWith('contact::destroyed'));
    assert.deepEqual(order, ['contact::init@b', 'contact::init@a', 'contact::destroyed@r2', 'contact::destroyed@r1']);
  });

  test('a contact removed from ACW is only destroyed; destroyed carries its last data', () => {
    const last = contact('c1', 'ended');
    const events = deriveEvents(agentData(BUSY, [last]), agentData(BUSY));
    assert.deepEqual(names(events), ['agent::refresh', 'contact::destroyed@c1']);
    assert.deepEqual(events[1]!.data, last);
  });

  test('an unchanged contact raises nothing; a changed one with the same state raises only refresh', () => {
    const c = contact('c1', 'connected');
    assert.deepEqual(names(deriveEvents(agentData(BUSY, [c]), agentData(BUSY, [c]))), ['agent::refresh']);
    const changed = contact('c1', 'connected', { attributes: { a: { name: 'a', value: '1' } } });
    assert.deepEqual(names(deriveEvents(agentData(BUSY, [c]), agentData(BUSY, [changed]))),
      ['agent::refresh', 'contact::refresh@c1']);
  });

  test('contact::ended is raised exactly once over a lifecycle, also when the contact vanishes while active', () => {
    const lifecycle = ['connecting', 'connected', 'ended', null].map((s) => agentData(BUSY, s ? [contact('c1', s)] : []));
    let ended = 0;
    for (let i = 1; i < lifecycle.length; i++) {
      ended += deriveEvents(lifecycle[i - 1]!, lifecycle[i]!).filter((e) => e.name === 'contact::ended').length;
    }
    assert.equal(ended, 1);
    const vanished = deriveEvents(agentData(BUSY, [contact('c1', 'connected')]), agentData(BUSY));
    assert.deepEqual(names(vanished), ['agent::refresh', 'contact::ended@c1', 'contact::destroyed@c1']);
  });

  test('a contact entering pending raises agent::contact_pending naming it (not per-contact)', () => {
    const events = deriveEvents(agentData(BUSY, [contact('c1', 'incoming')]), agentData(BUSY, [contact('c1', 'pending')]));
    const pending = events.find((e) => e.name === 'agent::contact_pending');
    assert.deepEqual(pending, { name: 'agent::contact_pending', data: { contactId: 'c1' } });
  });

  test('deterministic: the same change gives the same events', () => {
    const prev = agentData(AVAILABLE, [contact('x', 'connected')]);
    const next = agentData(BUSY, [contact('y', 'incoming'), contact('x', 'ended')]);
    assert.deepEqual(deriveEvents(prev, next), deriveEvents(JSON.parse(JSON.stringify(prev)), JSON.parse(JSON.stringify(next))));
  });

  test('fromDelta: identity tells what changed — the same object is unchanged, another object is changed', () => {
    const c1 = contact('c1', 'connected');
    const c2 = contact('c2', 'connected');
    const prev = agentData(BUSY, [c1, c2]);
    // c2 replaced by an equal copy: a delta only puts contacts that changed, so this one counts as changed.
    const next = agentData(BUSY, [c1, { ...c2 }]);
    assert.deepEqual(names(deriveEvents(prev, next, { fromDelta: true })), ['agent::refresh', 'contact::refresh@c2']);
    // Without the option the copy is compared deeply and found equal.
    assert.deepEqual(names(deriveEvents(prev, next)), ['agent::refresh']);
    const connected = { ...c2, state: { type: 'ended', timestamp: T } };
    assert.deepEqual(names(deriveEvents(prev, agentData(BUSY, [c1, connected]), { fromDelta: true })),
      ['agent::refresh', 'contact::acw@c2', 'contact::ended@c2', 'contact::refresh@c2']);
  });

  test('busNamesOf: global name first, then the per-contact name', () => {
    assert.deepEqual(busNamesOf({ name: 'contact::connected' as never, contactId: 'c9' }), ['contact::connected', 'contact::connected::c9']);
    assert.deepEqual(busNamesOf({ name: 'agent::refresh' as never }), ['agent::refresh']);
  });
});
