import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContactEvents, EventType, MasterTopics, RingtoneEvents } from '../../shared/enums';
import { ENGINE_EVENTS, type MasterResult, type StateFull } from '../../shared/protocol';
import { builtinRingtoneUrl, ringtoneSamples, wavFile } from './builtin-ringtone';
import { RingtoneManager } from './ringtone';
import type { RingtoneOptions } from './ringtone-rules';
import { freshContext } from '../../testing/client/context';
import { FakePlayer } from '../../testing/client/fake-ringtone-player';
import { flush } from '../../testing/client/fake-upstream';
import { fixture } from '../../testing/client/fixtures';

function setup(opts: { isMaster?: boolean | (() => boolean); options?: RingtoneOptions; state?: StateFull } = {}) {
  const { ctx } = freshContext();
  const player = new FakePlayer();
  const events: { name: string; data: unknown }[] = [];
  for (const name of Object.values(RingtoneEvents)) ctx.bus.subscribe(name, (data: unknown) => events.push({ name, data }));
  const masterCalls: string[] = [];
  const isMaster = opts.isMaster ?? true;
  const manager = new RingtoneManager({
    data: () => ({ data: ctx.state.current().data, stale: !!ctx.state.current().stale }),
    onChange: (f) => { ctx.state.addEventListener('change', f); return () => ctx.state.removeEventListener('change', f); },
    bus: ctx.bus,
    log: ctx.log,
    options: () => opts.options ?? {},
    checkMaster: (topic) => {
      masterCalls.push(topic);
      const m = typeof isMaster === 'function' ? isMaster() : isMaster;
      return Promise.resolve<MasterResult>({ topic, masterId: m ? 'me' : 'other', isMaster: m });
    },
    player,
    builtinUrl: () => 'data:audio/wav;base64,BUILTIN',
  });
  manager.start();
  const apply = (name: 'inbound-voice-connecting' | 'voice-connected-third-party' | 'agent-available' | 'chat-callback-task', version: number) =>
    ctx.state.apply(fixture(name, { version }));
  return { ctx, player, events, masterCalls, manager, apply };
}

describe('RingtoneManager', () => {
  test('the master tab plays while the call is connecting and stops when it connects', async () => {
    const { player, events, masterCalls, apply } = setup();
    apply('agent-available', 1);
    apply('inbound-voice-connecting', 2);
    await flush();
    assert.deepEqual(masterCalls, [MasterTopics.RINGTONE]);
    assert.equal(player.playing?.ring.contactId, 'c-voice-1');
    assert.equal(player.playing?.url, 'data:audio/wav;base64,BUILTIN');
    apply('voice-connected-third-party', 3);
    await flush();
    assert.equal(player.playing, null);
    assert.deepEqual(events.map((e) => e.name), [RingtoneEvents.STARTED, RingtoneEvents.STOPPED]);
    assert.deepEqual(events[0]!.data, { contactId: 'c-voice-1', contactType: 'voice' });
  });

  test('a tab that is not the master stays silent', async () => {
    const { player, events, masterCalls, apply } = setup({ isMaster: false });
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.deepEqual(masterCalls, [MasterTopics.RINGTONE]);
    assert.equal(player.playing, null);
    assert.deepEqual(player.calls, []);
    assert.deepEqual(events, []);
  });

  test('accepting in any tab stops it before the backend moves the contact on', async () => {
    const { ctx, player, apply } = setup();
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.ok(player.playing);
    ctx.bus.trigger(ContactEvents.ACCEPTED, { contactId: 'c-voice-1' });
    assert.equal(player.playing, null);
  });

  test('the contact leaving (missed, then destroyed) stops it', async () => {
    const { player, apply } = setup();
    apply('inbound-voice-connecting', 1);
    await flush();
    apply('agent-available', 2);
    assert.equal(player.playing, null);
  });

  test('disableRingtone: nothing plays and the master is not even asked', async () => {
    const { player, masterCalls, apply } = setup({ options: { softphone: { disableRingtone: true } } });
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.deepEqual(masterCalls, []);
    assert.equal(player.playing, null);
  });

  test('the configured ringtoneUrl is played', async () => {
    const { player, apply } = setup({ options: { softphone: { ringtoneUrl: 'https://crm.example/ring.mp3' } } });
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.equal(player.playing?.url, 'https://crm.example/ring.mp3');
  });

  test('stale (persisted, unconfirmed) data never rings', async () => {
    const { ctx, player, masterCalls } = setup();
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1, stale: true }));
    await flush();
    assert.deepEqual(masterCalls, []);
    assert.equal(player.playing, null);
  });

  test('a refused play() is logged and reported as ringtone::failed', async () => {
    const { ctx, player, events, apply } = setup();
    player.refuse = true;
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.deepEqual(events.map((e) => e.name), [RingtoneEvents.FAILED]);
    assert.ok(ctx.log.getLogs().some((e) => /refused to play/.test(e.text)));
  });

  test('the ring moves here when the engine hands this tab the topic (master_changed), and away on take-over', async () => {
    const { ctx, player, apply } = setup({ isMaster: false });
    apply('inbound-voice-connecting', 1);
    await flush();
    assert.equal(player.playing, null);
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { topic: MasterTopics.RINGTONE, masterId: 'me', isMaster: true });
    assert.equal(player.current()?.ring.contactId, 'c-voice-1');
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { topic: MasterTopics.SOFTPHONE, masterId: 'x', isMaster: false });
    assert.ok(player.playing, 'another topic changes nothing');
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { topic: MasterTopics.RINGTONE, masterId: 'other', isMaster: false });
    assert.equal(player.playing, null);
  });

  test('each new ring asks the engine again (it may have restarted)', async () => {
    let master = false;
    const { player, masterCalls, apply } = setup({ isMaster: () => master });
    apply('inbound-voice-connecting', 1);
    await flush();
    apply('agent-available', 2);
    master = true;
    apply('inbound-voice-connecting', 3);
    await flush();
    assert.equal(masterCalls.length, 2);
    assert.ok(player.playing);
  });

  test('logout (terminated) and stop() silence it; setRingerDevice routes the sound', async () => {
    const { ctx, player, manager, apply } = setup();
    apply('inbound-voice-connecting', 1);
    await flush();
    ctx.bus.trigger('configuration::set_ringer_device', { deviceId: 'speaker-2' });
    assert.equal(player.sink, 'speaker-2');
    ctx.bus.trigger(EventType.TERMINATED, null);
    assert.equal(player.playing, null);
    manager.stop();
    apply('voice-connected-third-party', 2);
    apply('inbound-voice-connecting', 3);
    await flush();
    assert.equal(player.playing, null, 'stopped managers do not ring');
  });

  test('a queued callback rings while incoming', async () => {
    const { player, apply } = setup();
    apply('chat-callback-task', 1);
    await flush();
    assert.equal(player.playing?.ring.contactType, 'queue_callback');
  });
});

describe('built-in ringtone', () => {
  test('a valid 8 kHz 8-bit mono WAV with sound and silence', () => {
    const samples = ringtoneSamples();
    assert.equal(samples.length, 16000, 'two seconds at 8 kHz');
    const wav = wavFile(samples);
    assert.equal(String.fromCharCode(...wav.subarray(0, 4)), 'RIFF');
    assert.equal(String.fromCharCode(...wav.subarray(8, 12)), 'WAVE');
    const view = new DataView(wav.buffer);
    assert.equal(view.getUint32(24, true), 8000);
    assert.equal(view.getUint32(40, true), samples.length);
    assert.ok(samples.slice(0, 3200).some((s) => Math.abs(s - 128) > 20), 'the first ring is audible');
    assert.ok(samples.slice(8000).every((s) => s === 128), 'the last second is silent');
  });

  test('a data URL, made once', () => {
    const url = builtinRingtoneUrl();
    assert.match(url, /^data:audio\/wav;base64,UklGR/);
    assert.equal(builtinRingtoneUrl(), url);
  });
});
