import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventBus } from '../client/api/event-bus';
import { Logger } from '../client/api/log';
import { TabState } from '../client/api/state';
import { FIXTURE_NAMES, fixture } from '../testing/client/fixtures';
import { StatePublisher } from '../worker/publisher';
import type { AgentData, Contact } from './cti';
import { decodeDeltaEvents, encodeDeltaEvents } from './delta-events';
import { AgentEvents, ContactEvents, ContactStateType } from './enums';
import { busNamesOf, deriveEvents } from './events';
import { DownType, type StateDelta, type StateFull } from './protocol';

interface Tab {
  state: TabState;
  seen: string[];
  readonly warnings: string[];
}

function tab(): Tab {
  const log = new Logger({ console: { debug() {}, info() {}, log() {}, warn() {}, error() {} } });
  const bus = new EventBus({ logger: log });
  const state = new TabState(bus, undefined, log);
  const seen: string[] = [];
  // Name and payload of every event, as a tab's subscribers would get them (plain-data payloads).
  bus.subscribeAll((data, name) => seen.push(`${name} ${JSON.stringify(data)}`));
  return { state, seen, get warnings() { return log.getLogs().filter((e) => e.level === 'WARN').map((e) => e.text); } };
}

/** A deterministic pseudo-random sequence (the same steps on every run). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CONTACT_TYPES = Object.values(ContactStateType).filter((t) => t !== ContactStateType.INIT);
const AGENT_STATES = [
  { type: 'routable', name: 'Available' }, { type: 'not_routable', name: 'Busy' },
  { type: 'not_routable', name: 'AfterCallWork' }, { type: 'not_routable', name: 'Error' }, { type: 'offline', name: 'Offline' },
];

/** Agent data after one random change: a recorded fixture, or the current data with contacts added, removed,
 * reordered or moved to another state, the agent's state or next state changed, or the configuration changed. */
function step(data: AgentData, rnd: () => number, n: number): AgentData {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const next = JSON.parse(JSON.stringify(data)) as AgentData;
  const contacts = next.snapshot.contacts;
  switch (Math.floor(rnd() * 8)) {
    case 0: return fixture(pick(FIXTURE_NAMES)).data!;
    case 1: {
      const src = pick([...FIXTURE_NAMES.flatMap((f) => fixture(f).data!.snapshot.contacts)]);
      contacts.push({ ...src, contactId: `c-new-${n}`, state: { ...src.state, type: pick(CONTACT_TYPES) } });
      break;
    }
    case 2: if (contacts.length) contacts.splice(Math.floor(rnd() * contacts.length), 1); break;
    case 3: if (contacts.length) { const c = pick(contacts); c.state = { ...c.state, type: pick(CONTACT_TYPES) }; } break;
    case 4: contacts.reverse(); if (contacts[0]) contacts[0] = { ...contacts[0], queueTimestamp: n }; break;
    case 5: next.snapshot.state = { ...next.snapshot.state, ...pick(AGENT_STATES) }; break;
    case 6:
      if (rnd() < 0.5) delete next.snapshot.nextState;
      else next.snapshot.nextState = { ...next.snapshot.state, name: 'Offline', type: 'offline' };
      break;
    default: next.configuration = { ...next.configuration, name: `Agent ${n}` };
  }
  next.snapshot.snapshotTimestamp = 1763900000 + n;
  return next;
}

/** Sends what the engine publishes: `own` gets every message as sent; `deriving` gets the deltas without their events
 * (so it derives its own, as every tab did before); `late` joins at `joinAt` with the full state. */
function run(seed: number, steps: number, joinAt: number) {
  const rnd = prng(seed);
  const pub = new StatePublisher();
  const own = tab();
  const deriving = tab();
  const late = tab();
  let data = fixture(FIXTURE_NAMES[seed % FIXTURE_NAMES.length]!).data!;
  let withEvents = 0;
  let lateStart: string[] | null = null;
  let joinData: StateFull | null = null;
  for (let i = 0; i < steps; i++) {
    const p = pub.offer({ data, skew: i % 3, stale: false });
    if (p) {
      const msg = JSON.parse(p.json) as StateFull | StateDelta;
      const stripped = JSON.parse(p.json) as StateFull | StateDelta;
      if (stripped.type === DownType.DELTA) {
        if (stripped.events) withEvents++;
        delete stripped.events;
      }
      assert.equal(own.state.apply(msg, 'e'), 'applied', `step ${i}`);
      assert.equal(deriving.state.apply(stripped, 'e'), 'applied', `step ${i}`);
      if (i > joinAt) assert.equal(late.state.apply(JSON.parse(p.json) as StateFull | StateDelta, 'e'), 'applied');
    }
    if (i === joinAt) {
      joinData = JSON.parse(pub.fullJson()) as StateFull;
      late.state.apply(JSON.parse(pub.fullJson()) as StateFull, 'e');
      lateStart = late.seen.slice();
    }
    data = step(data, rnd, i);
  }
  return { own, deriving, late, withEvents, lateStart: lateStart!, joinData: joinData! };
}

describe('delta events: derived once by the engine, raised by the tabs', () => {
  test('for every pair of recorded fixtures, the engine\'s events are the tab\'s own', () => {
    for (const a of FIXTURE_NAMES) {
      for (const b of FIXTURE_NAMES) {
        const pub = new StatePublisher();
        const own = tab();
        const deriving = tab();
        for (const name of [a, b]) {
          const p = pub.offer({ data: fixture(name).data, skew: 0, stale: false });
          if (!p) continue;
          const msg = JSON.parse(p.json) as StateFull | StateDelta;
          own.state.apply(msg, 'e');
          if (msg.type === DownType.DELTA) {
            assert.ok(Array.isArray(msg.events) && msg.events.length > 0, `${a} → ${b} carries its events`);
            delete msg.events;
          }
          deriving.state.apply(msg, 'e');
        }
        assert.deepEqual(own.seen, deriving.seen, `${a} → ${b}`);
        assert.deepEqual(own.warnings, []);
      }
    }
  });

  test('for long random sequences, names, order and payloads are the same; a tab that joins derives its own start', () => {
    const seenNames = new Set<string>();
    const covered = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { own, deriving, late, withEvents, lateStart, joinData } = run(seed, 150, 60);
      assert.ok(withEvents > 100, `seed ${seed}: deltas carry events (${withEvents})`);
      assert.ok(own.seen.length > 500, `seed ${seed}: many events (${own.seen.length})`);
      assert.deepEqual(own.seen, deriving.seen, `seed ${seed}`);
      for (const name of [...Object.values(AgentEvents), ...Object.values(ContactEvents)]) seenNames.add(name);
      for (const l of own.seen) covered.add(l.split(' ')[0]!);
      assert.deepEqual(own.warnings, []);
      // The late tab's start is its own derivation from nothing (agent::init first), then it follows the others.
      assert.ok(lateStart[0]!.startsWith(`${AgentEvents.INIT} `), `seed ${seed}: ${lateStart[0]}`);
      const expectedStart = deriveEvents(null, joinData.data!).flatMap(busNamesOf);
      assert.deepEqual(lateStart.map((l) => l.split(' ')[0]), expectedStart, `seed ${seed}: the late tab's start`);
      const tail = late.seen.slice(lateStart.length);
      assert.deepEqual(tail, own.seen.slice(own.seen.length - tail.length), `seed ${seed}: the late tab then raises what the others do`);
    }
    // Every event the rules can raise occurred (the others are raised by the softphone, not derived from states).
    const notDerived = new Set<string>([ContactEvents.VIEW, ContactEvents.ACCEPTED, AgentEvents.UPDATE, AgentEvents.PENDING,
      AgentEvents.SOFTPHONE_ERROR, AgentEvents.WEBSOCKET_CONNECTION_LOST, AgentEvents.WEBSOCKET_CONNECTION_GAINED,
      AgentEvents.MUTE_TOGGLE, AgentEvents.LOCAL_MEDIA_STREAM_CREATED]);
    assert.deepEqual([...seenNames].filter((n) => !covered.has(n) && !notDerived.has(n)), []);
  });

  test('a tab raises the events the engine sent, not its own derivation', () => {
    const v1 = fixture('agent-available', { version: 1 });
    const v2 = fixture('inbound-voice-connecting', { version: 2 });
    const pub = new StatePublisher();
    pub.offer({ data: v1.data, skew: 0, stale: false });
    const p = pub.offer({ data: v2.data, skew: 0, stale: false });
    assert.equal(p?.kind, 'delta');
    const msg = JSON.parse(p.json) as StateDelta;
    msg.events = [AgentEvents.REFRESH, [ContactEvents.REFRESH, 'c-voice-1']]; // well-formed, shorter than the rules'
    const base = tab();
    base.state.apply({ ...v1, version: p.delta.base }, 'e');
    const before = base.seen.length;
    assert.equal(base.state.apply(msg, 'e'), 'applied');
    assert.deepEqual(base.seen.slice(before).map((l) => l.split(' ')[0]),
      ['agent::refresh', 'contact::refresh', 'contact::refresh::c-voice-1']);
    assert.deepEqual(base.warnings, []);
  });

  test('a malformed events field is rejected: the tab derives its own events, raises them once, and warns', () => {
    const prev = fixture('voice-connected-third-party', { version: 1 });
    const gone = JSON.parse(JSON.stringify(prev)) as StateFull;
    gone.version = 2;
    gone.data!.snapshot.contacts = [];
    gone.data!.snapshot.state = { ...gone.data!.snapshot.state, name: 'AfterCallWork' };
    const pub = new StatePublisher();
    pub.offer({ data: prev.data, skew: prev.skew, stale: false });
    const p = pub.offer({ data: gone.data, skew: prev.skew, stale: false });
    assert.equal(p?.kind, 'delta');
    const good = JSON.parse(p.json) as StateDelta;
    assert.ok(good.events?.some((e) => Array.isArray(e) && e[0] === ContactEvents.DESTROYED), 'the contact is destroyed');
    const expected = tab();
    expected.state.apply({ ...prev, version: p.delta.base }, 'e');
    const from = expected.seen.length;
    expected.state.apply(good, 'e');
    const want = expected.seen.slice(from);
    const bad: unknown[] = [
      'agent::refresh', // not a list
      null, 42, {},
      ['agent::nonsense'],
      [ContactEvents.REFRESH], // a contact event without its contact
      [[ContactEvents.REFRESH, 'c-unknown']], // a contact of neither state
      [[ContactEvents.REFRESH, 'c-voice-1', 'extra']],
      [[ContactEvents.REFRESH, 7]],
      [[7, 'c-voice-1']],
      [['agent::nonsense', 'c-voice-1']],
      [[ContactEvents.INCOMING, 'c-voice-1']], // a contact that left raises only ended and destroyed
      [[AgentEvents.CONTACT_PENDING, 'c-voice-1']], // … and is not pending
      [AgentEvents.CONTACT_PENDING], // names its contact
      Array.from({ length: 10_000 }, () => AgentEvents.REFRESH), // longer than any change's events
    ];
    for (const events of bad) {
      const t = tab();
      t.state.apply({ ...prev, version: p.delta.base }, 'e');
      const start = t.seen.length;
      assert.equal(t.state.apply({ ...good, events } as StateDelta, 'e'), 'applied', JSON.stringify(events).slice(0, 80));
      assert.deepEqual(t.seen.slice(start), want, JSON.stringify(events).slice(0, 80));
      assert.equal(t.warnings.length, 1, JSON.stringify(events).slice(0, 80));
    }
  });

  test('destroyed only for a contact that left, with its last data; encode and decode are inverse', () => {
    const prev = fixture('voice-connected-third-party').data!;
    const next = fixture('agent-available').data!;
    const events = deriveEvents(prev, next, { fromDelta: true });
    assert.deepEqual(decodeDeltaEvents(JSON.parse(JSON.stringify(encodeDeltaEvents(events))), prev, next), events);
    assert.equal(decodeDeltaEvents([[ContactEvents.DESTROYED, 'c-voice-1']], prev, prev), null, 'still present');
    const ended = decodeDeltaEvents([[ContactEvents.ENDED, 'c-voice-1']], prev, next)!;
    assert.equal((ended[0]!.data as Contact).contactId, 'c-voice-1');
  });
});
