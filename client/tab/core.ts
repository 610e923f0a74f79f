/**
 * `connect.core`: starting and stopping the library in a page. A page on the CCP origin (the CCP itself, or any
 * page of that origin) talks to the engine directly with `initSharedWorker`; a CRM on another origin embeds the CCP
 * with `initCCP` and talks through it.
 */
import { ConfigurationEvents, EventType } from '../../shared/enums';
import { DownType, ErrorType, TabRole, TransportKind, type EngineInfo, type LogRecord, type StateFull, wireError } from '../../shared/protocol';
import { getContext, resetContext, setUpstream } from './context';
import { EngineLink, type LinkSink } from './engine-link';
import { TransportChooser, type TransportChoice } from './choose';
import { loadPersistedReader, loadRelay, PERSISTED_LOAD_DEADLINE_MS } from './on-demand';
import { parentOriginOf } from '../embed/parent-origin';
import type { RelayApi, RelayHandle } from '../embed/relay-session';
import { withDeadline, type Transport, type TransportInfo } from './transport';
import type { HostLocks } from '../../shared/engine-host';
import type { TrustedOrigins } from './url-policy';

/** Forwarding this tab's log entries to the engine in batches: once a second keeps the cost to one message per
 * second per tab at most, and a crash loses at most a second of entries. */
export const LOG_FORWARD_INTERVAL_MS = 1000;

export interface InitSharedWorkerOptions {
  /** URL of `connect-shared-worker.js`. Default: from the npm package, the file the app's bundler emitted for it (the
   * ESM entry names it with `new URL(…, import.meta.url)`); from a `<script>`, beside the loaded
   * `connect-streams.js`, else `/connect-shared-worker.js`. Set it to serve the worker yourself. */
  workerUrl?: string;
  /** The SharedWorker's name (its identity together with the URL); tabs with the same name share one engine. */
  workerName?: string;
  /** What this page is, for the inspector and the engine's tab list. */
  role?: 'ccp' | 'page' | 'inspector';
  synIntervalMs?: number;
  ackTimeoutMs?: number;
  /** How to reach the engine: `auto` (default: SharedWorker if it answers, else BroadcastChannel + leader tab, else
   * in-page with a warning), or forced. See `getTransportInfo()` and the `transport` event for the outcome. */
  transport?: TransportChoice;
  /** @deprecated Ignored: the engine (for a broadcast leader or an in-page tab) is a chunk of this library, loaded
   * from beside `connect-streams.js` like the rest of its code on demand. */
  engineUrl?: string;
}

interface Running {
  link: EngineLink;
  logTimer: ReturnType<typeof setInterval> | null;
  unsubscribeLog: () => void;
  onPageHide: (e: PageTransitionEvent) => void;
  onPageShow: (e: PageTransitionEvent) => void;
}

let running: Running | null = null;
/** Set synchronously by the init calls, so a second init is refused even while the first is still connecting. */
let initialized = false;
let connectedTabs = 0;
let scriptBase: string | null = null;

// Remember where this library was loaded from, so the worker is found beside it (a CRM loads us cross-origin).
if (typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement && document.currentScript.src) {
  scriptBase = new URL('.', document.currentScript.src).href;
}

/** The worker as the app's bundler emitted it: set by the ESM entry (`client/module.ts`), null in the UMD build. */
let bundledWorkerUrl: string | null = null;

/** Called once by the ESM entry with the URL of the package's `connect-shared-worker.js` (see `client/module.ts`). */
export function setBundledWorkerUrl(url: string): void {
  bundledWorkerUrl = url;
}

function defaultWorkerUrl(): string {
  if (bundledWorkerUrl) return bundledWorkerUrl;
  return scriptBase ? new URL('connect-shared-worker.js', scriptBase).href : '/connect-shared-worker.js';
}

/** This page's transports: the first chooses (and says so in the log); a leader change is a `transport` event. */
function pageTransports(options: InitSharedWorkerOptions, workerUrl: string, approvedParent: Promise<string | null>): TransportChooser {
  return new TransportChooser({
    approvedParent: () => approvedParent,
    choice: options.transport ?? 'auto', workerUrl, workerName: options.workerName,
    origin: location.origin,
    seed: () => (getContext().state.version >= 0 ? { type: DownType.STATE, ...getState() } : null),
    log: (level, text) => { getContext().log[level](text); },
    onChange: (info) => {
      getContext().log.info('now on %s epoch %s (%s)', info.transport, info.epoch, info.leader ? 'leader' : 'follower');
      getContext().bus.trigger(EventType.TRANSPORT, info);
    },
  });
}

/** Where the link delivers: the tab's state, its bus and its logger. */
function createSink(): LinkSink {
  const { state, bus, log } = getContext();
  return {
    state: (msg, engineId) => state.apply(msg, engineId),
    event: (event, data) => {
      if (event === EventType.UPDATE_CONNECTED_CCPS) connectedTabs = (data as { length?: number } | null)?.length ?? connectedTabs;
      if (event === 'link_error') {
        log.warn('engine link: %s', JSON.stringify(data));
        return;
      }
      bus.trigger(event, data);
    },
    logs: (records: LogRecord[]) => {
      log.addRecords(records);
      // EventType.LOG for the entries of the engine and of the other tabs, once per batch entry. Not for this tab's
      // own entries: a subscriber that logs each event would otherwise feed itself in a loop.
      const own = log.getSource();
      for (const r of records) if (r.source !== own) bus.trigger(EventType.LOG, r);
    },
  };
}

export interface StartOptions {
  role: TabRole;
  /** Render the engine's persisted state (same origin only) while connecting. */
  readPersisted: boolean;
  /** Hold this tab's liveness lock here (a CRM's lock is held by its CCP frame instead). */
  holdLock: boolean;
  /** The lock manager to hold it with (default `navigator.locks`). */
  locks?: () => Promise<HostLocks | undefined>;
  synIntervalMs?: number;
  ackTimeoutMs?: number;
  /** To re-initialise after the page comes back from the back/forward cache. */
  restart: () => void;
}

/** Connects this page's context to an engine over `transport`. Resolves once the engine welcomed the tab. */
export async function startLink(transport: Transport, options: StartOptions): Promise<void> {
  const ctx = getContext();
  const persisted = options.readPersisted
    ? await withDeadline(loadPersistedReader().then((read) => read()), PERSISTED_LOAD_DEADLINE_MS, 'connect-persisted.js')
      .catch(() => null)
    : null;
  if (persisted && ctx.state.version < 0) ctx.state.apply({ ...persisted, stale: true });
  const link = new EngineLink({
    transport,
    sink: createSink(),
    role: options.role,
    knownVersion: persisted?.version,
    synIntervalMs: options.synIntervalMs,
    ackTimeoutMs: options.ackTimeoutMs,
    holdLock: options.holdLock,
    locks: options.locks,
  });
  const pending: LogRecord[] = [];
  const unsubscribeLog = ctx.log.onEntry((record: LogRecord) => { if (record.source !== 'engine') pending.push(record); });
  const onPageHide = (e: PageTransitionEvent): void => {
    // Going away (or into the back/forward cache): say goodbye now; the liveness lock covers crashes.
    if (running?.link === link) stopRunning();
    if (e.persisted) restoreOnShow = options.restart;
  };
  const onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted && restoreOnShow && !running) {
      const restart = restoreOnShow;
      restoreOnShow = null;
      removeEventListener('pageshow', onPageShow);
      restart();
    }
  };
  running = {
    link,
    unsubscribeLog,
    onPageHide,
    onPageShow,
    logTimer: setInterval(() => { if (pending.length) link.log(pending.splice(0, pending.length)); }, LOG_FORWARD_INTERVAL_MS),
  };
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  setUpstream({
    request: (method, params) => link.request(method, params),
    master: (method, topic) => link.master(method, topic),
    broadcast: (event, data) => link.broadcast(event, data),
    reloadConfiguration: () => link.reloadConfiguration(),
  });
  // Named before connecting, so that the engine's echo of this tab's first entries is recognised as ours.
  ctx.log.setSource(link.tabId);
  await link.connect();
  const info = transport.info?.() ?? { transport: transport.kind };
  ctx.log.info('connected to the engine over %s as tab %s%s', transport.kind, link.tabId,
    info.epoch !== undefined ? ` (epoch ${info.epoch}, ${info.leader ? 'leader' : 'follower'})` : '');
  ctx.bus.trigger(EventType.TRANSPORT, info);
  ctx.bus.trigger(EventType.ACKNOWLEDGE, { id: link.tabId });
  ctx.bus.trigger(EventType.INIT, null);
}

let restoreOnShow: (() => void) | null = null;

function stopRunning(): void {
  if (!running) return;
  const r = running;
  running = null;
  if (r.logTimer) clearInterval(r.logTimer);
  r.unsubscribeLog();
  removeEventListener('pagehide', r.onPageHide);
  r.link.close();
  setUpstream(null);
}

/**
 * Connects this page (on the CCP origin) to the engine: the SharedWorker shared by every tab of the origin.
 *
 * @example
 * connect.core.initSharedWorker();
 * connect.agent((agent) => console.log(agent.getState().name));
 */
export function initSharedWorker(options: InitSharedWorkerOptions = {}): void {
  if (!claimInit()) return;
  const { log } = getContext();
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const role = options.role === 'inspector' ? TabRole.INSPECTOR : options.role === 'page' ? TabRole.PAGE : TabRole.CCP;
  const parentOrigin = role === TabRole.CCP ? parentOriginOf(window) : null;
  const served = role === TabRole.INSPECTOR ? Promise.resolve(undefined) : loadTrustedOrigins(!!parentOrigin);
  const approvedParent = parentOrigin ? served.then((t) => (t === undefined ? undefined : t.approved.includes(parentOrigin) ? parentOrigin : null))
    : Promise.resolve(null);
  const chooser = pageTransports(options, workerUrl, approvedParent.then((o) => o ?? null));
  const createTransport = (): Transport => chooser.create();
  const locks = (): Promise<HostLocks | undefined> => chooser.tabLocks();
  if (parentOrigin) startRelay(parentOrigin, approvedParent, createTransport, locks);
  startLink(createTransport(), {
    role, readPersisted: true, holdLock: true, locks, synIntervalMs: options.synIntervalMs, ackTimeoutMs: options.ackTimeoutMs,
    restart: () => { initialized = false; initSharedWorker(options); },
  }).catch((e: unknown) => {
    log.error('could not connect to the engine: %j', e);
    getContext().bus.trigger('transport_error', e);
  });
}

/**
 * Disconnects this page from the engine and forgets all state and subscriptions.
 *
 * @example
 * connect.core.terminate();
 */
export function terminate(): void {
  initialized = false;
  stopRunning();
  relay?.stop();
  relay = null;
  relayStarts++;
  connectedTabs = 0;
  trusted = { approved: [], login: [] };
  resetContext();
}

/**
 * The origins the CCP server trusts (`GET /approved-origins`): the approved CRM origins and the login origins. Kept
 * for the URL checks (`url-policy.ts`); undefined when the list cannot be read (logged as an error in a CCP frame,
 * which then does not bridge).
 */
function loadTrustedOrigins(framed: boolean): Promise<TrustedOrigins | undefined> {
  const { log } = getContext();
  return fetchTrustedOrigins().then(
    (t) => { trusted = t; return t; },
    (e: unknown) => {
      if (framed) log.error('could not read the approved origins; not bridging').withException(e);
      else log.debug('could not read the trusted origins; URLs from options must be on this origin').withException(e);
      return undefined;
    },
  );
}

/** Running only in a CCP frame: relays for the parent page if its origin is approved. The relay is the chunk
 * `connect-relay.js`, loaded now (while the approved origins are read); if it cannot load, this page logs the typed
 * error (its own connection is unaffected) and the parent, which never hears `ready`, reports its own timeout. */
function startRelay(parentOrigin: string, approvedParent: Promise<string | null | undefined>, createTransport: () => Transport,
  locks: () => Promise<HostLocks | undefined>): void {
  const { log, bus } = getContext();
  const start = ++relayStarts;
  const relayApi = loadRelay().catch((e: unknown): RelayApi | null => {
    log.error('could not load the iframe relay; not bridging: %j', e);
    return null;
  });
  void Promise.all([approvedParent, relayApi]).then(([approved, api]) => {
    if (approved === undefined || !api || start !== relayStarts) return;
    if (!approved) {
      log.warn('refusing to bridge to %s: not an approved origin', parentOrigin);
      api.refuseParent(parentOrigin, 'origin not approved');
      return;
    }
    relay = api.startRelay({
      parentOrigin,
      createTransport,
      locks,
      onConfigure: (opts) => { pageOptions = opts; bus.trigger(ConfigurationEvents.CONFIGURE, opts); },
      onError: (e) => log.warn('bridge: %j', e),
    });
  });
}

let relay: RelayHandle | null = null;
/** Counts relay starts and terminates: a relay whose chunk arrives after `terminate` (or a restart) is not started. */
let relayStarts = 0;
let pageOptions: Record<string, unknown> = {};

/** The page options a framing CRM passed to `initCCP` (`softphone`, `chat`, `pageOptions`). */
export function getPageOptions(): Record<string, unknown> {
  return pageOptions;
}

let trusted: TrustedOrigins = { approved: [], login: [] };

/** The origins the CCP server trusts, once read (none before: only this page's origin is trusted then). */
export function getTrustedOrigins(): TrustedOrigins {
  return trusted;
}

async function fetchTrustedOrigins(): Promise<TrustedOrigins> {
  const res = await fetch('/approved-origins', { credentials: 'same-origin' });
  const body = await res.json() as { origins?: unknown; loginOrigins?: unknown };
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((o): o is string => typeof o === 'string') : []);
  return { approved: strings(body.origins), login: strings(body.loginOrigins) };
}

/** True once `initSharedWorker` (or `initCCP`) ran and `terminate` did not. */
export function isInitialized(): boolean {
  return initialized;
}

/** Marks the library initialised; false (with a warning) when it already was. */
export function claimInit(): boolean {
  if (initialized) {
    getContext().log.warn('connect.core is already initialised; ignoring the second call');
    return false;
  }
  initialized = true;
  return true;
}

/**
 * The state this tab holds: version, agent data (CTI shapes, timestamps in epoch seconds), skew, and whether it is
 * stale (restored from persistence, not yet confirmed by the engine).
 *
 * @example
 * const { version, data, stale } = connect.core.getState();
 */
export function getState(): Omit<StateFull, 'type'> {
  const s = getContext().state;
  return { version: s.version, data: s.data, skew: s.skew, stale: s.stale };
}

/** The transport this page is on (`shared-worker`, `broadcast`, `in-page`, `iframe`), or null before it connects. */
export function getTransportKind(): TransportKind | null {
  return running?.link.transport.kind ?? null;
}

/** The transport, and for the broadcast fallback the leadership epoch and whether this page leads; null before
 * it connects.
 *
 * @example
 * const { transport, epoch, leader } = connect.core.getTransportInfo() ?? {};
 */
export function getTransportInfo(): TransportInfo | null {
  const t = running?.link.transport;
  return t ? t.info?.() ?? { transport: t.kind } : null;
}

/** This page's tab id in the engine (the original's `portStreamId`). */
export function getTabId(): string | null {
  return running?.link.tabId ?? null;
}

/** How many tabs are connected to the engine (`update_connected_ccps`). */
export function getNumberOfConnectedCCPs(): number {
  return connectedTabs;
}

/** A picture of the engine (tabs, versions, skew, polls, topics) for the inspector. */
export function inspect(): Promise<EngineInfo> {
  if (!running) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'not initialised'));
  return running.link.inspect();
}

/** Hands the engine a fresh session (after a login popup, or in a frame without cookies). */
export function supplySession(authToken: string, expiration?: number): void {
  running?.link.session(authToken, expiration);
}

/** Logout: the engine stops polling and every tab receives `terminated`. */
export function logout(): void {
  running?.link.terminate();
}
