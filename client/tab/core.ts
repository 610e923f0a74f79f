/**
 * `connect.core`: starting and stopping the library in a page. A page on the CCP origin (the CCP itself, or any
 * page of that origin) talks to the engine directly with `initSharedWorker`; a CRM on another origin embeds the CCP
 * with `initCCP` and talks through it.
 */
import { ConfigurationEvents, EventType } from '../../shared/enums';
import { DownType, ErrorType, TabRole, TransportKind, type EngineInfo, type StateFull, wireError } from '../../shared/protocol';
import { TabEvent } from '../../shared/tab-events';
import type { TabState } from '../api/state';
import { TransportChooser, type TransportChoice } from './choose';
import { loadRelay } from './on-demand';
import { parentOriginOf } from '../embed/parent-origin';
import type { RelayApi } from '../embed/relay-session';
import { currentSession, renewSession, type TabSession } from './session';
import type { Transport, TransportInfo } from './transport';
import type { HostLocks } from '../../shared/engine-host';
import type { TrustedOrigins } from './url-policy';
import { scriptBase } from './script-base';

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


/** The worker as the app's bundler emitted it: set once by the ESM entry (`client/module.ts`) as it loads, before
 * any init; absent in the UMD build. A load-time fact, not part of any session. */
const bundled: { workerUrl?: string } = {};

/** Called once by the ESM entry with the URL of the package's `connect-shared-worker.js` (see `client/module.ts`). */
export function setBundledWorkerUrl(url: string): void {
  bundled.workerUrl ??= url;
}

function defaultWorkerUrl(): string {
  if (bundled.workerUrl) return bundled.workerUrl;
  return scriptBase ? new URL('connect-shared-worker.js', scriptBase).href : '/connect-shared-worker.js';
}

/** This page's transports: the first chooses (and says so in the log); a leader change is a `transport` event. */
function pageTransports(session: TabSession, options: InitSharedWorkerOptions, workerUrl: string,
  approvedParent: Promise<string | null>): TransportChooser {
  const { bus, log, state } = session.context;
  return new TransportChooser({
    approvedParent: () => approvedParent,
    choice: options.transport ?? 'auto', workerUrl, workerName: options.workerName,
    origin: location.origin,
    seed: () => (state.version >= 0 ? { type: DownType.STATE, ...stateOf(state) } : null),
    log: (level, text) => { log[level](text); },
    onChange: (info) => {
      log.info('now on %s epoch %s (%s)', info.transport, info.epoch, info.leader ? 'leader' : 'follower');
      bus.trigger(EventType.TRANSPORT, info);
    },
  });
}

/**
 * Connects this page (on the CCP origin) to the engine: the SharedWorker shared by every tab of the origin.
 *
 * @example
 * connect.core.initSharedWorker();
 * connect.agent((agent) => console.log(agent.getState().name));
 */
export function initSharedWorker(options: InitSharedWorkerOptions = {}): TabSession | null {
  const session = currentSession();
  if (!session.claim()) return null;
  connectPage(session, options);
  return session;
}

/** The connection of a page on the CCP origin: at init, and again when it comes back from the back/forward cache. */
function connectPage(session: TabSession, options: InitSharedWorkerOptions): void {
  const { log, bus } = session.context;
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const role = options.role === 'inspector' ? TabRole.INSPECTOR : options.role === 'page' ? TabRole.PAGE : TabRole.CCP;
  const parentOrigin = role === TabRole.CCP ? parentOriginOf(window) : null;
  const served = role === TabRole.INSPECTOR ? Promise.resolve(undefined) : loadTrustedOrigins(session, !!parentOrigin);
  const approvedParent = parentOrigin ? served.then((t) => (t === undefined ? undefined : t.approved.includes(parentOrigin) ? parentOrigin : null))
    : Promise.resolve(null);
  const chooser = pageTransports(session, options, workerUrl, approvedParent.then((o) => o ?? null));
  const createTransport = (): Transport => chooser.create();
  const locks = (): Promise<HostLocks | undefined> => chooser.tabLocks();
  if (parentOrigin) startRelay(session, parentOrigin, approvedParent, createTransport, locks);
  session.connect(createTransport(), {
    role, readPersisted: true, holdLock: true, locks, synIntervalMs: options.synIntervalMs, ackTimeoutMs: options.ackTimeoutMs,
    restart: () => connectPage(session, options),
  }).catch((e: unknown) => {
    if (session.ended) return; // terminated while connecting
    log.error('could not connect to the engine: %j', e);
    bus.trigger(TabEvent.TRANSPORT_ERROR, e);
  });
}

/**
 * Tears everything down: the engine link, subscriptions, state, and the CCP iframe of `initCCP`. The page's session
 * ends with all it started (timers, listeners, relay, ringtone, login popup, locks); an idle one takes its place.
 *
 * @example
 * connect.core.terminate();
 */
export function terminate(): void {
  renewSession();
}

/**
 * The origins the CCP server trusts (`GET /approved-origins`): the approved CRM origins and the login origins. Kept
 * for the URL checks (`url-policy.ts`); undefined when the list cannot be read (logged as an error in a CCP frame,
 * which then does not bridge).
 */
function loadTrustedOrigins(session: TabSession, framed: boolean): Promise<TrustedOrigins | undefined> {
  const { log } = session.context;
  return fetchTrustedOrigins().then(
    (t) => { session.trusted = t; return t; },
    (e: unknown) => {
      if (framed) log.error('could not read the approved origins; not bridging').withException(e);
      else log.debug('could not read the trusted origins; URLs from options must be on this origin').withException(e);
      return undefined;
    },
  );
}

/** Running only in a CCP frame: relays for the parent page if its origin is approved. The relay is the chunk
 * `connect-relay.js`, loaded now (while the approved origins are read); if it cannot load, this page logs the typed
 * error (its own connection is unaffected) and the parent, which never hears `ready`, reports its own timeout. A
 * relay whose chunk arrives after `terminate` is not started; the session stops a started one. */
function startRelay(session: TabSession, parentOrigin: string, approvedParent: Promise<string | null | undefined>,
  createTransport: () => Transport, locks: () => Promise<HostLocks | undefined>): void {
  const { log, bus } = session.context;
  const relayApi = loadRelay().catch((e: unknown): RelayApi | null => {
    log.error('could not load the iframe relay; not bridging: %j', e);
    return null;
  });
  void Promise.all([approvedParent, relayApi]).then(([approved, api]) => {
    if (approved === undefined || !api || session.ended) return;
    const relay = api.bridge(!!approved, {
      parentOrigin,
      createTransport,
      locks,
      onConfigure: (opts) => { session.pageOptions = opts; bus.trigger(ConfigurationEvents.CONFIGURE, opts); },
      onError: (e) => log.warn('bridge: %j', e),
    });
    if (relay) session.own(() => relay.stop());
  });
}

/** The page options a framing CRM passed to `initCCP` (`softphone`, `chat`, `pageOptions`). */
export function getPageOptions(): Record<string, unknown> {
  return currentSession().pageOptions;
}

/** The origins the CCP server trusts, once read (none before: only this page's origin is trusted then). */
export function getTrustedOrigins(): TrustedOrigins {
  return currentSession().trusted;
}

async function fetchTrustedOrigins(): Promise<TrustedOrigins> {
  const res = await fetch('/approved-origins', { credentials: 'same-origin' });
  const body = await res.json() as { origins?: unknown; loginOrigins?: unknown };
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((o): o is string => typeof o === 'string') : []);
  return { approved: strings(body.origins), login: strings(body.loginOrigins) };
}

/** True once `initSharedWorker` (or `initCCP`) ran and `terminate` did not. */
export function isInitialized(): boolean {
  return currentSession().started;
}

function stateOf(s: TabState): Omit<StateFull, 'type'> {
  return { version: s.version, data: s.data, skew: s.skew, stale: s.stale };
}

/**
 * The state this tab holds: version, agent data (CTI shapes, timestamps in epoch seconds), skew, and whether it is
 * stale (restored from persistence, not yet confirmed by the engine).
 *
 * @example
 * const { version, data, stale } = connect.core.getState();
 */
export function getState(): Omit<StateFull, 'type'> {
  return stateOf(currentSession().context.state);
}

/** The transport this page is on (`shared-worker`, `broadcast`, `in-page`, `iframe`), or null before it connects. */
export function getTransportKind(): TransportKind | null {
  return currentSession().transport?.kind ?? null;
}

/** The transport, and for the broadcast fallback the leadership epoch and whether this page leads; null before
 * it connects.
 *
 * @example
 * const { transport, epoch, leader } = connect.core.getTransportInfo() ?? {};
 */
export function getTransportInfo(): TransportInfo | null {
  return currentSession().transportInfo();
}

/** This page's tab id in the engine (the original's `portStreamId`). */
export function getTabId(): string | null {
  return currentSession().tabId;
}

/** How many tabs are connected to the engine (`update_connected_ccps`). */
export function getNumberOfConnectedCCPs(): number {
  return currentSession().connectedTabs;
}

/** A picture of the engine (tabs, versions, skew, polls, topics) for the inspector. */
export function inspect(): Promise<EngineInfo> {
  const running = currentSession().inspect();
  if (!running) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'not initialised'));
  return running;
}

/** Hands the engine a fresh session (after a login popup, or in a frame without cookies). */
export function supplySession(authToken: string, expiration?: number): void {
  currentSession().supplySession(authToken, expiration);
}

/** Logout: the engine stops polling and every tab receives `terminated`. */
export function logout(): void {
  currentSession().logout();
}
