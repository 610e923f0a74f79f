/**
 * The CCP frame speaking the Streams conduit for a parent page built on the genuine `amazon-connect-streams`
 * library: the parent becomes a tab of role `crm` of our engine (its own connection, opened here, with its own
 * liveness lock held by this frame), exactly as a connect-sync CRM does through our own bridge.
 *
 * What the parent gets: `acknowledge {id}` at once (its init waits for it, 5 s at most) and one for every
 * `synchronize`; `agent::update` on connect and on every change; an `api_response` / `master_response` for every
 * request; the echo of broadcasts; the engine's events and log lines. Defence: only messages whose source is the
 * parent window and whose origin is the approved parent origin are read, and every post goes to that exact origin.
 *
 * @example
 * const relay = new ConduitRelay({ parentOrigin, createTransport, locks, onConfigure, log, claim: () => true });
 * relay.start();
 */
import type { HostLocks } from '../../shared/engine-host';
import type { AgentData } from '../../shared/cti';
import { applyDelta } from '../../shared/delta';
import { AgentEvents, EventType } from '../../shared/enums';
import { TabEvent } from '../../shared/tab-events';
import {
  DownType, ENGINE_EVENTS, ErrorType, MasterMethod, TabRole, wireError,
  type LogRecord, type StateDelta, type StateFull, type WireError,
} from '../../shared/protocol';
import { EngineLink } from '../tab/engine-link';
import { toEngineRequest } from './conduit-requests';
import {
  broadcastRoute, BroadcastRoute, conduitErrorString, ConduitDownEvent, ConduitMasterMethod, ConduitUpEvent,
  validateConduitUp, type ApiRequest, type ConduitMasterRequest, type ConduitUp,
} from './streams-conduit';
import { fromStreamsLogEntry, toStreamsAgentData, toStreamsLogEntry } from './streams-shapes';
import { TokenBucket } from '../../shared/rate-limit';
import { RELAY_MESSAGE_LIMIT } from '../embed/iframe-relay';
import { randomId, type Transport } from '../tab/transport';
import { toWireError } from '../../shared/errors';

/** The genuine CCP asks its parent for `configure` again when none came within 1 s of its load (a reloaded frame
 * has lost it; the parent sends it only once, right after the first acknowledge): the same second here. */
export const CONFIGURE_CHECK_MS = 1000;
/** The CRM's log lines are forwarded to the engine in batches, once a second, as our own tabs do. */
export const CONDUIT_LOG_FLUSH_MS = 1000;
/** Most CRM log lines kept while waiting for the next batch (a chatty page loses its oldest lines, not the frame). */
const MAX_PENDING_LOGS = 500;

export interface ConduitRelayOptions {
  parentOrigin: string;
  /** A fresh transport to the engine, for the parent's tab. */
  createTransport(): Transport;
  /** The lock manager for the parent tab's liveness lock (the one the page's transport uses). */
  locks?: () => Promise<HostLocks | undefined>;
  /** Page options from `initCCP` (`softphone`, `chat`, `pageOptions`). */
  onConfigure(options: Record<string, unknown>): void;
  log(level: 'info' | 'warn' | 'error', text: string): void;
  /** Asked at the parent's first valid conduit message: may this frame speak the conduit (no other protocol yet)? */
  claim(): boolean;
}

export class ConduitRelay {
  /** The parent's tab id in the engine, handed out in the first `acknowledge` (its `portStreamId`, master ids). */
  readonly tabId = randomId();
  private mode: 'waiting' | 'conduit' | 'other' = 'waiting';
  private link: EngineLink | null = null;
  private linked: Promise<EngineLink> | null = null;
  private state: StateFull | null = null;
  private pushedVersion = -1;
  private pushedSkew = Number.NaN;
  private configured = false;
  /** The configure check has elapsed: ask for `configure` once the parent speaks the conduit (after a frame reload
   * its first message is its next `synchronize`, which may come later than the check). */
  private configureDue = false;
  private configureAsked = false;
  private configureTimer: ReturnType<typeof setTimeout> | undefined;
  private logTimer: ReturnType<typeof setInterval> | undefined;
  private pendingLogs: LogRecord[] = [];
  private stopped = false;
  /** The same flood control as our own bridge: one looping or hostile page cannot make the frame flood the engine. */
  private readonly bucket = new TokenBucket(RELAY_MESSAGE_LIMIT, Date.now());
  private readonly listener = (e: MessageEvent): void => this.onMessage(e);
  private readonly onPageHide = (): void => this.stop();

  constructor(private readonly options: ConduitRelayOptions) {}

  /** Listens to the parent and acknowledges it (a parent that speaks our own bridge ignores the acknowledge). */
  start(): void {
    addEventListener('message', this.listener);
    addEventListener('pagehide', this.onPageHide);
    this.toParent(ConduitDownEvent.ACKNOWLEDGE, { id: this.tabId });
    this.configureTimer = setTimeout(() => {
      this.configureDue = true;
      this.requestConfigureIfDue();
    }, CONFIGURE_CHECK_MS);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    removeEventListener('message', this.listener);
    removeEventListener('pagehide', this.onPageHide);
    clearTimeout(this.configureTimer);
    clearInterval(this.logTimer);
    this.flushLogs();
    this.link?.close();
    this.link = null;
  }

  private requestConfigureIfDue(): void {
    if (this.mode !== 'conduit' || this.configured || !this.configureDue || this.configureAsked) return;
    this.configureAsked = true;
    this.toParent(ConduitDownEvent.REQUEST_CONFIGURE);
  }

  private toParent(event: string, data?: unknown): void {
    if (this.stopped) return;
    window.parent.postMessage(data === undefined ? { event } : { event, data }, this.options.parentOrigin);
  }

  private onMessage(e: MessageEvent): void {
    if (e.source !== window.parent || e.origin !== this.options.parentOrigin || this.mode === 'other') return;
    const checked = validateConduitUp(e.data);
    if (!checked) return;
    if (this.mode === 'waiting') {
      if (!this.options.claim()) {
        this.mode = 'other';
        return;
      }
      this.mode = 'conduit';
      this.openLink();
      this.requestConfigureIfDue();
    }
    if (!this.bucket.take(Date.now())) {
      const error = wireError(ErrorType.THROTTLED, `too many ${String((e.data as { event: unknown }).event).slice(0, 64)} messages from the CRM page; retry later`);
      const id = checked.ok && 'requestId' in checked.value ? checked.value.requestId : undefined;
      if (id && checked.ok && checked.value.event === ConduitUpEvent.API_REQUEST) this.apiResponse(id, undefined, error);
      if (id && checked.ok && checked.value.event === ConduitUpEvent.MASTER_REQUEST) this.masterResponse(id, undefined, error);
      return;
    }
    if (!checked.ok) {
      const { error, answer } = checked.rejection;
      this.options.log('warn', `conduit: refused a message from the CRM: ${error.message}`);
      if (answer?.event === ConduitUpEvent.API_REQUEST) this.apiResponse(answer.requestId, undefined, error);
      if (answer?.event === ConduitUpEvent.MASTER_REQUEST) this.masterResponse(answer.requestId, undefined, error);
      return;
    }
    this.route(checked.value);
  }

  private route(msg: ConduitUp): void {
    switch (msg.event) {
      case ConduitUpEvent.SYNCHRONIZE:
        // The frame is alive and relaying: the engine's own keep-alive with this frame is the link's business.
        this.toParent(ConduitDownEvent.ACKNOWLEDGE);
        return;
      case ConduitUpEvent.API_REQUEST:
        void this.apiRequest(msg);
        return;
      case ConduitUpEvent.MASTER_REQUEST:
        void this.masterRequest(msg);
        return;
      case ConduitUpEvent.BROADCAST:
        this.broadcast(msg.name, msg.data);
        return;
      case ConduitUpEvent.CONFIGURE:
        this.configured = true;
        this.options.onConfigure(msg.options);
        return;
      case ConduitUpEvent.OUTER_CONTEXT_INFO:
        this.options.log('info', `conduit: parent runs amazon-connect-streams ${msg.streamsVersion ?? '(unknown version)'}`);
        return;
      case ConduitUpEvent.RELOAD_AGENT_CONFIGURATION:
        void this.withLink((link) => link.reloadConfiguration());
        return;
      case ConduitUpEvent.MEDIA_DEVICE_REQUEST:
        void this.mediaDevices();
        return;
      case ConduitUpEvent.TERMINATE:
        void this.withLink((link) => link.terminate());
        return;
      case ConduitUpEvent.IFRAME_STYLE:
        return; // informational: the genuine CCP uses it to notice a hidden frame
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The parent's engine tab
  // -------------------------------------------------------------------------------------------------------------

  private openLink(): void {
    const link = new EngineLink({
      transport: this.options.createTransport(),
      tabId: this.tabId,
      role: TabRole.CRM,
      holdLock: true,
      locks: this.options.locks,
      wantsLogs: true,
      sink: {
        state: (msg) => this.applyState(msg),
        event: (event, data) => this.onEngineEvent(event, data),
        logs: (records) => {
          for (const r of records) if (r.source !== this.tabId) this.toParent(ConduitDownEvent.LOG, toStreamsLogEntry(r));
        },
      },
    });
    this.link = link;
    this.linked = link.connect().then(() => link);
    this.linked.catch((e: unknown) => this.options.log('error', `conduit: could not connect the CRM's tab: ${JSON.stringify(toWireError(e))}`));
    this.logTimer = setInterval(() => this.flushLogs(), CONDUIT_LOG_FLUSH_MS);
  }

  private withLink<T>(work: (link: EngineLink) => T | Promise<T>): Promise<T> {
    if (!this.linked) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'the CRM has no engine connection'));
    return this.linked.then(work);
  }

  private applyState(msg: StateFull | StateDelta): 'applied' | 'gap' {
    if (msg.type === DownType.STATE) {
      this.state = msg;
    } else {
      const next = this.state && this.state.version === msg.base ? applyDelta(this.state, msg) : null;
      if (!next) return 'gap';
      this.state = next;
    }
    this.pushAgent();
    return 'applied';
  }

  /** `agent::update` when the version or the skew changed (the genuine library raises refresh events per update). */
  private pushAgent(): void {
    const s = this.state;
    if (!s?.data || (s.version === this.pushedVersion && s.skew === this.pushedSkew)) return;
    this.pushedVersion = s.version;
    this.pushedSkew = s.skew;
    this.toParent(ConduitDownEvent.AGENT_UPDATE, toStreamsAgentData(s.data as AgentData, s.skew, Date.now()));
  }

  private onEngineEvent(event: string, data: unknown): void {
    switch (event) {
      case TabEvent.LINK_ERROR:
        this.options.log('warn', `conduit: engine link: ${JSON.stringify(data)}`);
        return;
      case EventType.ACK_TIMEOUT:
        this.options.log('warn', 'conduit: the engine did not acknowledge; the link keeps trying');
        return;
      case EventType.ACKNOWLEDGE:
      case ENGINE_EVENTS.MASTER_CHANGED:
        return; // ours, not the genuine library's vocabulary
      default:
        // Broadcast echoes (`contact::accepted`, `mute`…), `update_connected_ccps`, `auth_fail`, `access_denied`,
        // `terminated`: the genuine library reads them under these names.
        this.toParent(event, data);
        // Our tabs turn a `mute` broadcast into `agent::mute_toggle` themselves; the genuine library expects the
        // CCP (its softphone) to announce it.
        if (event === EventType.MUTE) this.toParent(AgentEvents.MUTE_TOGGLE, { muted: (data as { mute?: unknown } | null)?.mute === true });
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Requests
  // -------------------------------------------------------------------------------------------------------------

  private async apiRequest(msg: ApiRequest): Promise<void> {
    const req = toEngineRequest(msg.method, msg.params);
    if (!req.ok) {
      this.apiResponse(msg.requestId, undefined, req.error);
      return;
    }
    try {
      const data = await this.withLink((link) => link.request(req.method, req.params));
      this.apiResponse(msg.requestId, data ?? {}, null);
    } catch (e) {
      const error = toWireError(e);
      // As the genuine worker: a request refused for the session is answered with `auth_fail`, not a response.
      if (error.type === ErrorType.UNAUTHORIZED) this.toParent(ConduitDownEvent.AUTH_FAIL, { authorize: true });
      else this.apiResponse(msg.requestId, {}, error);
    }
  }

  private apiResponse(requestId: string, data: unknown, error: WireError | null): void {
    this.toParent(ConduitDownEvent.API_RESPONSE, {
      event: ConduitDownEvent.API_RESPONSE, requestId, data, err: error ? conduitErrorString(error) : null,
    });
  }

  private async masterRequest(msg: ConduitMasterRequest): Promise<void> {
    try {
      const result = await this.withLink(async (link) => {
        if (msg.method === ConduitMasterMethod.BECOME) return link.master(MasterMethod.BECOME, msg.topic);
        if (msg.shouldNotBecomeMasterIfNone) {
          // Only look: our engine's check claims a free topic, so ask who holds it instead.
          const info = await link.inspect().catch(() => null);
          if (info) {
            const masterId = info.topics[msg.topic] ?? null;
            return { topic: msg.topic, masterId, isMaster: masterId === this.tabId };
          }
        }
        return link.master(MasterMethod.CHECK, msg.topic);
      });
      const data = msg.method === ConduitMasterMethod.BECOME
        ? { masterId: result.masterId, takeOver: !!result.takeOver, topic: msg.topic }
        : { masterId: result.masterId, isMaster: result.isMaster, topic: msg.topic };
      this.masterResponse(msg.requestId, data, null);
    } catch (e) {
      this.masterResponse(msg.requestId, undefined, toWireError(e));
    }
  }

  private masterResponse(requestId: string, data: unknown, error: WireError | null): void {
    this.toParent(ConduitDownEvent.MASTER_RESPONSE, {
      event: ConduitDownEvent.MASTER_RESPONSE, requestId, data, err: error ? conduitErrorString(error) : null,
    });
  }

  private broadcast(name: string, data: unknown): void {
    switch (broadcastRoute(name)) {
      case BroadcastRoute.LOG: {
        const record = fromStreamsLogEntry(data, this.tabId);
        if (record) this.pendingLogs.push(record);
        if (this.pendingLogs.length > MAX_PENDING_LOGS) this.pendingLogs.splice(0, this.pendingLogs.length - MAX_PENDING_LOGS);
        return;
      }
      case BroadcastRoute.SENDER_ONLY:
        this.toParent(name, data);
        return;
      case BroadcastRoute.EVERY_TAB:
        // The engine echoes it to every tab, this one included (the genuine library's `contact.onAccepted` and mute
        // feedback depend on the echo). What a CRM may not raise across tabs (the engine's role rules: e.g.
        // `contact::screen_sharing_started`) still reaches its own page, as a CCP that drops it would leave it.
        void this.withLink((link) => link.tryBroadcast(name, toJsonData(data))).then((refused) => {
          if (!refused) return;
          if (refused.type === ErrorType.FORBIDDEN) this.toParent(name, data);
          else this.options.log('warn', `conduit: broadcast ${name} not delivered: ${refused.type}: ${refused.message}`);
        }, () => undefined);
    }
  }

  private flushLogs(): void {
    if (!this.pendingLogs.length || !this.link) return;
    this.link.log(this.pendingLogs.splice(0, this.pendingLogs.length));
  }

  private async mediaDevices(): Promise<void> {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      this.toParent(ConduitDownEvent.MEDIA_DEVICE_RESPONSE, devices.map((d) => d.toJSON() as unknown));
    } catch (e) {
      this.toParent(ConduitDownEvent.MEDIA_DEVICE_RESPONSE, { error: toWireError(e).message });
    }
  }
}

/** Broadcast data crosses the engine as JSON: `Date`s become ISO strings there, as anything else JSON-able stays. */
function toJsonData(data: unknown): unknown {
  try {
    return data === undefined ? undefined : JSON.parse(JSON.stringify(data)) as unknown;
  } catch {
    return undefined;
  }
}
