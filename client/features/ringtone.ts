/**
 * The ringtone: while a contact rings (`ringtone-rules.ts`), exactly one tab of the browser plays it — the master of
 * `connect::ringtone`, asked when a ring begins (first come, first served; the engine hands the topic to another
 * willing tab when the master dies or leaves, and announces it with `master_changed`). Only CCP tabs take part (a
 * standalone CCP, or the CCP frame of a CRM, which gets the CRM's `softphone`/`chat` options through the bridge), so
 * a CRM page and its frame never both ring.
 *
 * Observable without audio hardware: the playing tab has an `<audio data-connect-ringtone="<contact type>">` element
 * in its document while ringing, and raises `ringtone::started` / `ringtone::stopped` (or `ringtone::failed` when
 * `play()` is refused, e.g. by an autoplay policy) on its bus.
 */
import type { AgentData } from '../../shared/cti';
import { ConfigurationEvents, ContactEvents, EventType, MasterTopics, RingtoneEvents } from '../../shared/enums';
import { ENGINE_EVENTS, type MasterResult } from '../../shared/protocol';
import { builtinRingtoneUrl } from './builtin-ringtone';
import type { EventBus, Subscription } from '../api/event-bus';
import type { Logger } from '../api/log';
import { RINGTONE_HEARS, type HeardEvent, type HeardName } from './heard';
import { currentRing, type Ring, type RingtoneOptions } from './ringtone-rules';

/** The attribute on the `<audio>` element of a ringing tab (its value is the contact type). */
export const RINGTONE_ATTRIBUTE = 'data-connect-ringtone';

/** Plays one looped sound at a time. */
export interface RingtonePlayer {
  /** Starts `url` looped; resolves once it plays, rejects when the browser refuses. */
  play(url: string, ring: Ring): Promise<void>;
  stop(): void;
  /** Routes the sound to an output device (`agent.setRingerDevice`), where the browser can. */
  setSinkId(deviceId: string): void;
}

/**
 * A hidden, looped `<audio>` element in the page, present only while ringing.
 *
 * @example
 * const player = new AudioRingtonePlayer(document);
 * await player.play(builtinRingtoneUrl(), { contactId, contactType: 'voice', url: undefined });
 * player.stop();
 */
export class AudioRingtonePlayer implements RingtonePlayer {
  private audio: HTMLAudioElement | null = null;
  private sinkId: string | null = null;

  constructor(private readonly doc: Document = document) {}

  play(url: string, ring: Ring): Promise<void> {
    this.stop();
    const audio = this.doc.createElement('audio');
    audio.setAttribute(RINGTONE_ATTRIBUTE, ring.contactType);
    audio.dataset.contactId = ring.contactId;
    audio.loop = true;
    audio.hidden = true;
    audio.src = url;
    (this.doc.body ?? this.doc.documentElement).append(audio);
    this.audio = audio;
    if (this.sinkId) this.applySink(audio, this.sinkId);
    return audio.play().catch((e: unknown) => {
      audio.setAttribute(`${RINGTONE_ATTRIBUTE}-blocked`, '');
      throw e;
    });
  }

  stop(): void {
    const audio = this.audio;
    if (!audio) return;
    this.audio = null;
    audio.pause();
    audio.remove();
  }

  setSinkId(deviceId: string): void {
    this.sinkId = deviceId;
    if (this.audio) this.applySink(this.audio, deviceId);
  }

  private applySink(audio: HTMLAudioElement, deviceId: string): void {
    const withSink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    withSink.setSinkId?.(deviceId).catch(() => undefined); // an unknown device keeps the default output
  }
}

/** What the ringtone reads and asks; everything the browser or the engine provides comes in here. */
export interface RingtoneDeps {
  /** The engine's current data (null when none, e.g. after logout) and whether it is confirmed. */
  data(): { data: AgentData | null; stale: boolean };
  /** Calls `f` after each applied state change; returns the function that stops it. */
  onChange(f: () => void): () => void;
  bus: EventBus;
  log: Logger;
  /** The `softphone` / `chat` options in force (read at each ring: a CRM's options may arrive late). */
  options(): RingtoneOptions;
  /** `checkMaster` of `connect::ringtone`. */
  checkMaster(topic: string): Promise<MasterResult>;
  player: RingtonePlayer;
  /** The sound when no `ringtoneUrl` is configured. */
  builtinUrl?: () => string;
  /** The events of `RINGTONE_HEARS` raised before this manager started (while its bundle loaded), in order: handled
   * as if heard, so that an accepted contact does not ring and a chosen ringer device is used. */
  heardBefore?: readonly HeardEvent[];
}

/**
 * @example
 * const ringtone = new RingtoneManager({ data, onChange, bus, log, options, checkMaster, player: new AudioRingtonePlayer() });
 * ringtone.start();
 */
export class RingtoneManager {
  private playing: Ring | null = null;
  /** Ids of contacts a tab accepted: they stop ringing before the backend moves them on. */
  private readonly accepted = new Set<string>();
  /** Whether this tab is the ringtone master, once asked for the current ring (null: not known). */
  private master: boolean | null = null;
  private asking = false;
  private playToken = 0;
  private subs: Subscription[] = [];
  private offChange: (() => void) | null = null;

  constructor(private readonly d: RingtoneDeps) {}

  start(): void {
    if (this.offChange) return;
    this.offChange = this.d.onChange(() => this.evaluate());
    const handlers: Record<HeardName, (data: unknown) => void> = {
      [ContactEvents.ACCEPTED]: (contact) => {
        const id = contactIdOf(contact);
        if (id) this.accepted.add(id);
        this.evaluate();
      },
      [ENGINE_EVENTS.MASTER_CHANGED]: (data) => {
        const change = data as Partial<MasterResult> | null;
        if (change?.topic !== MasterTopics.RINGTONE) return;
        this.master = change.isMaster === true;
        this.evaluate();
      },
      [EventType.TERMINATED]: () => this.silence('logged out'),
      [ConfigurationEvents.SET_RINGER_DEVICE]: (data) => {
        const deviceId = (data as { deviceId?: unknown } | null)?.deviceId;
        if (typeof deviceId === 'string') this.d.player.setSinkId(deviceId);
      },
    };
    this.subs = RINGTONE_HEARS.map((name) => this.d.bus.subscribe(name, handlers[name]));
    for (const e of this.d.heardBefore ?? []) handlers[e.name]?.(e.data);
    this.evaluate();
  }

  stop(): void {
    this.offChange?.();
    this.offChange = null;
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    this.silence('stopped');
  }

  /** The ring this tab plays now, if any. */
  get current(): Ring | null {
    return this.playing;
  }

  /** Brings the sound in line with the state: called after every change, acceptance and master change. */
  evaluate(): void {
    const { data, stale } = this.d.data();
    this.forgetGoneAccepted(data);
    // Stale data (restored from persistence, unconfirmed) never rings: the call may be long over.
    const want = stale ? null : currentRing(data, this.d.options(), this.accepted);
    if (!want) {
      this.master = null; // the next ring asks again (the engine may have restarted and forgotten its topics)
      this.silence('no contact rings');
      return;
    }
    if (this.master === null) {
      this.askMaster();
      return;
    }
    if (!this.master) {
      this.silence('another tab is the ringtone master');
      return;
    }
    const url = want.url ?? (this.d.builtinUrl ?? builtinRingtoneUrl)();
    if (this.playing && this.playing.contactId === want.contactId && this.playing.url === want.url) return;
    this.play(want, url);
  }

  private askMaster(): void {
    if (this.asking) return;
    this.asking = true;
    this.d.checkMaster(MasterTopics.RINGTONE).then(
      (r) => { this.master = r.isMaster; },
      (e: unknown) => {
        this.d.log.warn('ringtone: checkMaster failed; not ringing in this tab').withException(e);
        this.master = false;
      },
    ).finally(() => {
      this.asking = false;
      this.evaluate();
    });
  }

  private play(ring: Ring, url: string): void {
    this.silence('next contact');
    this.playing = ring;
    const token = ++this.playToken;
    const { bus, log } = this.d;
    const data = { contactId: ring.contactId, contactType: ring.contactType };
    log.info('ringtone: ringing for %s contact %s', ring.contactType, ring.contactId);
    this.d.player.play(url, ring).then(
      () => { if (token === this.playToken) bus.trigger(RingtoneEvents.STARTED, data); },
      (e: unknown) => {
        if (token !== this.playToken) return;
        log.warn('ringtone: the browser refused to play it (autoplay policy?)').withException(e);
        bus.trigger(RingtoneEvents.FAILED, { ...data, error: { type: errorName(e), message: String((e as Error)?.message ?? e) } });
      },
    );
  }

  private silence(reason: string): void {
    const was = this.playing;
    if (!was) return;
    this.playing = null;
    this.playToken++;
    this.d.player.stop();
    this.d.log.info('ringtone: stopped for contact %s (%s)', was.contactId, reason);
    this.d.bus.trigger(RingtoneEvents.STOPPED, { contactId: was.contactId, contactType: was.contactType });
  }

  private forgetGoneAccepted(data: AgentData | null): void {
    if (!this.accepted.size) return;
    const present = new Set((data?.snapshot.contacts ?? []).map((c) => c.contactId));
    for (const id of this.accepted) if (!present.has(id)) this.accepted.delete(id);
  }
}

function contactIdOf(contact: unknown): string | null {
  const c = contact as { getContactId?: () => string; contactId?: unknown } | null;
  if (c && typeof c.getContactId === 'function') return c.getContactId();
  return typeof c?.contactId === 'string' ? c.contactId : null;
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : 'PlayError';
}
