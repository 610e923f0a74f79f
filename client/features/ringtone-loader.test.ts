import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigurationEvents, ContactEvents, MasterTopics, RingtoneEvents } from '../../shared/enums';
import { ENGINE_EVENTS, ErrorType, wireError, type MasterResult } from '../../shared/protocol';
import { RingtoneManager } from './ringtone';
import { RINGTONE_HEARS, type RingtoneApi, type RingtoneStartOptions } from './ringtone-loader';
import { MAX_HEARD_BEFORE, startRingtoneOnDemand } from './ringtone-loader';
import { freshContext } from '../../testing/client/context';
import { FakePlayer } from '../../testing/client/fake-ringtone-player';
import { flush } from '../../testing/client/fake-upstream';
import { fixture } from '../../testing/client/fixtures';

/** A bundle that arrives when the test says so, and runs the real ringtone over a fake player. */
function deferredBundle() {
  const player = new FakePlayer();
  const started: RingtoneStartOptions[] = [];
  let arrive!: (api: RingtoneApi) => void;
  let fail!: (e: unknown) => void;
  const loaded = new Promise<RingtoneApi>((resolve, reject) => { arrive = resolve; fail = reject; });
  const api: RingtoneApi = {
    startRingtone: (o) => {
      started.push(o);
      const manager = new RingtoneManager({ ...o, player, builtinUrl: () => 'data:audio/wav;base64,BUILTIN' });
      manager.start();
      return manager;
    },
  };
  return { player, started, load: () => loaded, arrive: () => arrive(api), fail };
}

function setup() {
  const { ctx } = freshContext();
  const masterCalls: string[] = [];
  const deps = {
    data: () => ({ data: ctx.state.current().data, stale: !!ctx.state.current().stale }),
    onChange: (f: () => void) => { ctx.state.addEventListener('change', f); return () => ctx.state.removeEventListener('change', f); },
    bus: ctx.bus,
    log: ctx.log,
    options: () => ({}),
    checkMaster: (topic: string) => {
      masterCalls.push(topic);
      return Promise.resolve<MasterResult>({ topic, masterId: 'me', isMaster: true });
    },
  };
  const subscriptions = (): number => RINGTONE_HEARS.reduce((n, name) => n + ctx.bus.getSubscriptions(name).length, 0);
  return { ctx, deps, masterCalls, subscriptions };
}

describe('the ringtone, loaded on demand', () => {
  test('a call already ringing when the bundle arrives rings at once', async () => {
    const { ctx, deps, masterCalls } = setup();
    const bundle = deferredBundle();
    startRingtoneOnDemand(deps, bundle.load);
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1 }));
    await flush();
    assert.equal(bundle.player.playing, null, 'nothing plays before the bundle');
    bundle.arrive();
    await flush();
    assert.deepEqual(masterCalls, [MasterTopics.RINGTONE]);
    assert.equal(bundle.player.current()?.ring.contactId, 'c-voice-1');
  });

  test('what was heard while loading is handed over in order: an accepted contact does not ring, the device is used', async () => {
    const { ctx, deps, subscriptions } = setup();
    const bundle = deferredBundle();
    const before = subscriptions();
    startRingtoneOnDemand(deps, bundle.load);
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1 }));
    ctx.bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'speaker-2' });
    ctx.bus.trigger(ContactEvents.ACCEPTED, { contactId: 'c-voice-1' });
    ctx.bus.trigger('agent::refresh', null); // not one the ringtone hears: not kept
    bundle.arrive();
    await flush();
    const heard = bundle.started[0]!.heardBefore!;
    assert.deepEqual(heard.map((e) => e.name), [ConfigurationEvents.SET_RINGER_DEVICE, ContactEvents.ACCEPTED]);
    assert.deepEqual(heard[0]!.data, { deviceId: 'speaker-2' });
    // As the bus delivers it (an API Contact), which is what the ringtone would have received.
    assert.equal((heard[1]!.data as { getContactId(): string }).getContactId(), 'c-voice-1');
    assert.equal(bundle.player.sink, 'speaker-2');
    assert.equal(bundle.player.playing, null, 'the accepted contact does not ring');
    // The page stopped keeping; the ringtone now listens itself (once per event).
    assert.equal(subscriptions(), before + RINGTONE_HEARS.length);
    ctx.bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: 'speaker-3' });
    assert.equal(bundle.player.sink, 'speaker-3');
  });

  test('a master change heard while loading counts', async () => {
    const { ctx, deps, masterCalls } = setup();
    const bundle = deferredBundle();
    startRingtoneOnDemand(deps, bundle.load);
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { topic: MasterTopics.RINGTONE, masterId: 'me', isMaster: true });
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1 }));
    bundle.arrive();
    await flush();
    assert.deepEqual(bundle.started[0]!.heardBefore?.map((e) => e.name), [ENGINE_EVENTS.MASTER_CHANGED]);
    assert.equal(bundle.player.current()?.ring.contactId, 'c-voice-1');
    assert.deepEqual(masterCalls, [], 'the master change made asking unnecessary');
  });

  test('at most MAX_HEARD_BEFORE events are kept, the latest', async () => {
    const { ctx, deps } = setup();
    const bundle = deferredBundle();
    startRingtoneOnDemand(deps, bundle.load);
    for (let i = 0; i < MAX_HEARD_BEFORE + 5; i++) ctx.bus.trigger(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId: `d${i}` });
    bundle.arrive();
    await flush();
    const heard = bundle.started[0]!.heardBefore!;
    assert.equal(heard.length, MAX_HEARD_BEFORE);
    assert.deepEqual(heard.at(-1)!.data, { deviceId: `d${MAX_HEARD_BEFORE + 4}` });
    assert.equal(bundle.player.sink, `d${MAX_HEARD_BEFORE + 4}`);
  });

  test('stopped before the bundle arrives (terminate): it never starts and nothing is left listening', async () => {
    const { ctx, deps, subscriptions } = setup();
    const bundle = deferredBundle();
    const before = subscriptions();
    const handle = startRingtoneOnDemand(deps, bundle.load);
    assert.equal(subscriptions(), before + RINGTONE_HEARS.length);
    handle.stop();
    assert.equal(subscriptions(), before);
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1 }));
    bundle.arrive();
    await flush();
    assert.deepEqual(bundle.started, []);
    assert.equal(bundle.player.playing, null);
  });

  test('stopped after it started: the ringtone stops', async () => {
    const { ctx, deps, subscriptions } = setup();
    const bundle = deferredBundle();
    const before = subscriptions();
    const handle = startRingtoneOnDemand(deps, bundle.load);
    ctx.state.apply(fixture('inbound-voice-connecting', { version: 1 }));
    bundle.arrive();
    await flush();
    assert.ok(bundle.player.playing);
    const events: string[] = [];
    ctx.bus.subscribe(RingtoneEvents.STOPPED, () => events.push('stopped'));
    handle.stop();
    assert.equal(bundle.player.playing, null);
    assert.deepEqual(events, ['stopped']);
    assert.equal(subscriptions(), before);
  });

  test('a bundle that cannot load is logged as a typed error; nothing is left listening', async () => {
    const { ctx, deps, subscriptions } = setup();
    const bundle = deferredBundle();
    const before = subscriptions();
    startRingtoneOnDemand(deps, bundle.load);
    bundle.fail(wireError(ErrorType.NOT_CONNECTED, 'could not load /connect-ringtone.js'));
    await flush();
    const error = ctx.log.getLogs().find((e) => e.level === 'ERROR' && /ringtone: could not load it/.test(e.text));
    assert.ok(error, 'logged');
    assert.match(error.text, /"type":"NotConnectedError".*could not load \/connect-ringtone\.js/);
    assert.equal(subscriptions(), before);
  });
});
