/**
 * Our state in the shapes the genuine `amazon-connect-streams` library reads from `agent::update` (`{snapshot,
 * configuration}`), and log entries both ways between our `LogRecord` and its log entry. Pure functions.
 *
 * What the genuine library relies on (facts of its 2.28.2 release): every timestamp is a real `Date` (its duration
 * getters call `getTime()` on them); `snapshot.skew` is a number, server minus local ms (every duration adds it);
 * contacts come sorted by their state's timestamp, oldest first; `state` has its alias `status`, an endpoint its
 * alias `address`, a queue its `queueId`; the routing profile has `routingProfileId` (an ARN it parses for the
 * instance and account) and a `queues` list (mapped on every log line).
 */
import type { AgentData, AgentState, Connection, Contact, EpochSeconds, Queue } from '../../shared/cti';
import { LogLevel } from '../../shared/enums';
import type { LogRecord } from '../../shared/protocol';

/** The data of an `agent::update`, as the genuine library stores it. */
export interface StreamsAgentData {
  snapshot: Record<string, unknown> & { contacts: Record<string, unknown>[]; skew: number };
  configuration: Record<string, unknown>;
}

/** Epoch seconds (our wire form) as a `Date`; `undefined` stays undefined. */
export function toDate(seconds: EpochSeconds | undefined): Date | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : undefined;
}

function withQueueId(q: Queue | undefined): (Queue & { queueId?: string }) | null {
  return q ? { ...q, queueId: q.queueId ?? q.queueARN } : null;
}

function agentState(s: AgentState): Record<string, unknown> {
  return { ...s, startTimestamp: toDate(s.startTimestamp) };
}

function connection(c: Connection): Record<string, unknown> {
  const state = { type: c.state.type, timestamp: toDate(c.state.timestamp) };
  const out: Record<string, unknown> = { ...c, state, address: c.endpoint };
  if (c.monitoringInfo) out.monitoringInfo = { ...c.monitoringInfo, joinTimeStamp: toDate(c.monitoringInfo.joinTimeStamp) };
  return out;
}

function contact(c: Contact): Record<string, unknown> {
  const state = { type: c.state.type, timestamp: toDate(c.state.timestamp) };
  return {
    ...c,
    state,
    status: { ...state },
    queue: withQueueId(c.queue),
    queueTimestamp: toDate(c.queueTimestamp),
    connections: c.connections.map(connection),
  };
}

/** Contacts in the genuine order: by the timestamp of their state, oldest first (stable for equal times). */
export function streamsContactOrder(contacts: readonly Contact[]): Contact[] {
  return contacts.map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.state.timestamp - b.c.state.timestamp) || (a.i - b.i))
    .map(({ c }) => c);
}

/**
 * `agent::update` data for our state: `skew` server minus local ms, `localNow` this page's clock (epoch ms).
 *
 * @example
 * const update = toStreamsAgentData(state.data, state.skew, Date.now());
 * parent.postMessage({ event: 'agent::update', data: update }, parentOrigin);
 */
export function toStreamsAgentData(data: AgentData, skew: number, localNow: number): StreamsAgentData {
  const s = data.snapshot;
  const snapshot: StreamsAgentData['snapshot'] = {
    state: agentState(s.state),
    nextState: s.nextState ? agentState(s.nextState) : null,
    agentAvailabilityState: s.agentAvailabilityState
      ? { state: s.agentAvailabilityState.state, timeStamp: toDate(s.agentAvailabilityState.timeStamp) }
      : undefined,
    contacts: streamsContactOrder(s.contacts).map(contact),
    snapshotTimestamp: toDate(s.snapshotTimestamp),
    localTimestamp: localNow,
    skew: Number.isFinite(skew) ? skew : 0,
  };
  const c = data.configuration;
  const rp = c.routingProfile;
  const configuration: Record<string, unknown> = {
    ...c,
    agentStates: c.agentStates.map((st) => ({ agentStateARN: st.agentStateARN, type: st.type, name: st.name })),
    routingProfile: {
      ...rp,
      routingProfileId: rp.routingProfileId ?? rp.routingProfileARN,
      defaultOutboundQueue: withQueueId(rp.defaultOutboundQueue),
      queues: (rp.queues ?? []).map(withQueueId),
    },
  };
  return { snapshot, configuration };
}

/** Where our log entries say they come from, in the genuine library's terms. */
export const CONDUIT_LOG_CONTEXT_LAYER = 'CCP';

/** One of our log records as the genuine library's log entry (`loggerId` names the writer, never the CRM itself). */
export function toStreamsLogEntry(r: LogRecord): Record<string, unknown> {
  return {
    component: r.component ?? 'ccp', level: r.level, text: r.text, time: new Date(r.time), loggerId: r.source,
    exception: r.exception ?? null, objects: r.objects ?? [], line: 0, contextLayer: CONDUIT_LOG_CONTEXT_LAYER,
  };
}

const LEVELS: ReadonlySet<string> = new Set(Object.values(LogLevel));
/** Longest text kept from one CRM log line. */
const MAX_LOG_TEXT_CHARS = 4096;

/** A genuine CRM's log entry (from its `log` broadcast) as one of our records, or null when it is not one. */
export function fromStreamsLogEntry(entry: unknown, source: string): LogRecord | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as Record<string, unknown>;
  if (typeof e.text !== 'string') return null;
  const level = typeof e.level === 'string' && LEVELS.has(e.level) ? e.level : LogLevel.INFO;
  const time = e.time instanceof Date ? e.time.getTime() : typeof e.time === 'number' ? e.time : Date.now();
  return {
    level, time: Number.isFinite(time) ? time : Date.now(), text: e.text.slice(0, MAX_LOG_TEXT_CHARS),
    component: typeof e.component === 'string' ? e.component.slice(0, 64) : undefined, source,
  };
}
