/**
 * The Streams events of one state change: `deriveEvents(prev, next)` lists, in order, the agent and contact events a
 * tab raises when its state goes from `prev` to `next`. Pure and deterministic, so every tab raises the same events
 * in the same order for the same change.
 *
 * Order: `agent::init` (first data) → `agent::refresh` → routing (`agent::routable|not_routable|offline`, on
 * `state.type`) → `agent::state_change` then `agent::error` / `agent::acw` (on `state.name`) → contacts: added (in
 * `next` order: `contact::init`, transitions from `init`, `contact::refresh`), removed (in `prev` order:
 * `contact::ended` if it left from an active state, then `contact::destroyed`), common (in `next` order:
 * transitions when the state type changed, then `contact::refresh` when the contact's data changed).
 *
 * Differences from the original runtime, following the API guide: `contact::missed` also for incoming/pending →
 * missed; `contact::error` on → `error` (the original's rule could never match); `contact::ended` once per exit from
 * an active state, also when the contact disappears straight from one; `agent::contact_pending` when a contact enters
 * `pending`; `contact::refresh` only for contacts whose data changed (the original refreshed every contact on every
 * update, including the unchanged 30 s configuration rounds).
 */
import type { AgentData, Contact } from './cti';
import { jsonEqual } from './delta';
import {
  AgentAvailStates, AgentErrorStates, AgentEvents, AgentStateType, CONTACT_ACTIVE_STATES, ContactEvents,
  ContactStateType,
} from './enums';

/** `agent::state_change` data: names of the old and new agent state. */
export interface AgentStateChange {
  oldState: string;
  newState: string;
}

/** One event to raise. Events with a `contactId` are raised under `name` and under `<name>::<contactId>`. */
export interface StreamsEvent {
  name: AgentEvents | ContactEvents;
  contactId?: string;
  /** `agent::state_change`: the names; `agent::contact_pending`: which contact; `contact::destroyed` (and the
   * `contact::ended` of a contact that left straight from an active state): its last data. */
  data?: AgentStateChange | { contactId: string } | Contact;
}

/** The agent state name the original reports as the "old state" of the first state change. */
export const INITIAL_AGENT_STATE_NAME = AgentAvailStates.INIT;

const AGENT_ERROR_NAMES: ReadonlySet<string> = new Set(Object.values(AgentErrorStates));
const MISSABLE_FROM: ReadonlySet<string> = new Set([
  ContactStateType.INCOMING, ContactStateType.PENDING, ContactStateType.CONNECTING,
]);
/** The genuine library's state type of a rejected contact (not in the guide's `ContactStateType`; our backend drops a
 * rejected contact instead, but an engine may relay a snapshot that has one). */
const REJECTED_STATE = 'rejected';
const MISSED_TO: ReadonlySet<string> = new Set([ContactStateType.MISSED, ContactStateType.ERROR, REJECTED_STATE]);

/** The routing event of an agent state type, if it has one. */
const ROUTING_EVENTS: Readonly<Record<string, AgentEvents>> = {
  [AgentStateType.ROUTABLE]: AgentEvents.ROUTABLE,
  [AgentStateType.NOT_ROUTABLE]: AgentEvents.NOT_ROUTABLE,
  [AgentStateType.OFFLINE]: AgentEvents.OFFLINE,
};

/**
 * The events of a contact's state type going `from` → `to` (`from` is `init` for a contact seen for the first time),
 * in the order they are raised. Nothing when the type did not change.
 */
export function contactTransitionEvents(from: string, to: string): (ContactEvents | AgentEvents)[] {
  if (from === to) return [];
  // As the genuine library orders them: first the rules that hold from any state, then those of this `from` state.
  const out: (ContactEvents | AgentEvents)[] = [];
  if (to === ContactStateType.INCOMING) out.push(ContactEvents.INCOMING);
  if (to === ContactStateType.PENDING) out.push(ContactEvents.PENDING, AgentEvents.CONTACT_PENDING);
  if (to === ContactStateType.CONNECTING) out.push(ContactEvents.CONNECTING);
  if (to === ContactStateType.CONNECTED) out.push(ContactEvents.CONNECTED);
  if (to === ContactStateType.ENDED) out.push(ContactEvents.ACW);
  if (to === ContactStateType.ERROR) out.push(ContactEvents.ERROR);
  const missed = MISSABLE_FROM.has(from) && MISSED_TO.has(to);
  const ended = CONTACT_ACTIVE_STATES.has(from) && !CONTACT_ACTIVE_STATES.has(to) && to !== ContactStateType.INIT;
  // → error: missed before ended; → missed / rejected: ended before missed (the genuine rules' registration order).
  if (missed && to === ContactStateType.ERROR) out.push(ContactEvents.MISSED);
  if (ended) out.push(ContactEvents.ENDED);
  if (missed && to !== ContactStateType.ERROR) out.push(ContactEvents.MISSED);
  return out;
}

/** The agent events of the agent state going from `prev` to `next` (null: first data). */
function agentEvents(prev: AgentData | null, next: AgentData): StreamsEvent[] {
  const out: StreamsEvent[] = [];
  if (!prev) out.push({ name: AgentEvents.INIT });
  out.push({ name: AgentEvents.REFRESH });
  const oldType = prev?.snapshot.state.type ?? AgentStateType.INIT;
  const newType = next.snapshot.state.type;
  if (oldType !== newType && ROUTING_EVENTS[newType]) out.push({ name: ROUTING_EVENTS[newType] });
  const oldName = prev?.snapshot.state.name ?? INITIAL_AGENT_STATE_NAME;
  const newName = next.snapshot.state.name;
  if (oldName !== newName) {
    out.push({ name: AgentEvents.STATE_CHANGE, data: { oldState: oldName, newState: newName } });
    if (AGENT_ERROR_NAMES.has(newName)) out.push({ name: AgentEvents.ERROR });
    if (newName === AgentAvailStates.AFTER_CALL_WORK) out.push({ name: AgentEvents.ACW });
  }
  const oldNext = prev?.snapshot.nextState?.name ?? null;
  const newNext = next.snapshot.nextState?.name ?? null;
  if (oldNext !== newNext) {
    if (newNext) out.push({ name: AgentEvents.ENQUEUED_NEXT_STATE });
    else out.push({ name: AgentEvents.CLEARED_NEXT_STATE });
  }
  return out;
}

function transitionEvents(contactId: string, from: string, to: string): StreamsEvent[] {
  return contactTransitionEvents(from, to).map((name) =>
    name === AgentEvents.CONTACT_PENDING ? { name, data: { contactId } } : { name, contactId });
}

function addedContactEvents(c: Contact): StreamsEvent[] {
  return [
    { name: ContactEvents.INIT, contactId: c.contactId },
    ...transitionEvents(c.contactId, ContactStateType.INIT, c.state.type),
    { name: ContactEvents.REFRESH, contactId: c.contactId },
  ];
}

function removedContactEvents(c: Contact): StreamsEvent[] {
  const out: StreamsEvent[] = [];
  if (CONTACT_ACTIVE_STATES.has(c.state.type)) out.push({ name: ContactEvents.ENDED, contactId: c.contactId, data: c });
  out.push({ name: ContactEvents.DESTROYED, contactId: c.contactId, data: c });
  return out;
}

function commonContactEvents(before: Contact, after: Contact, fromDelta: boolean): StreamsEvent[] {
  if (before === after || (!fromDelta && jsonEqual(before, after))) return [];
  return [
    ...transitionEvents(after.contactId, before.state.type, after.state.type),
    { name: ContactEvents.REFRESH, contactId: after.contactId },
  ];
}

/** How `next` was made from `prev`. */
export interface DeriveOptions {
  /** `next` is `prev` with a delta applied (`shared/delta.ts` `applyDelta`): contacts the delta did not put are the
   * very same objects, and the ones it put differ (the engine puts only changed contacts), so identity tells what
   * changed without a deep comparison. */
  fromDelta?: boolean;
}

/**
 * The ordered events a tab raises when its state goes from `prev` (null before the first data) to `next`.
 *
 * @example
 * deriveEvents(null, data).map((e) => e.name); // ['agent::init', 'agent::refresh', 'agent::routable', …]
 */
export function deriveEvents(prev: AgentData | null, next: AgentData, options: DeriveOptions = {}): StreamsEvent[] {
  const fromDelta = options.fromDelta === true;
  const out = agentEvents(prev, next);
  const before = new Map((prev?.snapshot.contacts ?? []).map((c) => [c.contactId, c]));
  const afterIds = new Set(next.snapshot.contacts.map((c) => c.contactId));
  for (const c of next.snapshot.contacts) if (!before.has(c.contactId)) out.push(...addedContactEvents(c));
  for (const c of prev?.snapshot.contacts ?? []) if (!afterIds.has(c.contactId)) out.push(...removedContactEvents(c));
  for (const c of next.snapshot.contacts) {
    const old = before.get(c.contactId);
    if (old) out.push(...commonContactEvents(old, c, fromDelta));
  }
  return out;
}

/** The per-contact name of a contact event: `<eventName>::<contactId>`. */
export function contactEventName(eventName: string, contactId: string): string {
  return `${eventName}::${contactId}`;
}

/** Every bus name an event is raised under, in order: the global name, then the per-contact one. */
export function busNamesOf(e: StreamsEvent): string[] {
  return e.contactId ? [e.name, contactEventName(e.name, e.contactId)] : [e.name];
}
