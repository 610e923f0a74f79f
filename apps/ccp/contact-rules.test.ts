import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contactActions, contactKindLabel, contactStatusLabel, type ContactActions, type ContactView } from './contact-rules';

function view(over: Partial<ContactView> = {}): ContactView {
  return { type: 'voice', state: 'connected', inbound: true, agentConnection: 'connected', initialConnection: 'connected', thirdParties: [], ...over };
}

function offered(a: ContactActions): string[] {
  return Object.entries(a).filter(([, v]) => v).map(([k]) => k).sort();
}

describe('contactActions', () => {
  test('a ringing inbound call offers accept and reject only', () => {
    assert.deepEqual(offered(contactActions(view({ state: 'connecting', agentConnection: 'connecting' }))), ['accept', 'reject']);
  });
  test('a connected call offers hold, mute, hang up and adding a party', () => {
    assert.deepEqual(offered(contactActions(view())), ['addParty', 'hangUp', 'hold', 'mute']);
  });
  test('a held customer can be resumed, not held again', () => {
    const a = contactActions(view({ initialConnection: 'hold' }));
    assert.equal(a.resume, true);
    assert.equal(a.hold, false);
  });
  test('an outbound call still dialing can only be hung up', () => {
    assert.deepEqual(offered(contactActions(view({ state: 'connecting', inbound: false, initialConnection: 'connecting' }))), ['hangUp']);
  });
  test('after call work, missed and error contacts can only be cleared', () => {
    for (const state of ['ended', 'missed', 'error']) {
      assert.deepEqual(offered(contactActions(view({ state, agentConnection: 'disconnected', initialConnection: 'disconnected' }))), ['clear'], state);
    }
  });
  test('a third party still connecting allows neither swap nor join', () => {
    const a = contactActions(view({ initialConnection: 'hold', thirdParties: ['connecting'] }));
    assert.equal(a.swap, false);
    assert.equal(a.join, false);
    assert.equal(a.addParty, false);
  });
  test('an answered third party with the customer on hold allows swap and join; in conference, neither', () => {
    const consulting = contactActions(view({ initialConnection: 'hold', thirdParties: ['connected'] }));
    assert.equal(consulting.swap, true);
    assert.equal(consulting.join, true);
    const conference = contactActions(view({ initialConnection: 'connected', thirdParties: ['connected'] }));
    assert.equal(conference.swap, false);
    assert.equal(conference.join, false);
  });
  test('a connected chat offers reply and hang up, nothing voice-only', () => {
    assert.deepEqual(offered(contactActions(view({ type: 'chat', initialConnection: 'connected' }))), ['hangUp', 'reply']);
  });
});

describe('labels', () => {
  test('status words follow the state', () => {
    assert.equal(contactStatusLabel(view({ state: 'connecting', agentConnection: 'connecting' })), 'Incoming');
    assert.equal(contactStatusLabel(view({ state: 'connecting', inbound: false })), 'Dialing');
    assert.equal(contactStatusLabel(view({ initialConnection: 'hold' })), 'On hold');
    assert.equal(contactStatusLabel(view({ initialConnection: 'hold', thirdParties: ['connected'] })), 'Customer on hold');
    assert.equal(contactStatusLabel(view({ thirdParties: ['connected'] })), 'Conference');
    assert.equal(contactStatusLabel(view({ state: 'ended' })), 'After call work');
  });
  test('kinds', () => {
    assert.equal(contactKindLabel(view()), 'Inbound call');
    assert.equal(contactKindLabel(view({ inbound: false })), 'Outbound call');
    assert.equal(contactKindLabel(view({ type: 'chat' })), 'Chat');
  });
});
