/**
 * The sync engine: one per browser (hosted by the SharedWorker, or by the leader tab in the fallback). It polls the
 * CTI backend once, keeps `{snapshot, configuration, skew, version}`, fans every observable change out to every tab
 * as one JSON string, answers each tab's requests, heartbeats, master-topic and broadcast messages, and persists its
 * state and logs. Host-agnostic: everything it touches comes in through `EngineDeps`.
 */
import type { AgentConfiguration, AgentSnapshot } from '../shared/cti';
import { EventType, LogLevel } from '../shared/enums';
import type { PushCallback, PostResult } from '../shared/endpoint';
import {
  ENGINE_EVENTS, ErrorType, PROTOCOL_VERSION, TabRole, TransportKind, UpType, wireError,
  type EngineInfo, type Hello, type MasterRequest, type PersistedState, type StateFull, type Up,
  type Welcome, type WireError,
} from '../shared/protocol';
import { publishableSkew, SkewEstimator, type SkewSample } from '../shared/skew';
import { validateUp } from '../shared/validate-up';
import type { AuthProvider } from './auth-provider';
import { AuthEpisodes } from './auth-episodes';
import { AuthSession, type TokenSource } from './auth-session';
import { CoalescingWriter } from './coalescing-writer';
import type { CtiClient } from './cti-client';
import { ackJson, errorResponse, eventJson, logJson } from './down-messages';
import { Hub, type TabRecord } from './hub';
import { EngineLog } from './engine-log';
import { Poller } from './poller';
import { inspectionFor, masterIsReadOnly, refusal } from './role-policy';
import { TabThrottle } from './tab-throttle';
import { StatePublisher, type Publication } from './publisher';
import { DELTA_FAN_OUT, type FanOut } from './fan-out';
import { Router } from './router';
import { buildAgentData } from './state-builder';
import type { StateStore } from './store';
import { resolveTimings, type EngineTimings } from './timings';
import { MasterTopics, type MasterChange } from './topics';
import { readPersisted } from './persisted-restore';

/** Learns of a tab's death: resolves when the tab is gone (its Web Lock was released: closed, navigated, crashed). */
export interface LivenessWatcher {
  watch(tabId: string): Promise<void>;
}

/** Re-exported for the hosts and benchmarks that give the engine a strategy. */
export type { FanOut } from './fan-out';

export interface EngineDeps {
  cti: CtiClient;
  auth: AuthProvider;
  store: StateStore;
  liveness: LivenessWatcher;
  clock: { now(): number };
  random?: () => number;
  transport: TransportKind;
  /** Leadership epoch (fallback transport). */
  epoch?: number;
  timings?: Partial<EngineTimings>;
  /** `DELTA_FAN_OUT` unless a benchmark measures another strategy (see `FanOut`). */
  fanOut?: FanOut;
  /** Ids for idempotency keys and the engine id. */
  newId?: () => string;
  /** The engine id, when the host needs it before construction (e.g. for an `X-Engine-Id` header). */
  engineId?: string;
}

/**
 * @example
 * const engine = new Engine({ cti, auth, store, liveness, clock: Date, transport: TransportKind.SHARED_WORKER });
 * void engine.start();
 * const welcome = await engine.connectTab(hello, (json) => port.push(json));
 * const result = await engine.handle(hello.tabId, { type: 'synchronize', seq: 1 });
 */
export class Engine {
  readonly engineId: string;
  private readonly t: EngineTimings;
  private readonly fanOut: FanOut;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly hub: Hub;
  private readonly topics = new MasterTopics();
  private readonly router: Router;
  private readonly poller: Poller;
  private readonly auth: AuthSession;
  private readonly publisher = new StatePublisher();
  private readonly skew = new SkewEstimator();
  private readonly logs: EngineLog;
  private readonly persister: CoalescingWriter<PersistedState>;
  private snapshot: AgentSnapshot | null = null;
  private configuration: AgentConfiguration | null = null;
  private stale = false;
  private running = false;
  private ready = false;
  private restored = false;
  private terminated = false;
  private readonly episodes: AuthEpisodes;
  private publishedTabCount = 0;
  /** The data of the last `mute` broadcast: replayed to a tab that connects later, so it knows the mute status. */
  private lastMute: unknown = undefined;
  private readonly watched = new Set<string>();
  private readonly throttle: TabThrottle;
  private readonly recent: { time: number; event: string }[] = [];

  constructor(private readonly deps: EngineDeps) {
    this.fanOut = deps.fanOut ?? DELTA_FAN_OUT;
    this.t = resolveTimings(deps.timings);
    this.now = () => deps.clock.now();
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.engineId = deps.engineId ?? this.newId();
    this.logs = new EngineLog({ now: this.now, timings: this.t, store: deps.store,
      tabs: { records: () => this.hub.records(), send: (tabId, json) => this.hub.send(tabId, json) } });
    const log = (level: LogLevel, text: string) => this.log(level, text);
    this.throttle = new TabThrottle(this.t, log);
    this.hub = new Hub({ now: this.now, timings: this.t, fullState: () => this.publisher.fullJson(), log });
    this.router = new Router({
      cti: deps.cti, timings: this.t, newId: this.newId, log,
      onUnauthorized: () => this.episodes.onUnauthorized(),
      onSuccess: (op) => {
        this.episodes.onBackendSuccess();
        // The long poll returns by itself when a write changes the agent's state, so no nudge is needed here;
        // configuration is not long-polled, so a change to it is fetched at once.
        if (op === 'UpdateAgentConfiguration') this.poller.reloadConfiguration();
      },
    });
    this.poller = new Poller({
      cti: deps.cti, now: this.now, random: deps.random ?? Math.random, timings: this.t,
      hooks: {
        onSnapshot: (s, sample) => this.onSnapshot(s, sample),
        onConfiguration: (c) => this.onConfiguration(c),
        onBackendSuccess: () => this.episodes.onBackendSuccess(),
        onUnauthorized: () => this.episodes.onUnauthorized(),
        onAccessDenied: () => this.episodes.onAccessDenied(),
        log,
      },
    });
    this.auth = new AuthSession({ provider: deps.auth, cti: deps.cti, now: this.now, timings: this.t, log,
      onToken: (source) => this.onToken(source) });
    this.episodes = new AuthEpisodes({
      auth: this.auth, poller: this.poller, hub: this.hub, log, noteEvent: (event) => this.noteEvent(event),
      phase: () => ({ running: this.running, ready: this.ready, terminated: this.terminated }),
    });
    this.persister = new CoalescingWriter((s) => deps.store.save(s), this.t.persistThrottleMs,
      (e) => this.log(LogLevel.WARN, `saving state failed: ${String(e)}`));
  }

  /** The published state (what every tab holds at this version). */
  get state(): StateFull {
    return this.publisher.state;
  }

  /** Restores persisted state (published as stale), gets a token, starts polling. A second call is a no-op. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (!this.restored) {
      this.restored = true; // once per engine: a stop/start must not re-publish old persisted state over newer data
      await this.restore();
    }
    if (!this.running) return;
    this.ready = true;
    const outcome = this.auth.hasToken ? 'ok' : await this.auth.refresh('start');
    if (!this.running || this.terminated || this.poller.running) return;
    if (outcome === 'unauthorized') this.episodes.announceAuthFailure();
    else this.poller.start(); // without a token too: the first poll then tells what the backend thinks
  }

  /** Stops polling and timers, writes what is pending. Tabs stay registered. */
  async stop(): Promise<void> {
    this.running = false;
    this.ready = false;
    this.poller.stop();
    this.auth.stop();
    this.logs.stop();
    await this.persister.flush();
  }

  /**
   * Registers a tab (its first message). The tab's first push is the full state; the answer carries it too.
   */
  async connectTab(raw: unknown, push: PushCallback, release?: () => void): Promise<Welcome | { error: WireError }> {
    const checked = validateUp(raw);
    if (!checked.ok) return this.rejectHello(checked.error);
    if (checked.value.type !== UpType.HELLO) return this.rejectHello(wireError(ErrorType.VALIDATION, 'the first message must be hello'));
    const hello: Hello = checked.value;
    if (hello.protocol !== PROTOCOL_VERSION) {
      return this.rejectHello(wireError(ErrorType.PROTOCOL, `engine speaks protocol ${PROTOCOL_VERSION}, tab ${hello.protocol}`));
    }
    const current = this.hub.get(hello.tabId);
    if (current && current.role !== hello.role) {
      // A tab id keeps its role while connected: a CRM naming a CCP tab's id would otherwise replace that tab (its
      // deliveries cut) and inherit its master topics — the ringtone among them.
      return this.rejectHello(wireError(ErrorType.FORBIDDEN, `tab ${hello.tabId} is connected as ${current.role}; a ${hello.role} hello may not replace it`));
    }
    const wantsLogs = hello.wantsLogs === true || hello.role === TabRole.INSPECTOR;
    const { replaced } = this.hub.add({ tabId: hello.tabId, role: hello.role, url: hello.url, wantsLogs, push, release });
    this.watch(hello.tabId);
    this.fanOut.tabConnected(this.hub, hello.tabId, this.publisher);
    this.episodes.replayTo(hello.tabId);
    if (this.lastMute !== undefined) this.hub.send(hello.tabId, eventJson(EventType.MUTE, this.lastMute));
    const backlog = wantsLogs ? this.logs.backlogFor(hello.role, hello.tabId) : [];
    if (backlog.length) this.hub.send(hello.tabId, logJson(backlog));
    this.log(LogLevel.INFO, `tab ${hello.tabId} (${hello.role}) ${replaced ? 'reconnected' : 'connected'}`);
    if (!replaced) this.publishTabCount();
    if (this.ready && (this.terminated || this.episodes.authEpisode !== 'none' || !this.auth.hasToken)) {
      void this.episodes.tryProviderFor(hello.tabId);
    }
    return {
      tabId: hello.tabId, engineId: this.engineId, state: this.publisher.state, tabCount: this.hub.count,
      transport: this.deps.transport, ...(this.deps.epoch !== undefined ? { epoch: this.deps.epoch } : {}),
    };
  }

  /** Every message after hello. Never throws; malformed input gets a typed error and one log line. */
  async handle(tabId: string, raw: unknown): Promise<PostResult> {
    try {
      const limited = this.hub.get(tabId) ? this.throttle.check(tabId, raw, this.now()) : null;
      if (limited) return errorResponse(raw, limited);
      const checked = validateUp(raw);
      if (!checked.ok) {
        this.log(LogLevel.WARN, `tab ${tabId}: rejected message: ${checked.error.message}`);
        return errorResponse(raw, checked.error);
      }
      const tab = this.hub.get(tabId);
      if (!tab) return errorResponse(raw, wireError(ErrorType.NOT_CONNECTED, `tab ${tabId} is not connected`));
      this.hub.noteLife(tabId);
      if (checked.value.type === UpType.HELLO) {
        return errorResponse(raw, wireError(ErrorType.VALIDATION, `already connected as ${tabId}; hello is only the first message`));
      }
      const refused = refusal(tab.role, checked.value);
      if (refused) {
        this.log(LogLevel.WARN, `tab ${tabId}: refused: ${refused.message}`);
        return errorResponse(raw, refused);
      }
      return await this.dispatch(tab, checked.value);
    } catch (e) {
      this.log(LogLevel.ERROR, `tab ${tabId}: handling failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return errorResponse(raw, wireError(ErrorType.INTERNAL, 'the engine failed to handle the message'));
    }
  }

  /** Drops a dead or departing tab at once: deliveries, subscriptions, master topics. */
  dropTab(tabId: string, reason: string): void {
    if (!this.hub.remove(tabId)) return;
    this.throttle.forget(tabId);
    this.log(LogLevel.INFO, `tab ${tabId} dropped (${reason})`);
    for (const change of this.topics.dropTab(tabId)) this.announceMaster(change);
    this.publishTabCount();
  }

  inspect(): EngineInfo {
    const est = this.skew.current();
    return {
      engineId: this.engineId, transport: this.deps.transport,
      ...(this.deps.epoch !== undefined ? { epoch: this.deps.epoch } : {}),
      version: this.publisher.state.version, skew: this.publisher.state.skew, skewRtt: est ? est.rtt : null,
      pollsPerMinute: this.poller.pollsInWindow(), polling: this.poller.status, tabCount: this.hub.count, tabs: this.hub.info(),
      topics: this.topics.snapshot(), recentEvents: [...this.recent],
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Tab messages
  // ---------------------------------------------------------------------------------------------------------

  private async dispatch(tab: TabRecord, msg: Up): Promise<PostResult> {
    switch (msg.type) {
      case UpType.HELLO: // answered in handle(), which still has the raw message's request id
        return undefined;
      case UpType.SYNCHRONIZE:
        tab.lastSynchronize = this.now();
        this.hub.send(tab.tabId, ackJson(tab.tabId, msg.seq, this.state.version));
        tab.lastAcknowledge = this.now();
        return undefined;
      case UpType.REQUEST:
        return this.router.handle(msg);
      case UpType.MASTER:
        return this.master(tab, msg);
      case UpType.BROADCAST:
        this.noteEvent(msg.event);
        if (msg.event === EventType.MUTE) this.lastMute = msg.data;
        this.hub.sendAll(eventJson(msg.event, msg.data), 'control');
        return undefined;
      case UpType.SESSION:
        this.auth.adopt({ accessToken: msg.authToken, expiration: msg.expiration }, 'tab');
        return undefined;
      case UpType.RELOAD_CONFIGURATION:
        this.poller.reloadConfiguration();
        return undefined;
      case UpType.RESYNC:
        this.hub.sendFullTo(tab.tabId);
        return undefined;
      case UpType.LOG:
        for (const entry of msg.entries) this.logs.append({ ...entry, source: tab.tabId });
        return undefined;
      case UpType.INSPECT:
        return inspectionFor(tab.role, tab.tabId, this.inspect());
      case UpType.TERMINATE:
        this.terminate(tab);
        return undefined;
      case UpType.BYE:
        this.dropTab(tab.tabId, 'bye');
        return undefined;
    }
  }

  private master(tab: TabRecord, msg: MasterRequest) {
    const readOnly = masterIsReadOnly(tab.role, msg.topic);
    const { result, change } = this.topics.request(msg.method, msg.topic, tab.tabId, readOnly);
    if (change) this.announceMaster(change);
    return result;
  }

  private announceMaster(change: MasterChange): void {
    this.noteEvent(`${ENGINE_EVENTS.MASTER_CHANGED} ${change.topic} → ${change.masterId ?? 'none'}`);
    this.hub.sendEach((tab) => eventJson(ENGINE_EVENTS.MASTER_CHANGED, { ...change, isMaster: change.masterId === tab.tabId }));
  }

  private publishTabCount(): void {
    if (this.hub.count === this.publishedTabCount) return;
    this.publishedTabCount = this.hub.count;
    this.hub.sendAll(eventJson(EventType.UPDATE_CONNECTED_CCPS, { length: this.hub.count }), 'control');
  }

  private watch(tabId: string): void {
    if (this.watched.has(tabId)) return;
    this.watched.add(tabId);
    this.deps.liveness.watch(tabId).then(
      () => { this.watched.delete(tabId); this.dropTab(tabId, 'its lock was released'); },
      (e: unknown) => { this.watched.delete(tabId); this.log(LogLevel.WARN, `tab ${tabId}: liveness watch failed: ${String(e)}`); },
    );
  }

  private rejectHello(error: WireError): { error: WireError } {
    this.log(LogLevel.WARN, `hello rejected: ${error.message}`);
    return { error };
  }

  private terminate(tab: TabRecord): void {
    this.log(LogLevel.INFO, `terminate (logout) from tab ${tab.tabId} (${tab.role}): polling stopped, session forgotten`);
    this.terminated = true;
    this.poller.stop();
    this.auth.clear();
    this.episodes.reset();
    this.lastMute = undefined;
    this.snapshot = null;
    this.configuration = null;
    this.stale = false;
    this.publishCandidate(); // data → null, so a later tab does not render the logged-out agent
    this.noteEvent(EventType.TERMINATED);
    this.hub.sendAll(eventJson(EventType.TERMINATED), 'control');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Backend results
  // ---------------------------------------------------------------------------------------------------------

  private onSnapshot(snapshot: AgentSnapshot, sample: SkewSample): void {
    this.snapshot = snapshot;
    this.skew.add(sample);
    this.stale = false;
    this.publishCandidate(true);
  }

  private onConfiguration(configuration: AgentConfiguration): void {
    this.configuration = configuration;
    this.publishCandidate(true);
  }

  /** `fromBackend`: a poll answer or configuration round (a fan-out strategy may treat those apart, see `FanOut`). */
  private publishCandidate(fromBackend = false): void {
    const data = this.snapshot && this.configuration ? buildAgentData(this.snapshot, this.configuration) : null;
    const skew = publishableSkew(this.publisher.state.skew, this.skew.current()?.skew);
    const p = this.publisher.offer({ data, skew, stale: this.stale });
    this.publish(p, fromBackend);
  }

  private publish(p: Publication | null, fromBackend = false): void {
    this.fanOut.offered(this.hub, p, this.publisher, fromBackend);
    if (!p) return;
    this.persister.schedule({ state: this.publisher.state, nextToken: this.poller.token, savedAt: this.now(), engineId: this.engineId });
  }

  private async restore(): Promise<void> {
    const { saved, logs } = await readPersisted(this.deps.store, this.t.storeReadDeadlineMs, (level, text) => this.log(level, text));
    if (saved) {
      const { data } = saved.state;
      this.snapshot = data?.snapshot ?? null;
      this.configuration = data?.configuration ?? null;
      this.stale = data !== null;
      this.publish(this.publisher.restore(saved.state));
      this.log(LogLevel.INFO, `restored persisted state v${saved.state.version} from ${new Date(saved.savedAt).toISOString()}`);
    }
    this.logs.prepend(logs);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sessions (the auth and access episodes are in auth-episodes.ts)
  // ---------------------------------------------------------------------------------------------------------

  private onToken(source: TokenSource): void {
    if (this.terminated) this.log(LogLevel.INFO, `new session from ${source} after terminate: polling resumes`);
    this.terminated = false;
    if (this.ready && this.running && !this.poller.running) this.poller.start();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Logs and events
  // ---------------------------------------------------------------------------------------------------------

  private log(level: LogLevel, text: string): void {
    this.logs.line(level, text);
  }

  private noteEvent(event: string): void {
    this.recent.push({ time: this.now(), event });
    if (this.recent.length > this.t.recentEventsMax) this.recent.shift();
  }
}
