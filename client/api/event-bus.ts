/**
 * The tab's event bus: named, synchronous events with subscription objects, as the Streams guide describes
 * (`connect.core.getEventBus()`). A callback that throws is logged and does not stop the others.
 */
import { EventType } from '../../shared/enums';
import { getLog, type Logger } from './log';

/** Pseudo-event that `subscribeAll` listens on. */
export const ALL_EVENTS = '<<all>>';

/** `data` is `any` so that typed callbacks (`(contact: Contact) => …`) can subscribe without casts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventCallback = (this: Subscription, data: any, eventName: string, bus: EventBus) => void;

/** Turns an event's data into its API form before delivery (e.g. `{contactId}` into a `Contact`). */
export type PayloadRehydrator = (data: unknown) => unknown;

const rehydrators: { prefix: string; f: PayloadRehydrator }[] = [];

/**
 * Registers how data of events whose name starts with `prefix` is rehydrated on every bus (data that crossed tabs
 * arrives as plain JSON). Used for `contact::accepted` → `Contact` and `agent::softphone_error` → `SoftphoneError`.
 */
export function registerPayloadRehydrator(prefix: string, f: PayloadRehydrator): void {
  const existing = rehydrators.find((r) => r.prefix === prefix);
  if (existing) existing.f = f;
  else rehydrators.push({ prefix, f });
}

function rehydrate(eventName: string, data: unknown): unknown {
  for (const r of rehydrators) if (eventName.startsWith(r.prefix)) return r.f(data);
  return data;
}

let nextSubscriptionId = 1;

/**
 * A callback registered for one event name.
 *
 * @example
 * const sub = connect.core.getEventBus().subscribe('auth_fail', () => showLogin());
 * sub.unsubscribe();
 */
export class Subscription {
  readonly id: string;
  private active = true;
  /** Subscriptions that end with this one (see `EventBus.subscribeMany`). */
  private readonly linked: Subscription[] = [];

  constructor(
    private readonly bus: EventBus,
    readonly eventName: string,
    readonly f: EventCallback,
  ) {
    this.id = `sub-${nextSubscriptionId++}`;
  }

  /** Stops the callback; calling it again does nothing. */
  unsubscribe(): void {
    if (!this.active) return;
    this.active = false;
    this.bus.removeSubscription(this);
    for (const other of this.linked) other.unsubscribe();
  }

  /** @internal Makes `other` end when this subscription ends. */
  link(other: Subscription): void {
    this.linked.push(other);
  }

  /** False once unsubscribed. */
  isActive(): boolean {
    return this.active;
  }
}

export interface EventBusOptions {
  /** Trace every trigger in the log (chatty internal events excluded). */
  logEvents?: boolean;
  logger?: Logger;
}

/** Events too frequent to trace even when `logEvents` is on. */
const UNTRACED = new Set<string>([
  EventType.LOG, EventType.MASTER_RESPONSE, EventType.API_METRIC, EventType.SERVER_BOUND_INTERNAL_LOG, EventType.ACKNOWLEDGE,
]);

/**
 * Named synchronous events. `trigger` calls the `subscribeAll` callbacks first, then those of the name, each as
 * `f.call(subscription, data ?? null, eventName, bus)`.
 *
 * @example
 * const bus = connect.core.getEventBus();
 * bus.subscribe(connect.ContactEvents.CONNECTED, (contact) => console.log(contact.getContactId()));
 * bus.subscribeAll((data, name) => console.debug(name));
 */
export class EventBus {
  private readonly subs = new Map<string, Subscription[]>();
  private readonly logEvents: boolean;
  private readonly logger: Logger | undefined;

  constructor(options: EventBusOptions = {}) {
    this.logEvents = options.logEvents ?? false;
    this.logger = options.logger;
  }

  /** Calls `f` for every `trigger` of `eventName`. */
  subscribe(eventName: string, f: EventCallback): Subscription {
    if (typeof eventName !== 'string' || !eventName) throw new TypeError('subscribe: eventName must be a non-empty string');
    if (typeof f !== 'function') throw new TypeError('subscribe: f must be a function');
    const sub = new Subscription(this, eventName, f);
    const list = this.subs.get(eventName);
    if (list) list.push(sub);
    else this.subs.set(eventName, [sub]);
    return sub;
  }

  /** Calls `f` for every event, before the named subscribers. */
  subscribeAll(f: EventCallback): Subscription {
    return this.subscribe(ALL_EVENTS, f);
  }

  /**
   * Subscribes `f` to several events at once; the returned subscription (named after the first) ends all of them.
   */
  subscribeMany(eventNames: readonly string[], f: EventCallback): Subscription {
    const [first, ...rest] = eventNames;
    if (first === undefined) throw new TypeError('subscribeMany: at least one event name is needed');
    const main = this.subscribe(first, f);
    for (const name of rest) main.link(this.subscribe(name, f));
    return main;
  }

  /** True when a `trigger(eventName)` would call anything (`subscribeAll` callbacks count). */
  hasSubscribers(eventName: string): boolean {
    return this.subs.has(ALL_EVENTS) || this.subs.has(eventName);
  }

  /** The active subscriptions of `eventName` (a copy). */
  getSubscriptions(eventName: string): Subscription[] {
    return [...(this.subs.get(eventName) ?? [])];
  }

  /**
   * Delivers an event synchronously. Subscriptions made during delivery start with the next trigger; ones removed
   * during delivery are not called.
   */
  trigger(eventName: string, data?: unknown): void {
    if (this.logEvents && !UNTRACED.has(eventName)) this.log().trace('Publishing event: %s', eventName);
    // Copies, so that subscriptions made during delivery start with the next trigger. Nothing to copy is the
    // common case (per-contact names nobody listens to): no payload is built then either.
    const all = this.subs.get(ALL_EVENTS);
    const named = eventName === ALL_EVENTS ? undefined : this.subs.get(eventName);
    if (!all && !named) return;
    const targets = all && named ? [...all, ...named] : (all ?? named)!.slice();
    const payload = rehydrate(eventName, data ?? null) ?? null;
    for (const sub of targets) {
      if (!sub.isActive()) continue;
      try {
        sub.f.call(sub, payload, eventName, this);
      } catch (e) {
        this.log().error('A callback for event %s threw', eventName).withException(e);
      }
    }
  }

  /** A function that re-triggers on this bus: `(data, eventName) => bus.trigger(eventName, data)`. */
  bridge(): (data: unknown, eventName: string) => void {
    return (data, eventName) => this.trigger(eventName, data);
  }

  /** Removes every subscription. */
  unsubscribeAll(): void {
    const all = [...this.subs.values()].flat();
    this.subs.clear();
    for (const sub of all) sub.unsubscribe();
  }

  /** Removes every subscription of one event name (per-contact cleanup). */
  unsubscribeEvent(eventName: string): void {
    for (const sub of this.getSubscriptions(eventName)) sub.unsubscribe();
  }

  /** @internal Called by `Subscription.unsubscribe`. */
  removeSubscription(sub: Subscription): void {
    const list = this.subs.get(sub.eventName);
    if (!list) return;
    const i = list.indexOf(sub);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.subs.delete(sub.eventName);
  }

  private log(): Logger {
    return this.logger ?? getLog();
  }
}
