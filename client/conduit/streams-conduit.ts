/**
 * The Streams conduit: the messages a CRM page built on the genuine `amazon-connect-streams` library exchanges with
 * its CCP frame (`window.postMessage` of `{event, data}` objects, both ways). One file of string-valued enums, the
 * shapes of every CRM → frame message, and their validators; `conduit-relay.ts` acts on them.
 *
 * Facts (not code) from the genuine 2.28.2 release: the CRM sends nothing before the frame's first `acknowledge
 * {id}`, then `outer_context_info`, `synchronize` about once a second, `api_request`, `master_request`, `broadcast`
 * (its own log lines among them), and `configure` when `initCCP` got page options.
 */
import { ErrorType, MasterMethod, MAX_UP_MESSAGE_CHARS, wireError, type WireError } from '../../shared/protocol';
import { MAX_ID_CHARS, MAX_NAME_CHARS } from '../../shared/validate';
import { AgentEvents, EventType } from '../../shared/enums';

/** CRM → frame. The names both sides of the genuine conduit share with the event bus come from `EventType`. */
export enum ConduitUpEvent {
  SYNCHRONIZE = EventType.SYNCHRONIZE,
  API_REQUEST = EventType.API_REQUEST,
  MASTER_REQUEST = EventType.MASTER_REQUEST,
  BROADCAST = EventType.BROADCAST,
  CONFIGURE = EventType.CONFIGURE,
  OUTER_CONTEXT_INFO = 'outer_context_info',
  IFRAME_STYLE = EventType.IFRAME_STYLE,
  RELOAD_AGENT_CONFIGURATION = EventType.RELOAD_AGENT_CONFIGURATION,
  MEDIA_DEVICE_REQUEST = 'media_device_request',
  /** Not sent by `initCCP` itself; some apps send it by hand to log out. */
  TERMINATE = EventType.TERMINATE,
}

/** Frame → CRM (besides the echo of every broadcast, under the broadcast's own name). */
export enum ConduitDownEvent {
  ACKNOWLEDGE = EventType.ACKNOWLEDGE,
  AGENT_UPDATE = AgentEvents.UPDATE,
  API_RESPONSE = EventType.API_RESPONSE,
  MASTER_RESPONSE = EventType.MASTER_RESPONSE,
  UPDATE_CONNECTED_CCPS = EventType.UPDATE_CONNECTED_CCPS,
  AUTH_FAIL = EventType.AUTH_FAIL,
  ACCESS_DENIED = EventType.ACCESS_DENIED,
  TERMINATED = EventType.TERMINATED,
  REQUEST_CONFIGURE = 'request_configure',
  LOG = EventType.LOG,
  MEDIA_DEVICE_RESPONSE = 'media_device_response',
}

/** The master methods a genuine CRM sends. */
export enum ConduitMasterMethod {
  CHECK = MasterMethod.CHECK,
  BECOME = MasterMethod.BECOME,
}

/** What the frame does with a CRM's `broadcast`, by event name. */
export enum BroadcastRoute {
  /** The CRM's own log lines (`log`, `server_bound_internal_log`): into the engine's merged log, not to every tab. */
  LOG = 'log',
  /** Telemetry the CCP may drop (`client_metric`, `click_stream_data`, softphone stats): echoed to the sender only. */
  SENDER_ONLY = 'sender-only',
  /** Everything else (`contact::accepted`, `mute`, `contact::view`, device changes…): to every tab of the browser. */
  EVERY_TAB = 'every-tab',
}

const LOG_BROADCASTS: ReadonlySet<string> = new Set([EventType.LOG, EventType.SERVER_BOUND_INTERNAL_LOG]);
const SENDER_ONLY_BROADCASTS: ReadonlySet<string> = new Set([
  EventType.CLIENT_METRIC, 'click_stream_data', EventType.SOFTPHONE_STATS, EventType.SOFTPHONE_REPORT, EventType.API_METRIC,
  EventType.CLIENT_SIDE_LOGS,
]);

/** Where a broadcast of `event` goes. */
export function broadcastRoute(event: string): BroadcastRoute {
  if (LOG_BROADCASTS.has(event)) return BroadcastRoute.LOG;
  if (SENDER_ONLY_BROADCASTS.has(event)) return BroadcastRoute.SENDER_ONLY;
  return BroadcastRoute.EVERY_TAB;
}

export interface ApiRequest {
  event: ConduitUpEvent.API_REQUEST;
  requestId: string;
  method: string;
  params: Record<string, unknown>;
}

export interface ConduitMasterRequest {
  event: ConduitUpEvent.MASTER_REQUEST;
  requestId: string;
  method: ConduitMasterMethod;
  topic: string;
  shouldNotBecomeMasterIfNone: boolean;
}

export interface ConduitBroadcast {
  event: ConduitUpEvent.BROADCAST;
  name: string;
  data: unknown;
}

export interface ConduitConfigure {
  event: ConduitUpEvent.CONFIGURE;
  options: Record<string, unknown>;
}

export interface ConduitOuterContext {
  event: ConduitUpEvent.OUTER_CONTEXT_INFO;
  streamsVersion: string | null;
}

/** Messages that carry nothing the frame needs beyond their name. */
export interface ConduitSignal {
  event: ConduitUpEvent.SYNCHRONIZE | ConduitUpEvent.IFRAME_STYLE | ConduitUpEvent.RELOAD_AGENT_CONFIGURATION
    | ConduitUpEvent.MEDIA_DEVICE_REQUEST | ConduitUpEvent.TERMINATE;
}

export type ConduitUp = ApiRequest | ConduitMasterRequest | ConduitBroadcast | ConduitConfigure | ConduitOuterContext | ConduitSignal;

/** A CRM message that is a conduit message but not a valid one: the error, and the request id to answer if any. */
export interface ConduitRejection {
  error: WireError;
  /** Set when the message was an `api_request`/`master_request` with a usable id: the CRM waits for an answer. */
  answer?: { event: ConduitUpEvent.API_REQUEST | ConduitUpEvent.MASTER_REQUEST; requestId: string };
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;

/** True for anything shaped like a conduit message (`{event: string}`), valid or not; our own bridge's messages
 * (`{source, type}`) and unrelated traffic are not. */
export function looksLikeConduit(data: unknown): boolean {
  return isObj(data) && typeof data.event === 'string' && data.source === undefined;
}

function invalid(message: string, answer?: ConduitRejection['answer']): { ok: false; rejection: ConduitRejection } {
  return { ok: false, rejection: { error: wireError(ErrorType.VALIDATION, message), ...(answer ? { answer } : {}) } };
}

function tooLarge(data: unknown): boolean {
  try {
    return (JSON.stringify(data)?.length ?? 0) > MAX_UP_MESSAGE_CHARS;
  } catch {
    return true; // not serialisable: nothing the engine could carry
  }
}

/**
 * Checks one message from the CRM: `null` when it is not a conduit message at all (ignore it), else the checked
 * message or why it was refused (and, for requests with an id, whom to answer).
 *
 * @example
 * const r = validateConduitUp({ event: 'api_request', data: { requestId: 'r1', method: 'acceptContact', params: { contactId } } });
 * if (r && r.ok) route(r.value);
 */
export function validateConduitUp(msg: unknown): ({ ok: true; value: ConduitUp } | { ok: false; rejection: ConduitRejection }) | null {
  if (!looksLikeConduit(msg)) return null;
  const { event, data } = msg as { event: string; data?: unknown };
  if (tooLarge(data)) return invalid(`${event}: message larger than ${MAX_UP_MESSAGE_CHARS} characters`);
  switch (event) {
    case ConduitUpEvent.API_REQUEST: {
      if (!isObj(data) || !isText(data.requestId, MAX_ID_CHARS)) return invalid('api_request.data.requestId must be a string');
      const answer = { event: ConduitUpEvent.API_REQUEST, requestId: data.requestId } as const;
      if (!isText(data.method, MAX_NAME_CHARS)) return invalid('api_request.data.method must be a string', answer);
      if (data.params !== undefined && data.params !== null && !isObj(data.params)) return invalid('api_request.data.params must be an object', answer);
      return { ok: true, value: { event, requestId: data.requestId, method: data.method, params: (data.params as Obj | undefined) ?? {} } };
    }
    case ConduitUpEvent.MASTER_REQUEST: {
      if (!isObj(data) || !isText(data.requestId, MAX_ID_CHARS)) return invalid('master_request.data.requestId must be a string');
      const answer = { event: ConduitUpEvent.MASTER_REQUEST, requestId: data.requestId } as const;
      const methods: readonly string[] = Object.values(ConduitMasterMethod);
      if (typeof data.method !== 'string' || !methods.includes(data.method)) {
        return invalid(`master_request.data.method must be one of ${methods.join(', ')}`, answer);
      }
      const params = data.params;
      if (!isObj(params) || !isText(params.topic, MAX_NAME_CHARS)) return invalid('master_request.data.params.topic must be a string', answer);
      return { ok: true, value: { event, requestId: data.requestId, method: data.method as ConduitMasterMethod, topic: params.topic,
        shouldNotBecomeMasterIfNone: params.shouldNotBecomeMasterIfNone === true } };
    }
    case ConduitUpEvent.BROADCAST:
      if (!isObj(data) || !isText(data.event, MAX_NAME_CHARS)) return invalid('broadcast.data.event must be a string');
      return { ok: true, value: { event, name: data.event, data: data.data } };
    case ConduitUpEvent.CONFIGURE:
      if (!isObj(data)) return invalid('configure.data must be an object');
      return { ok: true, value: { event, options: data } };
    case ConduitUpEvent.OUTER_CONTEXT_INFO:
      return { ok: true, value: { event, streamsVersion: isObj(data) && isText(data.streamsVersion, 64) ? data.streamsVersion : null } };
    case ConduitUpEvent.SYNCHRONIZE:
    case ConduitUpEvent.IFRAME_STYLE:
    case ConduitUpEvent.RELOAD_AGENT_CONFIGURATION:
    case ConduitUpEvent.MEDIA_DEVICE_REQUEST:
    case ConduitUpEvent.TERMINATE:
      return { ok: true, value: { event } };
    default:
      return invalid(`unknown conduit event: ${event.slice(0, MAX_NAME_CHARS)}`);
  }
}

/** The `err` of a failed `api_response`, as the genuine library's callers receive it: a JSON string of
 * `{type, message, stack, retryStatus}` (Streams' own code parses it). */
export function conduitErrorString(e: WireError): string {
  return JSON.stringify({ type: e.type, message: e.message, stack: [], retryStatus: 'none' });
}

/** The typed error of an `api_request` method this frame does not serve (answered at once, never silence). */
export function unservedMethodError(method: string): WireError {
  return wireError(ErrorType.UNKNOWN_METHOD, `this CCP does not serve ${method.slice(0, MAX_NAME_CHARS)}`);
}
