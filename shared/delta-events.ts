/**
 * The Streams events of a delta, derived once by the engine. The events of version N-1 → N depend only on the two
 * states (`deriveEvents` is pure), and every tab that follows deltas holds N-1: so the engine derives them once
 * (`worker/publisher.ts`) and each tab only applies and raises them, instead of every tab repeating the same
 * derivation. A tab that joins or resyncs gets a full state and derives its own start.
 *
 * On the wire the events are compact: an agent event is its name; an event about a contact is `[name, contactId]`.
 * What an event carries besides (`agent::state_change`'s names, the last data of a contact that left) is in the two
 * states the tab holds, so it is rebuilt there (`decodeDeltaEvents`) and not sent again.
 */
import type { AgentData, Contact } from './cti';
import { AgentEvents, ContactEvents } from './enums';
import type { StreamsEvent } from './events';
import type { WireEvent } from './protocol';

const CONTACT_EVENTS: ReadonlySet<string> = new Set(Object.values(ContactEvents));
/** Agent events sent as their bare name (`agent::contact_pending` names its contact: it travels as a pair). */
const BARE_AGENT_EVENTS: ReadonlySet<string> = new Set(
  Object.values(AgentEvents).filter((n) => n !== AgentEvents.CONTACT_PENDING),
);

/**
 * The events of one change hold each agent event at most once and, per contact, each contact event and
 * `agent::contact_pending` at most once: a longer list is not the derivation of this change.
 */
function maxEvents(contacts: number): number {
  return BARE_AGENT_EVENTS.size + (CONTACT_EVENTS.size + 1) * contacts;
}

/**
 * @example
 * delta.events = encodeDeltaEvents(deriveEvents(prev.data, next.data, { fromDelta: true }));
 */
export function encodeDeltaEvents(events: readonly StreamsEvent[]): WireEvent[] {
  return events.map((e) => {
    if (e.contactId) return [e.name, e.contactId];
    if (e.name === AgentEvents.CONTACT_PENDING) return [e.name, (e.data as { contactId: string }).contactId];
    return e.name;
  });
}

function byId(contacts: readonly Contact[], contactId: string): Contact | undefined {
  for (const c of contacts) if (c.contactId === contactId) return c;
  return undefined;
}

/**
 * The events the engine derived for `prev` → `next` (the tab's states before and after applying the delta), or
 * `null` when `wire` is not a well-formed list of them (the tab then derives its own: a bad field loses nothing).
 * Checks every entry: a known event name, of the right kind, about a contact of `prev` or `next`; `contact::destroyed`
 * only for a contact that left.
 *
 * @example
 * const events = decodeDeltaEvents(msg.events, prev.data, next.data) ?? deriveEvents(prev.data, next.data, { fromDelta: true });
 */
export function decodeDeltaEvents(wire: unknown, prev: AgentData, next: AgentData): StreamsEvent[] | null {
  if (!Array.isArray(wire)) return null;
  const before = prev.snapshot.contacts;
  const after = next.snapshot.contacts;
  if (wire.length > maxEvents(before.length + after.length)) return null;
  const out: StreamsEvent[] = [];
  for (const w of wire as unknown[]) {
    if (typeof w === 'string') {
      if (!BARE_AGENT_EVENTS.has(w)) return null;
      if (w === AgentEvents.STATE_CHANGE) {
        out.push({ name: w, data: { oldState: prev.snapshot.state.name, newState: next.snapshot.state.name } });
      } else {
        out.push({ name: w as AgentEvents });
      }
      continue;
    }
    if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== 'string' || typeof w[1] !== 'string') return null;
    const [name, contactId] = w as [string, string];
    const now = byId(after, contactId);
    const last = now ? undefined : byId(before, contactId);
    if (!now && !last) return null;
    if (name === AgentEvents.CONTACT_PENDING && now) {
      out.push({ name, data: { contactId } });
    } else if (!CONTACT_EVENTS.has(name)) {
      return null;
    } else if (last && (name === ContactEvents.ENDED || name === ContactEvents.DESTROYED)) {
      out.push({ name: name as ContactEvents, contactId, data: last }); // it left: described by its last data
    } else if (name === ContactEvents.DESTROYED || last) {
      return null; // a contact still present is not destroyed; one that left raises nothing else
    } else {
      out.push({ name: name as ContactEvents, contactId });
    }
  }
  return out;
}
