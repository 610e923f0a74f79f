import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contact } from '../../shared/cti';
import { ContactStateType, ContactType } from '../../shared/enums';
import { fixture } from '../../testing/client/fixtures';
import { currentRing, ringFor, type RingtoneOptions } from './ringtone-rules';

function voice(state: string, opts: { inbound?: boolean; softphone?: boolean } = {}): Contact {
  const c = structuredClone(fixture('inbound-voice-connecting').data!.snapshot.contacts[0]!);
  c.state.type = state;
  if (opts.inbound === false) c.connections.find((x) => x.initial)!.type = 'outbound';
  if (opts.softphone === false) for (const conn of c.connections) delete conn.softphoneMediaInfo;
  return c;
}

function ofType(type: string, state: string): Contact {
  const c = voice(state);
  c.type = type;
  return c;
}

const NONE: RingtoneOptions = {};
const CHAT_ON: RingtoneOptions = { chat: { ringtoneUrl: 'https://crm.example/chat.mp3' } };

describe('ringFor: the original ringtone engines as a table', () => {
  const cases: [string, Contact, RingtoneOptions, boolean][] = [
    ['inbound softphone voice, connecting', voice(ContactStateType.CONNECTING), NONE, true],
    ['inbound softphone voice, incoming', voice(ContactStateType.INCOMING), NONE, true],
    ['voice, connected', voice(ContactStateType.CONNECTED), NONE, false],
    ['voice, missed', voice(ContactStateType.MISSED), NONE, false],
    ['voice, ended', voice(ContactStateType.ENDED), NONE, false],
    ['outbound voice, connecting', voice(ContactStateType.CONNECTING, { inbound: false }), NONE, false],
    ['desk-phone voice (no softphone media), connecting', voice(ContactStateType.CONNECTING, { softphone: false }), NONE, false],
    ['voice with disableRingtone', voice(ContactStateType.CONNECTING), { softphone: { disableRingtone: true } }, false],
    ['queue callback, incoming', ofType(ContactType.QUEUE_CALLBACK, ContactStateType.INCOMING), NONE, true],
    ['queue callback, connecting', ofType(ContactType.QUEUE_CALLBACK, ContactStateType.CONNECTING), NONE, false],
    ['queue callback with disableRingtone', ofType(ContactType.QUEUE_CALLBACK, ContactStateType.INCOMING), { softphone: { disableRingtone: true } }, false],
    ['chat, connecting, no chat ringtone configured', ofType(ContactType.CHAT, ContactStateType.CONNECTING), NONE, false],
    ['chat, connecting, chat ringtone configured', ofType(ContactType.CHAT, ContactStateType.CONNECTING), CHAT_ON, true],
    ['chat, connected', ofType(ContactType.CHAT, ContactStateType.CONNECTED), CHAT_ON, false],
    ['chat ringtone disabled', ofType(ContactType.CHAT, ContactStateType.CONNECTING), { chat: { ringtoneUrl: 'x.mp3', disableRingtone: true } }, false],
    ['task, connecting', ofType(ContactType.TASK, ContactStateType.CONNECTING), CHAT_ON, false],
  ];
  for (const [name, contact, options, rings] of cases) {
    test(`${name} → ${rings ? 'rings' : 'silent'}`, () => {
      assert.equal(ringFor(contact, options) !== null, rings);
    });
  }

  test('the configured url is used; none means the built-in one', () => {
    assert.equal(ringFor(voice('connecting'), { softphone: { ringtoneUrl: 'https://crm.example/ring.mp3' } })?.url, 'https://crm.example/ring.mp3');
    assert.equal(ringFor(voice('connecting'), NONE)?.url, undefined);
    assert.equal(ringFor(ofType(ContactType.CHAT, 'connecting'), CHAT_ON)?.url, 'https://crm.example/chat.mp3');
  });
});

describe('currentRing', () => {
  test('the first ringing contact that no tab accepted yet', () => {
    const data = fixture('inbound-voice-connecting').data!;
    const second = voice(ContactStateType.CONNECTING);
    second.contactId = 'c-voice-2';
    data.snapshot.contacts.push(second);
    assert.equal(currentRing(data, NONE, new Set())?.contactId, 'c-voice-1');
    assert.equal(currentRing(data, NONE, new Set(['c-voice-1']))?.contactId, 'c-voice-2');
    assert.equal(currentRing(data, NONE, new Set(['c-voice-1', 'c-voice-2'])), null);
    assert.equal(currentRing(null, NONE, new Set()), null);
  });

  test('recorded states: a connecting inbound call rings, a connected one does not, a callback does', () => {
    assert.equal(currentRing(fixture('inbound-voice-connecting').data, NONE, new Set())?.contactType, 'voice');
    assert.equal(currentRing(fixture('voice-connected-third-party').data, NONE, new Set()), null);
    assert.equal(currentRing(fixture('chat-callback-task').data, NONE, new Set())?.contactType, 'queue_callback');
  });
});
