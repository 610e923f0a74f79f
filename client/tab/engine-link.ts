/**
 * A tab's connection to the engine over any `Transport`: holds the tab's liveness lock, says `hello`, runs the
 * SYNCHRONIZE/ACK keepalive, hands state and events to the tab, asks for the whole state on a version gap, and
 * carries requests with deadlines so that every call settles.
 */
import type { PostResult } from '../../shared/endpoint';
import { EventType } from '../../shared/enums';
import { TabEvent } from '../../shared/tab-events';
import { validateWelcome } from '../../shared/validate-down';
import {
  DownType, ErrorType, MasterMethod, PROTOCOL_VERSION, TabRole, UpType, wireError,
  type Down, type EngineInfo, type LogRecord, type MasterResult, type Response, type StateDelta, type StateFull,
  type Up, type Welcome, type WireError,
} from '../../shared/protocol';
import { Keepalive } from './keepalive';
import type { HostLocks } from '../../shared/engine-host';
import { holdTabLock, type HeldLock } from './liveness';
import { randomId, withDeadline, type Transport } from './transport';
import { toWireError } from '../../shared/errors';

/** The engine answers a request within its own deadline (30 s by default); the tab waits that long plus this
 * margin for the answer to travel back, then gives up with a `TimeoutError`. */
export const REQUEST_MARGIN_MS = 2000;
/** Default deadline of a request, as the engine's. */
export const REQUEST_TIMEOUT_MS = 30000;
/** Control messages (master, inspect, resync) are answered from memory by the engine; 5 s is generous. */
export const CONTROL_TIMEOUT_MS = 5000;

/** Where the link delivers what the engine sends. */
export interface LinkSink {
  /** Applies a state message; `'gap'` makes the link ask for the whole state. */
  state(msg: StateFull | StateDelta, engineId: string): 'applied' | 'gap' | 'stale-ignored';
  event(event: string, data: unknown): void;
  logs(records: LogRecord[]): void;
}

export interface EngineLinkOptions {
  transport: Transport;
  sink: LinkSink;
  role?: TabRole;
  tabId?: string;
  /** The version this tab already renders (e.g. from persistence). */
  knownVersion?: number;
  synIntervalMs?: number;
  ackTimeoutMs?: number;
  /** Hold the tab's liveness lock (default true; a relay holds it for the page it speaks for). */
  holdLock?: boolean;
  /** The lock manager to hold it with, once the transport is known (default `navigator.locks`; a CCP frame on
   * another site gets its parent's delegated locks). */
  locks?: () => Promise<HostLocks | undefined>;
  /** Ask the engine to push its log lines and other tabs' (default true), so that `connect.getLog()` holds the
   * merged log of the browser. The cost is bounded: the engine sends one batch a second at most, and the tab's
   * logger keeps `MAX_LOG_ENTRIES`. */
  wantsLogs?: boolean;
}

export class EngineLink {
  readonly tabId: string;
  private welcome: Welcome | null = null;
  private lock: HeldLock | null = null;
  private keepalive: Keepalive | null = null;
  private resyncing = false;
  /** The version of the last state the tab applied: an ACK from a later one means a delivery was lost. */
  private version = -1;
  private closed = false;
  /** Aborts a wait for the tab's lock (re-taking a stolen one) when the link closes. */
  private readonly lockWait = new AbortController();
  /** Resolves once `connect` has settled (welcomed or failed) or the link closed. A call made before (e.g. from a
   * `connect.agent` callback raised on the persisted state) waits for it, within its own deadline. */
  private settled!: () => void;
  private readonly connecting = new Promise<void>((resolve) => { this.settled = resolve; });

  constructor(private readonly options: EngineLinkOptions) {
    this.tabId = options.tabId ?? randomId();
  }

  get transport(): Transport {
    return this.options.transport;
  }

  get engineId(): string | null {
    return this.welcome?.engineId ?? null;
  }

  /** Connects; resolves with the welcome (its state already handed to the sink). */
  async connect(): Promise<Welcome> {
    try {
      return await this.open();
    } finally {
      this.settled();
    }
  }

  private async open(): Promise<Welcome> {
    if (this.options.holdLock !== false) {
      const locks = this.options.locks ? await this.options.locks() : (globalThis.navigator as Navigator | undefined)?.locks;
      this.lock = await this.takeLock(locks);
    }
    const answer = await this.options.transport.connect({
      type: UpType.HELLO,
      tabId: this.tabId,
      protocol: PROTOCOL_VERSION,
      role: this.options.role ?? TabRole.PAGE,
      url: typeof location !== 'undefined' ? location.href : undefined,
      knownVersion: this.options.knownVersion,
      wantsLogs: this.options.wantsLogs ?? true,
    }, (msg) => this.onDown(msg), (w) => this.rewelcome(w), (error) => this.options.sink.event(TabEvent.LINK_ERROR, error));
    const welcome = checkedWelcome(answer);
    this.welcome = welcome;
    this.state(welcome.state);
    this.options.sink.event(EventType.UPDATE_CONNECTED_CCPS, { length: welcome.tabCount });
    this.startKeepalive();
    return welcome;
  }

  private takeLock(locks: HostLocks | undefined): Promise<HeldLock | null> {
    return holdTabLock(this.tabId, locks, { signal: this.lockWait.signal, onLost: () => void this.relock(locks) });
  }

  /**
   * Another page of the origin stole the tab's lock. When it lets go, the engine (queued first) is granted it and
   * drops the tab; so the tab queues for its lock again (one request, no timer) and, once it holds it, says hello once
   * more on its transport: the engine knows it again and watches the lock anew. A thief that keeps the lock leaves
   * the tab registered and waiting.
   */
  private async relock(locks: HostLocks | undefined): Promise<void> {
    if (this.closed) return;
    this.options.sink.event(TabEvent.LINK_ERROR, wireError(ErrorType.NOT_CONNECTED,
      `another page of this origin took this tab's liveness lock; taking it back`));
    const lock = await this.takeLock(locks).catch(() => null);
    if (!lock) return; // the link closed while waiting
    if (this.closed) { lock.release(); return; }
    this.lock = lock;
    const rejoin = this.options.transport.rejoin;
    if (!rejoin) return;
    try {
      this.rewelcome(await rejoin.call(this.options.transport));
    } catch (e) {
      this.options.sink.event(TabEvent.LINK_ERROR, toWireError(e));
    }
  }

  /** The transport moved this tab to another engine (a new broadcast leader): take its whole state. */
  private rewelcome(answer: Welcome): void {
    const checked = validateWelcome(answer);
    if (!checked.ok) {
      this.options.sink.event(TabEvent.LINK_ERROR, checked.error); // the keepalive reports a link that stays broken
      return;
    }
    const welcome = checked.value;
    this.welcome = welcome;
    this.state(welcome.state);
    this.options.sink.event(EventType.UPDATE_CONNECTED_CCPS, { length: welcome.tabCount });
  }

  /** Sends a CTI request; resolves with its data or rejects with a typed error. Always settles. */
  async request(method: string, params: Record<string, unknown>, opts: { idempotencyKey?: string; timeoutMs?: number } = {}): Promise<unknown> {
    const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
    const res = await this.post({
      type: UpType.REQUEST, requestId: randomId(), method, params,
      idempotencyKey: opts.idempotencyKey ?? randomId(), timeoutMs,
    }, timeoutMs + REQUEST_MARGIN_MS) as Response | undefined;
    if (!res || res.type !== DownType.RESPONSE) throw wireError(ErrorType.INTERNAL, `no response to ${method}`);
    if (!res.ok) throw res.error;
    return res.data;
  }

  async master(method: MasterMethod, topic: string): Promise<MasterResult> {
    const res = await this.post({ type: UpType.MASTER, requestId: randomId(), method, topic }, CONTROL_TIMEOUT_MS);
    throwIfRefused(res); // ForbiddenError (a CRM asking for a CCP-only topic), ThrottledError
    if (!res || typeof (res as MasterResult).isMaster !== 'boolean') throw wireError(ErrorType.INTERNAL, 'bad master answer');
    return res as MasterResult;
  }

  async inspect(): Promise<EngineInfo> {
    const res = await this.post({ type: UpType.INSPECT }, CONTROL_TIMEOUT_MS);
    throwIfRefused(res);
    return res as EngineInfo;
  }

  broadcast(event: string, data?: unknown): void {
    this.fire({ type: UpType.BROADCAST, event, data });
  }

  /** `broadcast`, telling the caller whether the engine took it: null, or its typed refusal (e.g. `ForbiddenError`
   * for a broadcast the tab's role may not make). Always settles. */
  async tryBroadcast(event: string, data?: unknown): Promise<WireError | null> {
    try {
      const res = await this.post({ type: UpType.BROADCAST, event, data }, CONTROL_TIMEOUT_MS);
      return res && (res as Response).type === DownType.RESPONSE && !(res as Response).ok ? (res as { error: WireError }).error : null;
    } catch (e) {
      return toWireError(e);
    }
  }

  reloadConfiguration(): void {
    this.fire({ type: UpType.RELOAD_CONFIGURATION });
  }

  session(authToken: string, expiration?: number): void {
    this.fire({ type: UpType.SESSION, authToken, expiration });
  }

  terminate(): void {
    this.fire({ type: UpType.TERMINATE });
  }

  log(entries: LogRecord[]): void {
    if (entries.length) this.fire({ type: UpType.LOG, entries });
  }

  /** Says goodbye (fast path ahead of the liveness lock) and stops. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.settled();
    this.lockWait.abort();
    this.keepalive?.stop();
    this.options.transport.send({ type: UpType.BYE });
    this.options.transport.close();
    this.lock?.release();
  }

  /** Posts once the engine has welcomed the tab (a wait for the welcome has the call's deadline too). */
  private async post(msg: Up, timeoutMs: number): Promise<PostResult> {
    if (!this.welcome) await withDeadline(this.connecting, timeoutMs, 'the engine');
    if (this.closed || !this.welcome) throw wireError(ErrorType.NOT_CONNECTED, 'The tab is not connected to the engine');
    return this.options.transport.post(msg, timeoutMs).catch((e: unknown) => { throw toWireError(e); });
  }

  /** Fire-and-forget messages still report failures to the log, never to the caller. */
  private fire(msg: Up): void {
    this.post(msg, CONTROL_TIMEOUT_MS).then((res) => {
      if (res && (res as Response).type === DownType.RESPONSE && !(res as Response).ok) {
        this.options.sink.event(TabEvent.LINK_ERROR, (res as { error: WireError }).error);
      }
    }, (e: WireError) => this.options.sink.event(TabEvent.LINK_ERROR, e));
  }

  private startKeepalive(): void {
    this.keepalive = new Keepalive({
      intervalMs: this.options.synIntervalMs,
      timeoutMs: this.options.ackTimeoutMs,
      send: (seq) => this.options.transport.send({ type: UpType.SYNCHRONIZE, seq }),
      onTimeout: () => this.options.sink.event(EventType.ACK_TIMEOUT, null),
      onRestored: () => this.options.sink.event(EventType.ACKNOWLEDGE, { id: this.tabId }),
    });
    this.keepalive.start();
  }

  /** Hands a state to the tab; a delta that does not follow the tab's version makes it ask for the whole state. */
  private state(msg: StateFull | StateDelta): void {
    const outcome = this.options.sink.state(msg, this.welcome?.engineId ?? '');
    if (outcome === 'applied') this.version = msg.version;
    else if (outcome === 'gap') this.resync();
  }

  private onDown(msg: Down): void {
    switch (msg.type) {
      case DownType.STATE:
      case DownType.DELTA:
        this.state(msg);
        return;
      case DownType.ACKNOWLEDGE:
        if (msg.tabId !== this.tabId) return;
        this.keepalive?.acknowledged(msg.seq);
        if ((msg.version ?? -1) > this.version) this.resync();
        return;
      case DownType.EVENT:
        this.options.sink.event(msg.event, msg.data);
        return;
      case DownType.LOG:
        this.options.sink.logs(msg.entries);
        return;
      case DownType.RESPONSE:
        return; // answers travel as return values on this transport
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  /** Asks once for the whole state; further gaps while waiting are covered by that answer. */
  private resync(): void {
    if (this.resyncing) return;
    this.resyncing = true;
    this.post({ type: UpType.RESYNC }, CONTROL_TIMEOUT_MS)
      .catch((e: WireError) => this.options.sink.event(TabEvent.LINK_ERROR, e))
      .finally(() => { this.resyncing = false; });
  }
}

/** The engine's answer to hello, validated on receipt (its state is applied as is): a malformed one fails connect. */
function checkedWelcome(answer: unknown): Welcome {
  const checked = validateWelcome(answer);
  if (!checked.ok) throw checked.error;
  return checked.value;
}

/** The engine answers a message it refused with a failed `Response`: its typed error becomes the rejection. */
function throwIfRefused(res: unknown): void {
  const r = res as Response | undefined;
  if (r && r.type === DownType.RESPONSE && !r.ok) throw r.error;
}
