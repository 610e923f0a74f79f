/**
 * The state a tab renders: the engine's latest `StateFull`, kept current by full states and deltas. Every applied
 * change is turned into Streams events (`shared/events.ts`) and raised on the tab's bus with API-object payloads.
 *
 * `TabState` is an `EventTarget`: it dispatches `change` after each applied message (after the bus events).
 */
import type { AgentData, Contact } from '../../shared/cti';
import { applyDelta, deltaTouchesData, jsonEqual } from '../../shared/delta';
import { decodeDeltaEvents } from '../../shared/delta-events';
import { ContactEvents, AgentEvents } from '../../shared/enums';
import { contactEventName, deriveEvents, type AgentStateChange, type StreamsEvent } from '../../shared/events';
import { DownType, type StateDelta, type StateFull } from '../../shared/protocol';
import type { EventBus } from './event-bus';
import { getLog, type Logger } from './log';

export type ApplyOutcome = 'applied' | 'gap' | 'stale-ignored';

/** Builds the payload of each raised event (the API layer installs one that hands out `Agent`/`Contact` objects). */
export interface EventPayloads {
  agent(): unknown;
  stateChange(change: AgentStateChange): unknown;
  /** A contact event; `last` is the contact's latest data (it may have just left the snapshot). */
  contact(contactId: string, last: Contact | undefined): unknown;
  /** `contact::destroyed`: the contact's last data. */
  destroyedContact(last: Contact): unknown;
}

/** Payloads as plain data (used until the API layer installs its own, and by tests). */
export const RAW_PAYLOADS: EventPayloads = {
  agent: () => null,
  stateChange: (change) => change,
  contact: (contactId, last) => last ?? { contactId },
  destroyedContact: (last) => last,
};

const CONTACT_EVENT_NAMES: readonly string[] = Object.values(ContactEvents);

function emptyState(): StateFull {
  return { type: DownType.STATE, version: -1, data: null, skew: 0 };
}

/**
 * @example
 * const state = new TabState(bus);
 * if (state.apply(msg, engineId) === 'gap') link.resync();
 */
export class TabState extends EventTarget {
  private full: StateFull = emptyState();
  /** The last non-null data: what the API reads while the engine has none (e.g. right after it restarted). */
  private lastData: AgentData | null = null;
  private engine: string | null = null;
  /** Contacts whose `contact::init` has been raised and that have not been destroyed since. */
  private readonly announced = new Set<string>();
  private readonly queue: StreamsEvent[][] = [];
  private raising = false;

  constructor(
    private readonly bus: EventBus,
    public payloads: EventPayloads = RAW_PAYLOADS,
    private readonly log: Logger = getLog(),
  ) {
    super();
  }

  /** The version of the engine state this tab holds (-1 before any). */
  get version(): number {
    return this.full.version;
  }

  /** The agent data to render: the latest the engine sent, or the last known one while it has none. */
  get data(): AgentData | null {
    return this.full.data ?? this.lastData;
  }

  /** Server clock minus local clock, ms. */
  get skew(): number {
    return this.full.skew;
  }

  /** True while the data is not confirmed by the engine (restored from persistence, or the engine has none). */
  get stale(): boolean {
    return !!this.full.stale || (this.full.data === null && this.lastData !== null);
  }

  /** True once any agent data has been received. */
  get initialized(): boolean {
    return this.lastData !== null;
  }

  /** The id of the engine the state came from, if known. */
  get engineId(): string | null {
    return this.engine;
  }

  /** The engine's state as received (a delta base). */
  current(): StateFull {
    return this.full;
  }

  /** The data of a contact present in the snapshot. */
  contact(contactId: string): Contact | undefined {
    return this.data?.snapshot.contacts.find((c) => c.contactId === contactId);
  }

  /** Ids of contacts present now whose `contact::init` was raised (what `connect.contact` replays), in order. */
  announcedContactIds(): string[] {
    return (this.data?.snapshot.contacts ?? []).map((c) => c.contactId).filter((id) => this.announced.has(id));
  }

  /**
   * Applies a state message. A full state replaces the current one when it is not older (or is the first from this
   * engine, or confirms stale data); a delta must follow the current version, else `'gap'` (ask for a resync).
   * `engineId` (from the welcome) tells a restarted engine apart: its versions start over.
   */
  apply(msg: StateFull | StateDelta, engineId?: string): ApplyOutcome {
    const known = engineId || undefined;
    if (msg.type === DownType.STATE) {
      // The first state of an engine we have not heard from (restarted, or our data came from persistence) wins:
      // its versions need not continue ours, and refusing it would make every later delta a gap.
      const fromNewEngine = known !== undefined && known !== this.engine;
      const confirmsStale = !!this.full.stale && !msg.stale;
      if (!fromNewEngine && !confirmsStale && msg.version < this.full.version) return 'stale-ignored';
      this.commit(msg, known);
      return 'applied';
    }
    if (known !== undefined && known !== this.engine) return 'gap';
    if (msg.version <= this.full.version) return 'stale-ignored';
    const next = applyDelta(this.full, msg);
    if (!next) return 'gap';
    // The engine sends a data field only when it changed (see worker/publisher.ts), so a delta that carries one
    // changed the data, and one that carries none (skew, stale) did not: no deep comparison on the hot path.
    const dataChanged = deltaTouchesData(msg);
    this.commit(next, known, dataChanged, dataChanged ? this.engineEvents(msg, next) : undefined);
    return 'applied';
  }

  /** The events the engine derived for this delta (which follows the state held), checked; undefined when it sent
   * none or a malformed list: the tab then derives them itself. */
  private engineEvents(msg: StateDelta, next: StateFull): StreamsEvent[] | undefined {
    const prev = this.full.data;
    if (msg.events === undefined || !prev || !next.data) return undefined;
    const events = decodeDeltaEvents(msg.events, prev, next.data);
    if (!events) this.log.warn('The engine sent malformed events with version %d: deriving them here', msg.version);
    return events ?? undefined;
  }

  /** Forgets everything (terminate / logout). Raises nothing. */
  reset(): void {
    this.full = emptyState();
    this.lastData = null;
    this.engine = null;
    this.announced.clear();
    this.queue.length = 0;
  }

  /** `dataChanged`: known from a delta; undefined for a full state, which is compared with the data held.
   * `derived`: the change's events as the engine derived them (a delta), else they are derived here. */
  private commit(next: StateFull, engineId: string | undefined, dataChanged?: boolean, derived?: StreamsEvent[]): void {
    const prevData = this.lastData;
    this.full = next;
    if (engineId !== undefined) this.engine = engineId;
    if (next.data) this.lastData = next.data;
    const changed = next.data !== null && (dataChanged ?? !jsonEqual(prevData, next.data));
    if (changed) this.enqueue(derived ?? deriveEvents(prevData, next.data!, { fromDelta: dataChanged !== undefined }));
    this.dispatchEvent(new Event('change'));
  }

  /** Raises batches in order; a change applied from inside a callback is raised after the current batch. */
  private enqueue(events: StreamsEvent[]): void {
    this.queue.push(events);
    if (this.raising) return;
    this.raising = true;
    try {
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) {
        for (const e of batch) this.raise(e);
      }
    } finally {
      this.raising = false;
    }
  }

  private raise(e: StreamsEvent): void {
    if (e.name === ContactEvents.INIT && e.contactId) this.announced.add(e.contactId);
    // Raised under its name, then (a contact event) under its per-contact name: see `busNamesOf`. Building API
    // objects for an event nobody hears is most of a tab's work per change: skip it (and allocate nothing).
    const perContact = e.contactId ? contactEventName(e.name, e.contactId) : undefined;
    const heard = this.bus.hasSubscribers(e.name);
    const heardPerContact = perContact !== undefined && this.bus.hasSubscribers(perContact);
    if (heard || heardPerContact) {
      let payload: unknown;
      try {
        payload = this.payloadOf(e);
      } catch (err) {
        this.log.error('Could not build the payload of %s', e.name).withException(err);
        return;
      }
      this.bus.trigger(e.name, payload);
      if (perContact !== undefined) this.bus.trigger(perContact, payload);
    }
    if (e.name === ContactEvents.DESTROYED && e.contactId) this.forgetContact(e.contactId);
  }

  private payloadOf(e: StreamsEvent): unknown {
    if (e.name === AgentEvents.STATE_CHANGE) return this.payloads.stateChange(e.data as AgentStateChange);
    if (!e.contactId) return this.payloads.agent();
    if (e.name === ContactEvents.DESTROYED) return this.payloads.destroyedContact(e.data as Contact);
    // A contact that just left (its `ended` comes before its `destroyed`) is described by its last data.
    return this.payloads.contact(e.contactId, this.contact(e.contactId) ?? (e.data as Contact | undefined));
  }

  private forgetContact(contactId: string): void {
    this.announced.delete(contactId);
    for (const name of CONTACT_EVENT_NAMES) this.bus.unsubscribeEvent(contactEventName(name, contactId));
  }
}
