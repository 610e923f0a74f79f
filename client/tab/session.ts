/**
 * One page's life with the library, as one object: a `TabSession` is started by `initSharedWorker` / `initCCP` and
 * ended by `terminate`. It owns the context the API objects read (bus, state, logger, upstream), the engine link with
 * its log-forwarding timer, the page's `pagehide`/`pageshow` listeners, and everything the init started on the
 * side (a CCP frame's relay, the ringtone and the login popup, a CRM page's CCP iframe and its lock service), each
 * registered with `own()`; `end()` stops all of it. This module keeps the one reference to the current session.
 * Before init the session is idle (its bus keeps the subscriptions made then); `terminate` ends it and an idle
 * successor takes its place, with the same logger and event payloads and nothing else.
 */
import { AgentEvents, EventType } from '../../shared/enums';
import { ErrorType, wireError, type EngineInfo, type LogRecord, type TabRole } from '../../shared/protocol';
import type { HostLocks } from '../../shared/engine-host';
import { TabEvent } from '../../shared/tab-events';
import { EventBus } from '../api/event-bus';
import { getLog } from '../api/log';
import { RAW_PAYLOADS, TabState, type EventPayloads } from '../api/state';
import type { LoginPopupManager } from '../features/auth-popup';
import type { TabContext } from './tab-context';
import { EngineLink, type LinkSink } from './engine-link';
import { loadPersistedReader, PERSISTED_LOAD_DEADLINE_MS } from './on-demand';
import { withDeadline, type Transport, type TransportInfo } from './transport';
import type { TrustedOrigins } from './url-policy';

/** Forwarding this tab's log entries to the engine in batches: once a second keeps the cost to one message per
 * second per tab at most, and a crash loses at most a second of entries. */
export const LOG_FORWARD_INTERVAL_MS = 1000;

/** What a session needs from the page: its `pagehide`/`pageshow` events and an interval timer (a test's fakes). */
export interface SessionHost {
  addEventListener(type: 'pagehide' | 'pageshow', f: (e: PageTransitionEvent) => void): void;
  removeEventListener(type: 'pagehide' | 'pageshow', f: (e: PageTransitionEvent) => void): void;
  setInterval(f: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

/** The page itself. */
function pageHost(): SessionHost {
  return {
    addEventListener: (type, f) => addEventListener(type, f),
    removeEventListener: (type, f) => removeEventListener(type, f),
    setInterval: (f, ms) => setInterval(f, ms),
    clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
  };
}

export interface ConnectOptions {
  role: TabRole;
  /** Render the engine's persisted state (same origin only) while connecting. */
  readPersisted: boolean;
  /** Hold this tab's liveness lock here (a CRM's lock is held by its CCP frame instead). */
  holdLock: boolean;
  /** The lock manager to hold it with (default `navigator.locks`). */
  locks?: () => Promise<HostLocks | undefined>;
  synIntervalMs?: number;
  ackTimeoutMs?: number;
  /** Connects again after the page comes back from the back/forward cache. */
  restart: () => void;
}

/** A `mute` broadcast (from `agent.mute()` in any tab) becomes the shared mute status and `agent::mute_toggle`. */
function installMuteBridge(ctx: TabContext): void {
  ctx.bus.subscribe(EventType.MUTE, (data: unknown) => {
    const mute = (data as { mute?: unknown } | null)?.mute;
    if (typeof mute !== 'boolean') {
      ctx.log.warn('Ignoring a mute event without a boolean "mute" field');
      return;
    }
    ctx.muted = mute;
    ctx.bus.trigger(AgentEvents.MUTE_TOGGLE, { muted: mute });
  });
}

export class TabSession {
  readonly context: TabContext;
  private phase: 'idle' | 'started' | 'ended' = 'idle';
  private link: EngineLink | null = null;
  /** Stops what lives as long as one link (the log forwarding): a back/forward-cache restore makes a new link. */
  private stopLink: (() => void) | null = null;
  /** Stops what lives as long as the session, newest first on `end()`. */
  private readonly stops: (() => void)[] = [];
  /** Aborted by `end()`: what the session still waits for (the persisted-state read) stops waiting. */
  private readonly ending = new AbortController();
  private listening = false;
  private restoreOnShow: (() => void) | null = null;
  /** How many tabs the engine has (`update_connected_ccps`). */
  connectedTabs = 0;
  /** The page options a framing CRM passed to `initCCP`, as its bridge forwarded them. */
  pageOptions: Record<string, unknown> = {};
  /** The origins the CCP server trusts, once read (none before: only this page's origin is trusted then). */
  trusted: TrustedOrigins = { approved: [], login: [] };
  /** The CCP iframe of `initCCP`. */
  frame: HTMLIFrameElement | null = null;
  /** The login popup, once its chunk is loaded; `loginLoading` while it loads. */
  loginPopup: LoginPopupManager | null = null;
  loginLoading = false;

  private restart: () => void = () => undefined;

  constructor(public payloads: EventPayloads = RAW_PAYLOADS, private readonly host: SessionHost = pageHost()) {
    const log = getLog();
    const bus = new EventBus({ logger: log });
    this.context = { bus, state: new TabState(bus, payloads, log), log, upstream: null, muted: false };
    installMuteBridge(this.context);
  }

  /** Between an accepted init and `end()`. */
  get started(): boolean {
    return this.phase === 'started';
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  /** Marks the session started (the init calls); false, with a warning, when it already was or has ended. */
  claim(): boolean {
    if (this.phase !== 'idle') {
      this.context.log.warn('connect.core is already initialised; ignoring the second call');
      return false;
    }
    this.phase = 'started';
    return true;
  }

  /**
   * Registers `stop` to run when the session ends (at once if it has). Returns a function that runs it now, once,
   * and forgets it.
   *
   * @example
   * const observer = new ResizeObserver(size);
   * session.own(() => observer.disconnect());
   */
  own(stop: () => void): () => void {
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      const i = this.stops.indexOf(once);
      if (i >= 0) this.stops.splice(i, 1);
      stop();
    };
    if (this.ended) once();
    else this.stops.push(once);
    return once;
  }

  /** Connects the context to an engine over `transport`. Resolves once the engine welcomed the tab. */
  async connect(transport: Transport, options: ConnectOptions): Promise<void> {
    const ctx = this.context;
    if (this.ended) {
      transport.close();
      throw wireError(ErrorType.NOT_CONNECTED, 'terminated while connecting');
    }
    // The persisted state (a chunk, then an IndexedDB read) renders, marked stale, only while the engine has not
    // answered yet; it never delays the hello, so a tab opened beside a running engine gets live data first.
    if (options.readPersisted) {
      // Given up when the session ends (terminate aborts `ending`), so that no deadline outlives it.
      const { signal } = this.ending;
      const ended = new Promise<null>((resolve) => signal.addEventListener('abort', () => resolve(null)));
      void withDeadline(Promise.race([loadPersistedReader().then((read) => read()), ended]), PERSISTED_LOAD_DEADLINE_MS,
        'connect-persisted.js')
        .then((persisted) => {
          if (persisted && !signal.aborted && ctx.state.version < 0) ctx.state.apply({ ...persisted, stale: true });
        }, () => undefined);
    }
    const link = new EngineLink({
      transport,
      sink: this.sink(),
      role: options.role,
      synIntervalMs: options.synIntervalMs,
      ackTimeoutMs: options.ackTimeoutMs,
      holdLock: options.holdLock,
      locks: options.locks,
    });
    this.disconnect();
    this.link = link;
    const pending: LogRecord[] = [];
    const unsubscribeLog = ctx.log.onEntry((record: LogRecord) => { if (record.source !== 'engine') pending.push(record); });
    const timer = this.host.setInterval(() => { if (pending.length) link.log(pending.splice(0, pending.length)); }, LOG_FORWARD_INTERVAL_MS);
    this.stopLink = () => {
      this.host.clearInterval(timer);
      unsubscribeLog();
    };
    this.listen(options.restart);
    ctx.upstream = {
      request: (method, params) => link.request(method, params),
      master: (method, topic) => link.master(method, topic),
      broadcast: (event, data) => link.broadcast(event, data),
      reloadConfiguration: () => link.reloadConfiguration(),
    };
    // Named before connecting, so that the engine's echo of this tab's first entries is recognised as ours.
    ctx.log.setSource(link.tabId);
    await link.connect();
    if (this.ended) throw wireError(ErrorType.NOT_CONNECTED, 'terminated while connecting');
    const info = transport.info?.() ?? { transport: transport.kind };
    ctx.log.info('connected to the engine over %s as tab %s%s', transport.kind, link.tabId,
      info.epoch !== undefined ? ` (epoch ${info.epoch}, ${info.leader ? 'leader' : 'follower'})` : '');
    ctx.bus.trigger(EventType.TRANSPORT, info);
    ctx.bus.trigger(EventType.ACKNOWLEDGE, { id: link.tabId });
    ctx.bus.trigger(EventType.INIT, null);
  }

  /** Going away or into the back/forward cache: says goodbye now (the liveness lock covers crashes) and remembers
   * how to connect again; back from the cache, connects again. */
  private listen(restart: () => void): void {
    this.restoreOnShow = null;
    if (this.listening) {
      this.restart = restart;
      return;
    }
    this.listening = true;
    this.restart = restart;
    const onPageHide = (e: PageTransitionEvent): void => {
      this.disconnect();
      if (e.persisted) this.restoreOnShow = this.restart;
    };
    const onPageShow = (e: PageTransitionEvent): void => {
      const again = this.restoreOnShow;
      if (!e.persisted || !again || this.link) return;
      this.restoreOnShow = null;
      again();
    };
    this.host.addEventListener('pagehide', onPageHide);
    this.host.addEventListener('pageshow', onPageShow);
    this.own(() => {
      this.host.removeEventListener('pagehide', onPageHide);
      this.host.removeEventListener('pageshow', onPageShow);
    });
  }

  /** Where the link delivers: the state, the bus and the logger. */
  private sink(): LinkSink {
    const { state, bus, log } = this.context;
    return {
      state: (msg, engineId) => state.apply(msg, engineId),
      event: (event, data) => {
        if (event === EventType.UPDATE_CONNECTED_CCPS) this.connectedTabs = (data as { length?: number } | null)?.length ?? this.connectedTabs;
        if (event === TabEvent.LINK_ERROR) {
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

  /** Closes the engine link (saying goodbye) and stops its timer; the API objects' calls fail `NotConnectedError`. */
  disconnect(): void {
    const link = this.link;
    if (!link) return;
    this.link = null;
    this.stopLink?.();
    this.stopLink = null;
    link.close();
    this.context.upstream = null;
  }

  /** Stops everything the session started and drops every subscription and all state (terminate). */
  end(): void {
    if (this.ended) return;
    this.phase = 'ended';
    this.ending.abort();
    this.disconnect();
    while (this.stops.length) {
      try {
        this.stops[this.stops.length - 1]();
      } catch (e) {
        this.context.log.error('terminate: could not stop a part of the session').withException(e);
      }
    }
    this.restoreOnShow = null;
    this.connectedTabs = 0;
    this.context.bus.unsubscribeAll();
    this.context.state.reset();
  }

  /** The transport this page is on, or null before it connects. */
  get transport(): Transport | null {
    return this.link?.transport ?? null;
  }

  /** The transport and, for the broadcast fallback, the leadership epoch and whether this page leads. */
  transportInfo(): TransportInfo | null {
    const t = this.transport;
    return t ? t.info?.() ?? { transport: t.kind } : null;
  }

  /** This page's tab id in the engine, or null before it connects. */
  get tabId(): string | null {
    return this.link?.tabId ?? null;
  }

  /** A picture of the engine, or null before the page connects. */
  inspect(): Promise<EngineInfo> | null {
    return this.link?.inspect() ?? null;
  }

  supplySession(authToken: string, expiration?: number): void {
    this.link?.session(authToken, expiration);
  }

  logout(): void {
    this.link?.terminate();
  }
}

let current: TabSession | null = null;

/**
 * The current session (idle until an init starts it).
 *
 * @example
 * const { bus, state } = currentSession().context;
 */
export function currentSession(): TabSession {
  current ??= new TabSession();
  return current;
}

/** Ends the current session and puts an idle one, with the same event payloads, in its place (terminate). */
export function renewSession(host?: SessionHost): TabSession {
  const old = currentSession();
  old.end();
  current = new TabSession(old.payloads, host);
  return current;
}

/** Installs how raised events are turned into API objects (done once by the API module); later sessions keep it. */
export function setEventPayloads(p: EventPayloads): void {
  const session = currentSession();
  session.payloads = p;
  session.context.state.payloads = p;
}
