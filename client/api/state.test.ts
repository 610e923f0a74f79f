import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Contact } from '../../shared/cti';
import { diffState } from '../../shared/state-diff';
import { DownType, type StateDelta, type StateFull } from '../../shared/protocol';
import { EventBus } from './event-bus';
import { Logger } from './log';
import { TabState } from './state';
import { fixture } from '../../testing/client/fixtures';

const quiet = () => new Logger({ console: { debug() {}, info() {}, log() {}, warn() {}, error() {} } });

function setup() {
  const log = quiet();
  const bus = new EventBus({ logger: log });
  const state = new TabState(bus, undefined, log);
  const events: { name: string; data: unknown }[] = [];
  bus.subscribeAll((data, name) => events.push({ name, data }));
  return { bus, state, events, names: () => events.map((e) => e.name) };
}

function delta(prev: StateFull, next: StateFull): StateDelta {
  const d = diffState(prev, next);
  assert.ok(d, 'the fixtures differ');
  return { ...d, type: DownType.DELTA, base: prev.version, version: next.version };
}

function withContacts(s: StateFull, contacts: Contact[], version: number): StateFull {
  const copy = JSON.parse(JSON.stringify(s)) as StateFull;
  copy.data!.snapshot.contacts = contacts;
  copy.version = version;
  return copy;
}

describe('TabState', () => {
  test('a full state applies and raises the first-data events in order', () => {
    const { state, names } = setup();
    assert.equal(state.initialized, false);
    assert.equal(state.apply(fixture('inbound-voice-connecting')), 'applied');
    assert.equal(state.version, 2);
    assert.equal(state.skew, 1500);
    assert.equal(state.initialized, true);
    assert.deepEqual(names(), [
      'agent::init', 'agent::refresh', 'agent::not_routable', 'agent::state_change',
      'contact::init', 'contact::init::c-voice-1', 'contact::connecting', 'contact::connecting::c-voice-1',
      'contact::refresh', 'contact::refresh::c-voice-1',
    ]);
  });

  test('an older full state is ignored; an equal one changes nothing and raises nothing', () => {
    const { state, names } = setup();
    state.apply(fixture('inbound-voice-connecting'));
    const before = names().length;
    assert.equal(state.apply(fixture('agent-available', { version: 1 })), 'stale-ignored');
    assert.equal(state.apply(fixture('inbound-voice-connecting')), 'applied');
    assert.equal(names().length, before);
    assert.equal(state.contact('c-voice-1')?.state.type, 'connecting');
  });

  test('a delta chain applies; a gap answers "gap"; an old delta is ignored', () => {
    const { state, names } = setup();
    const v1 = fixture('agent-available', { version: 1 });
    const v2 = fixture('inbound-voice-connecting', { version: 2 });
    const v3 = fixture('voice-connected-third-party', { version: 3 });
    state.apply(v1, 'e1');
    assert.equal(state.apply(delta(v1, v2), 'e1'), 'applied');
    assert.equal(state.apply(delta(v2, v3), 'e1'), 'applied');
    assert.deepEqual(state.current().data, v3.data);
    assert.equal(state.skew, v3.skew);
    assert.ok(names().includes('contact::connected::c-voice-1'));
    assert.equal(state.apply({ ...delta(v2, v3), base: 7, version: 8 }, 'e1'), 'gap');
    assert.equal(state.apply(delta(v1, v2), 'e1'), 'stale-ignored');
    assert.equal(state.version, 3);
  });

  test('a restarted engine (new engineId) is believed even with lower versions; its deltas need its full first', () => {
    const { state } = setup();
    state.apply(fixture('voice-connected-third-party', { version: 50 }), 'old');
    const fresh = fixture('agent-available', { version: 1 });
    assert.equal(state.apply({ ...delta(fresh, fixture('inbound-voice-connecting', { version: 2 })) }, 'new'), 'gap');
    assert.equal(state.apply(fresh, 'new'), 'applied');
    assert.equal(state.version, 1);
    assert.equal(state.engineId, 'new');
  });

  test('stale state renders, and its confirmation with the same data raises nothing again', () => {
    const { state, names } = setup();
    assert.equal(state.apply(fixture('inbound-voice-connecting', { version: 9, stale: true })), 'applied');
    assert.equal(state.stale, true);
    const first = names().length;
    assert.ok(first > 0);
    // The engine confirms with a lower version (a new engine instance): accepted because it confirms stale data.
    assert.equal(state.apply(fixture('inbound-voice-connecting', { version: 3 }), 'e2'), 'applied');
    assert.equal(state.stale, false);
    assert.equal(names().length, first, 'no duplicate events');
    assert.equal(state.version, 3);
  });

  test('per-contact subscriptions are removed when the contact is destroyed', () => {
    const { bus, state } = setup();
    const s = fixture('voice-connected-third-party', { version: 1 });
    state.apply(s);
    const got: string[] = [];
    bus.subscribe('contact::refresh::c-voice-1', () => got.push('refresh'));
    bus.subscribe('contact::destroyed::c-voice-1', () => got.push('destroyed'));
    bus.subscribe('contact::ended::c-voice-1', () => got.push('ended'));
    state.apply(withContacts(s, [], 2));
    assert.deepEqual(got, ['ended', 'destroyed']);
    for (const n of ['refresh', 'destroyed', 'ended', 'connected']) {
      assert.equal(bus.getSubscriptions(`contact::${n}::c-voice-1`).length, 0, n);
    }
  });

  test('contact::ended once across connected → ACW → removed; ended of a vanished contact carries its last data', () => {
    const { state, events } = setup();
    const connected = fixture('voice-connected-third-party', { version: 1 });
    state.apply(connected);
    state.apply(fixture('after-call-work', { version: 2 }));
    state.apply(withContacts(fixture('after-call-work'), [], 3));
    assert.equal(events.filter((e) => e.name === 'contact::ended').length, 1);

    const other = setup();
    other.state.apply(connected);
    other.state.apply(withContacts(connected, [], 2));
    const ended = other.events.find((e) => e.name === 'contact::ended');
    assert.equal((ended?.data as Contact).state.type, 'connected');
  });

  test('the engine losing its data keeps the last data (stale) and does not re-raise agent::init', () => {
    const { state, names } = setup();
    state.apply(fixture('agent-available', { version: 1 }), 'e1');
    state.apply({ type: DownType.STATE, version: 1, data: null, skew: 0 }, 'e2');
    assert.equal(state.stale, true);
    assert.equal(state.data?.configuration.name, 'Agent One');
    state.apply(fixture('agent-available', { version: 2 }), 'e2');
    assert.equal(names().filter((n) => n === 'agent::init').length, 1);
    assert.equal(state.stale, false);
  });

  test('persisted data newer than the engine\'s first (stale) state still yields to it, so deltas can follow', () => {
    const { state } = setup();
    state.apply(fixture('inbound-voice-connecting', { version: 40, stale: true }));
    const engineFirst = fixture('agent-available', { version: 12, stale: true });
    assert.equal(state.apply(engineFirst, 'e1'), 'applied');
    assert.equal(state.version, 12);
    const next = fixture('inbound-voice-connecting', { version: 13 });
    assert.equal(state.apply(delta(engineFirst, next), 'e1'), 'applied');
    assert.equal(state.stale, false);
  });

  test('dispatches "change" after each applied message', () => {
    const { state } = setup();
    let changes = 0;
    state.addEventListener('change', () => changes++);
    state.apply(fixture('agent-available'));
    state.apply(fixture('agent-available', { version: 0 }));
    assert.equal(changes, 1);
  });

  test('a change applied from inside a callback is raised after the current batch', () => {
    const { bus, state, names } = setup();
    const v1 = fixture('agent-available', { version: 1 });
    let nested = false;
    bus.subscribe('agent::init', () => {
      if (nested) return;
      nested = true;
      state.apply(fixture('inbound-voice-connecting', { version: 2 }));
    });
    state.apply(v1);
    const n = names();
    assert.ok(n.indexOf('agent::routable') < n.indexOf('contact::init'), 'first batch completes before the nested one');
  });

  test('reset forgets everything', () => {
    const { state } = setup();
    state.apply(fixture('agent-available'), 'e');
    state.reset();
    assert.equal(state.initialized, false);
    assert.equal(state.data, null);
    assert.equal(state.version, -1);
    assert.equal(state.engineId, null);
  });

  test('a delta carrying only skew raises no Streams event, and one carrying data raises them', () => {
    const { state, names } = setup();
    const base = fixture('inbound-voice-connecting');
    state.apply(base);
    const before = names().length;
    const skewOnly: StateDelta = { type: DownType.DELTA, base: base.version, version: base.version + 1, skew: 250 };
    assert.equal(state.apply(skewOnly), 'applied');
    assert.equal(state.skew, 250);
    assert.deepEqual(names().slice(before), []);
    const next = withContacts(state.current(), [], base.version + 2);
    assert.equal(state.apply(delta(state.current(), next)), 'applied');
    assert.ok(names().slice(before).includes('agent::refresh'));
  });

  test('payloads are built only for events someone listens to (by name, per contact, or all)', () => {
    const log = quiet();
    const bus = new EventBus({ logger: log });
    const built: string[] = [];
    const state = new TabState(bus, {
      agent: () => { built.push('agent'); return 'A'; },
      stateChange: (c) => { built.push('stateChange'); return c; },
      contact: (id) => { built.push(`contact ${id}`); return id; },
      destroyedContact: (c) => { built.push(`destroyed ${c.contactId}`); return c; },
    }, log);
    const base = fixture('inbound-voice-connecting');
    state.apply(base);
    assert.deepEqual(built, [], 'nobody listens: nothing built');
    const contactId = base.data!.snapshot.contacts[0]!.contactId;
    const heard: unknown[] = [];
    bus.subscribe(`contact::refresh::${contactId}`, (c) => heard.push(c));
    const changed = JSON.parse(JSON.stringify(state.current())) as StateFull;
    changed.data!.snapshot.contacts[0]!.attributes = { x: { name: 'x', value: '1' } };
    changed.version = base.version + 1;
    state.apply(delta(state.current(), changed));
    assert.deepEqual(built, [`contact ${contactId}`], 'only the per-contact refresh someone hears');
    assert.deepEqual(heard, [contactId]);
    bus.subscribeAll(() => undefined);
    built.length = 0;
    const again = JSON.parse(JSON.stringify(state.current())) as StateFull;
    again.data!.snapshot.contacts[0]!.attributes = { x: { name: 'x', value: '2' } };
    again.version = base.version + 2;
    state.apply(delta(state.current(), again));
    assert.deepEqual(built, ['agent', `contact ${contactId}`], 'subscribeAll hears everything');
  });
});
