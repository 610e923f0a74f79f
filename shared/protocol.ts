/**
 * The wire protocol between a tab and the engine, whatever carries it (a SharedWorker port through Comlink, a
 * BroadcastChannel to the leader tab, or a direct call in-page). One file, string-valued enums and discriminated
 * unions: everything that crosses the boundary is described here and validated by `validate.ts`.
 *
 * Direction "up" is tab → engine, "down" is engine → tab.
 */
import type { AgentData } from './cti';

/** Bumped on any incompatible change; the engine refuses a `hello` with another version (typed error). The
 * SharedWorker's name, the fallback's channel and its locks carry it, and move with it (`client/wire-names.test.ts`). */
export const PROTOCOL_VERSION = 1;

/** Largest message (in UTF-16 code units of its JSON) the engine accepts from a tab. A snapshot with 20 contacts is
 * about 20 KB and requests are far smaller; 256 KB leaves room for `SendClientLogs` batches and stops a hostile tab
 * from making the engine parse megabytes. */
export const MAX_UP_MESSAGE_CHARS = 256 * 1024;

/**
 * Largest skew believed. Real clocks are off by seconds, at worst minutes (a machine without NTP) or whole hours (a
 * wrong time zone set as local time); a day or more means a broken clock or a bogus server stamp (0, seconds taken
 * for ms), and correcting every duration by it would show absurd times to the agent. Such a sample is discarded
 * (`skew.ts`), and a state carrying one is refused (`validate-down.ts`).
 */
export const MAX_PLAUSIBLE_SKEW_MS = 24 * 3600_000;

/** Prefix of the per-tab Web Lock a tab holds for its whole life; the engine queues for it to learn of its death. */
export const TAB_LOCK_PREFIX = 'connect-sync:tab:';

/** Prefix of the Web Lock an engine host holds for its whole life (`+ engineId`); tabs queue for it to learn that the
 * engine died (e.g. a SharedWorker taken down by a renderer crash) and start a new one. */
export const ENGINE_LOCK_PREFIX = 'connect-sync:engine:';

// -------------------------------------------------------------------------------------------------------------
// Errors
// -------------------------------------------------------------------------------------------------------------

/** Types of errors that cross a boundary. CTI exception names (`InvalidStateException`, …) pass through as is. */
export enum ErrorType {
  /** The call did not settle before its deadline. */
  TIMEOUT = 'TimeoutError',
  /** The message or its params did not match the protocol; `message` names the field. */
  VALIDATION = 'ValidationError',
  /** No such request method. */
  UNKNOWN_METHOD = 'UnknownMethodError',
  /** The backend could not be reached, or answered something that is not the contract. */
  NETWORK = 'NetworkError',
  /** The tab has no live connection to an engine (worker gone, no leader yet, terminated). */
  NOT_CONNECTED = 'NotConnectedError',
  /** The leader that took the request died; the request was not re-sent (see the fallback transport). */
  LEADER_CHANGED = 'LeaderChangedError',
  /** The contact (or connection) a handle refers to is no longer in the agent's snapshot. */
  CONTACT_GONE = 'ContactNotFoundError',
  /** The engine speaks another protocol version. */
  PROTOCOL = 'ProtocolVersionError',
  /** The tab's role may not do this (a CRM supplying a session, taking the ringtone, raising an engine event…);
   * `message` says what was refused. Nothing happened. */
  FORBIDDEN = 'ForbiddenError',
  /** The tab sent more messages than the engine accepts per second; this one was dropped (retry later). */
  THROTTLED = 'ThrottledError',
  UNAUTHORIZED = 'UnauthorizedException',
  ACCESS_DENIED = 'AccessDeniedException',
  /** Anything else, with the original message. */
  INTERNAL = 'InternalError',
}

/** Every error that crosses a boundary has this shape; never a bare string. */
export interface WireError {
  type: ErrorType | string;
  message: string;
}

export function wireError(type: ErrorType | string, message: string): WireError {
  return { type, message };
}

// -------------------------------------------------------------------------------------------------------------
// State: full and delta
// -------------------------------------------------------------------------------------------------------------

/** The whole state a tab renders. `version` grows by one with every change a tab can observe. */
export interface StateFull {
  type: DownType.STATE;
  version: number;
  /** Null until the first snapshot and configuration have both arrived. */
  data: AgentData | null;
  /** Server clock minus local clock, in ms (positive: server ahead). One value for every tab. */
  skew: number;
  /** True when the data comes from persistence and the engine has not confirmed it yet. */
  stale?: boolean;
}

/** A change from `base` to `version` (`version === base + 1`). Fields left out did not change. */
export interface StateDelta {
  type: DownType.DELTA;
  version: number;
  base: number;
  /** The snapshot without its contacts, when any of those fields changed. */
  agent?: Omit<AgentData['snapshot'], 'contacts'>;
  /** Contacts added or changed (whole contact objects). */
  put?: AgentData['snapshot']['contacts'];
  /** Ids of contacts that left the snapshot. */
  del?: string[];
  /** The order of contact ids after the change, when it differs from the order after `put`/`del` alone. */
  order?: string[];
  configuration?: AgentData['configuration'];
  skew?: number;
  /** Present when the stale flag changed (`false` once the engine confirmed persisted data). */
  stale?: boolean;
  /** The Streams events of this change, derived once by the engine (`shared/delta-events.ts`); present when the
   * delta changes the data. A tab raises them instead of deriving them; one without them (or with a malformed list)
   * derives its own. */
  events?: WireEvent[];
}

/** One event of a delta: an agent event's name, or `[name, contactId]` for an event about a contact. */
export type WireEvent = string | [name: string, contactId: string];

// -------------------------------------------------------------------------------------------------------------
// Up: tab → engine
// -------------------------------------------------------------------------------------------------------------

export enum UpType {
  HELLO = 'hello',
  SYNCHRONIZE = 'synchronize',
  REQUEST = 'request',
  MASTER = 'master',
  BROADCAST = 'broadcast',
  SESSION = 'session',
  RELOAD_CONFIGURATION = 'reload_configuration',
  RESYNC = 'resync',
  LOG = 'log',
  INSPECT = 'inspect',
  TERMINATE = 'terminate',
  BYE = 'bye',
}

export enum TabRole {
  /** A CCP page (standalone or framed) on the CCP origin. */
  CCP = 'ccp',
  /** A page that relays for a CRM on another origin (the CCP frame speaking for its parent). */
  CRM = 'crm',
  /** Any other page on the CCP origin using the library directly. */
  PAGE = 'page',
  INSPECTOR = 'inspector',
}

export interface Hello {
  type: UpType.HELLO;
  tabId: string;
  protocol: number;
  role: TabRole;
  /** The page URL, for the inspector. */
  url?: string;
  /** The version the tab already holds (from persistence or a previous engine), so the engine may send a delta. */
  knownVersion?: number;
  /** The tab wants the engine's log lines pushed (`log` down messages, batched); inspectors always get them. */
  wantsLogs?: boolean;
}

export interface Synchronize {
  type: UpType.SYNCHRONIZE;
  /** Increases per SYNCHRONIZE; the ACK echoes it so a late ACK is recognised. */
  seq: number;
}

export interface Request {
  type: UpType.REQUEST;
  requestId: string;
  /** A Streams client method (`acceptContact`) or a CTI operation name (`AcceptContact`). */
  method: string;
  params: Record<string, unknown>;
  /** Sent as `X-Idempotency-Token`: a re-sent request with the same key is applied once by the backend. */
  idempotencyKey?: string;
  /** How long the engine may take before answering `TimeoutError` (default 30 s, capped). */
  timeoutMs?: number;
}

export enum MasterMethod {
  CHECK = 'checkMaster',
  BECOME = 'becomeMaster',
  RELEASE = 'releaseMaster',
}

export interface MasterRequest {
  type: UpType.MASTER;
  requestId: string;
  method: MasterMethod;
  topic: string;
}

export interface Broadcast {
  type: UpType.BROADCAST;
  event: string;
  data?: unknown;
}

/** A fresh session for the engine (after a login popup, or in a cross-site frame without cookies). */
export interface Session {
  type: UpType.SESSION;
  authToken: string;
  /** Epoch ms when the token expires, if known. */
  expiration?: number;
}

export interface ReloadConfiguration {
  type: UpType.RELOAD_CONFIGURATION;
}

/** The tab saw a gap in versions (or has none) and asks for the whole state. */
export interface Resync {
  type: UpType.RESYNC;
}

export interface LogUp {
  type: UpType.LOG;
  entries: LogRecord[];
}

export interface Inspect {
  type: UpType.INSPECT;
}

/** Logout: the engine stops polling and tells every tab `terminated`. */
export interface Terminate {
  type: UpType.TERMINATE;
}

/** The tab is going away (`pagehide`): the fast path ahead of the liveness lock. */
export interface Bye {
  type: UpType.BYE;
}

export type Up =
  | Hello | Synchronize | Request | MasterRequest | Broadcast | Session | ReloadConfiguration | Resync | LogUp
  | Inspect | Terminate | Bye;

// -------------------------------------------------------------------------------------------------------------
// Down: engine → tab
// -------------------------------------------------------------------------------------------------------------

export enum DownType {
  STATE = 'state',
  DELTA = 'delta',
  ACKNOWLEDGE = 'acknowledge',
  RESPONSE = 'response',
  EVENT = 'event',
  LOG = 'log',
}

export interface Acknowledge {
  type: DownType.ACKNOWLEDGE;
  tabId: string;
  seq: number;
  /** The engine's state version as it answered. The ACK travels behind every delivery made before it, so a tab that
   * holds an older version lost a message on the way (a BroadcastChannel drops what arrives while the page is paused
   * in the debugger) and asks for the whole state. */
  version?: number;
}

export type Response =
  | { type: DownType.RESPONSE; requestId: string; ok: true; data: unknown }
  | { type: DownType.RESPONSE; requestId: string; ok: false; error: WireError };

/** A named event for every tab: broadcasts from tabs and the engine's own (`auth_fail`, `access_denied`,
 * `update_connected_ccps`, `terminated`, master take-overs). */
export interface EventDown {
  type: DownType.EVENT;
  event: string;
  data?: unknown;
}

export interface LogDown {
  type: DownType.LOG;
  entries: LogRecord[];
}

export type Down = StateFull | StateDelta | Acknowledge | Response | EventDown | LogDown;

// -------------------------------------------------------------------------------------------------------------
// Replies and shared records
// -------------------------------------------------------------------------------------------------------------

export enum TransportKind {
  SHARED_WORKER = 'shared-worker',
  BROADCAST = 'broadcast',
  IN_PAGE = 'in-page',
  IFRAME = 'iframe',
}

/** The engine's answer to `hello`. */
export interface Welcome {
  tabId: string;
  /** Random per engine instance: a new id means the engine restarted. */
  engineId: string;
  state: StateFull;
  tabCount: number;
  transport: TransportKind;
  /** Leadership epoch (fallback transport only). */
  epoch?: number;
}

export interface MasterResult {
  topic: string;
  masterId: string | null;
  isMaster: boolean;
  /** `becomeMaster` only: another tab held the topic before. */
  takeOver?: boolean;
}

/** Data of the `update_connected_ccps` event. */
export interface ConnectedTabs {
  length: number;
}

export interface LogRecord {
  level: string;
  time: number;
  text: string;
  component?: string;
  /** Who wrote it: a tab id, or `engine`. */
  source: string;
  exception?: { type: string; message: string; stack?: string[] };
  objects?: unknown[];
}

/** What the inspector shows: a picture of the engine. */
export interface EngineInfo {
  engineId: string;
  transport: TransportKind;
  epoch?: number;
  version: number;
  skew: number;
  /** Round trip of the skew sample in use, ms. */
  skewRtt: number | null;
  pollsPerMinute: number;
  polling: 'running' | 'paused-auth' | 'access-denied' | 'backoff' | 'stopped';
  /** Tabs connected, every role. */
  tabCount: number;
  /** The tabs (for a CRM: only itself — a CRM sees counts, never another tab's id or URL). */
  tabs: TabInfo[];
  /** Topic → master tab id (for a CRM: only the topics it holds). */
  topics: Record<string, string>;
  /** For a CRM: empty. */
  recentEvents: { time: number; event: string }[];
}

export interface TabInfo {
  tabId: string;
  role: TabRole;
  url?: string;
  connectedAt: number;
  lastSynchronize: number | null;
  lastAcknowledge: number | null;
  alive: boolean;
}

/** Engine-originated event names not in the Streams vocabulary. */
export const ENGINE_EVENTS = {
  /** Engine → tabs: the master of a topic changed (`MasterResult`). */
  MASTER_CHANGED: 'master_changed',
} as const;

// -------------------------------------------------------------------------------------------------------------
// Persistence (IndexedDB through idb-keyval): written by the engine, read by tabs to render before the engine answers
// -------------------------------------------------------------------------------------------------------------

/** `createStore(PERSIST_DB_NAME, PERSIST_STORE_NAME)` — one database with one object store. */
export const PERSIST_DB_NAME = 'connect-sync';
export const PERSIST_STORE_NAME = 'state';
/** Key of the `PersistedState`. */
export const PERSIST_STATE_KEY = 'state';
/** Key of the engine's log ring (`LogRecord[]`, oldest first, bounded). */
export const PERSIST_LOGS_KEY = 'logs';

/** What the engine stores after each published change (writes coalesced, the last one always lands). */
export interface PersistedState {
  /** The last published state. A reader shows it as stale until an engine confirms it. */
  state: StateFull;
  /** The long-poll token at that time (diagnostics: a new engine starts with a fresh poll so it answers at once). */
  nextToken: string | null;
  /** Local epoch ms of the write. */
  savedAt: number;
  /** The engine that wrote it. */
  engineId: string;
}
