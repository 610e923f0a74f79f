/**
 * One per page: this page's member of the BroadcastChannel fallback. It queues for leadership, reads the channel,
 * fences by epoch, watches the leader, steals from a silent one (one stealer at a time), and — while it leads — hosts
 * the engine (`connect-engine.js`, loaded only now), heartbeats, and serves followers. Tabs of this page (the page
 * itself, and a CRM it relays for) reach the current term's engine through a `Route`.
 */
import { asChannelMessage } from '../../shared/channel-message';
import {
  BROADCAST_CHANNEL_NAME, ChannelKind, LEADER_LOCK_NAME, STEAL_GUARD_LOCK_NAME,
  type FollowerMessage, type LeaderMessage, type SessionMessage,
} from '../../shared/broadcast-protocol';
import type { ChannelServer, EngineHost, EngineHostFactory } from '../../shared/engine-host';
import { TransportKind, type StateFull } from '../../shared/protocol';
import { LocalRoute, RemoteRoute, type Route } from './broadcast-routes';
import { idbEpochCounter, type EpochCounter } from './epoch-counter';
import { LeaderElector, type LocksLike } from './leader-election';
import { HEARTBEAT_INTERVAL_MS, LeaderWatch, type LeaderWatchOptions } from './leader-watch';
import { randomId } from '../tab/transport';

/** Follower messages that reach a new leader while it is still loading its engine are kept, up to this many: setup
 * takes milliseconds, in which each tab sends a hello and a few keepalives; more means something is wrong. */
export const MAX_BUFFERED_FOLLOWER_MESSAGES = 1000;

/** Any page of the origin can post on the channel, so a new epoch heard there is checked (the counter, the leader
 * lock) before it is believed; after a made-up one, new epochs are not checked for this long, so a flood of them costs
 * a few IndexedDB reads a second. A real new leader heartbeats every 500 ms, so it is believed within one beat. */
export const EPOCH_CHECK_INTERVAL_MS = 250;
/** Without IndexedDB a leader's epoch is its clock in ms (`fallbackEpoch`); one heard there may be ahead of ours by
 * the clock difference between two tabs of one browser, which is none — a minute covers a clock step meanwhile. */
export const EPOCH_CLOCK_SLACK_MS = 60_000;

/** No epoch above this is believed, whatever the counter says: far above any counter value or clock-based epoch
 * (ms until the year 37,000), and low enough that `epoch + 1` is still exact, so epochs keep growing. */
export const MAX_EPOCH = 2 ** 50;

/**
 * Whether an epoch heard on the channel can be real: a leader bumps the counter before its first heartbeat, so a real
 * epoch never exceeds the counter; without a counter (storage blocked) it never exceeds the clock.
 *
 * @example
 * believable(1e15, await epochs.read(), Date.now()); // false
 */
export function believableEpoch(epoch: number, counter: number | null, now: number): boolean {
  if (epoch > MAX_EPOCH) return false;
  return counter !== null ? epoch <= counter : epoch <= now + EPOCH_CLOCK_SLACK_MS;
}

export interface ChannelLike {
  postMessage(msg: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  close(): void;
}

/** A tab of this page on the node. */
export interface NodeMember {
  /** The route changed (null: no leader known, or this page is between terms). */
  useRoute(route: Route | null): void;
}

export interface BroadcastNodeOptions {
  /** Loads the engine bundle (only when this page becomes leader). */
  loadEngine(): Promise<EngineHostFactory>;
  /** The CCP origin the engine calls. */
  origin: string;
  locks: LocksLike;
  channel?: ChannelLike;
  epochs?: EpochCounter;
  /** The state this page holds: the new engine starts from it when it is newer than the persisted one. */
  seed?: () => StateFull | null;
  log?: (level: 'info' | 'warn' | 'error', text: string) => void;
  watch?: Partial<Pick<LeaderWatchOptions, 'silenceMs' | 'probeTimeoutMs' | 'checkMs'>>;
  heartbeatMs?: number;
  /** The channel's name (default `BROADCAST_CHANNEL_NAME`); a CCP frame with delegated locks adds its parent's
   * origin, so that its channel spans exactly the pages that share those locks. */
  channelName?: string;
  /** Where the engine persists (`memory` where IndexedDB is denied). */
  storage?: 'indexeddb' | 'memory';
  /** Share the session a tab hands the engine with the other pages, for the next leader (no cookies here). */
  shareSessions?: boolean;
}

type Session = SessionMessage['session'];

export class BroadcastNode {
  readonly id = randomId();
  /** Epoch of the leader this page follows or is (0: none known yet). */
  epoch = 0;
  private knownEpoch = 0;
  private route: Route | null = null;
  private host: EngineHost | null = null;
  private server: ChannelServer | null = null;
  private buffered: FollowerMessage[] = [];
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private leaderTerm = 0;
  private stopped = false;
  private session: Session = null;
  /** When a new epoch heard last failed its check (see `EPOCH_CHECK_INTERVAL_MS`), and whether a check is running. */
  private lastEpochRefused = -Infinity;
  private checkingEpoch = false;
  private readonly members = new Set<NodeMember>();
  private readonly channel: ChannelLike;
  private readonly epochs: EpochCounter;
  private readonly elector: LeaderElector;
  private readonly watch: LeaderWatch;

  constructor(private readonly o: BroadcastNodeOptions) {
    this.channel = o.channel ?? new BroadcastChannel(o.channelName ?? BROADCAST_CHANNEL_NAME);
    this.epochs = o.epochs ?? idbEpochCounter();
    this.elector = new LeaderElector(o.locks, {
      elected: (term) => this.lead(term),
      deposed: () => this.stepDown('the leader lock was taken by another tab'),
      log: (text) => this.log('warn', text),
    });
    this.watch = new LeaderWatch({
      ...o.watch,
      ping: (nonce) => this.post({ kind: ChannelKind.PING, epoch: this.epoch, from: this.id, nonce }),
      suspect: () => void this.trySteal(),
    });
  }

  get isLeader(): boolean {
    return this.leaderTerm !== 0;
  }

  start(): void {
    this.channel.addEventListener('message', (e) => this.onMessage(e.data));
    void this.epochs.read().then((c) => { if (c !== null) this.knownEpoch = Math.max(this.knownEpoch, c); });
    this.post({ kind: ChannelKind.WHOIS, from: this.id });
    this.watch.start();
    this.elector.start();
  }

  /** Leaves: a leader stops its engine first (its poll ends), then gives the lock to the next tab in the queue. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch.stop();
    this.endTerm();
    this.setRoute(null);
    this.elector.stop();
    this.channel.close();
  }

  join(member: NodeMember): void {
    this.members.add(member);
    if (this.route) member.useRoute(this.route);
  }

  leave(member: NodeMember): void {
    this.members.delete(member);
  }

  /** A tab of this page handed the engine a session (null: logged out). With `shareSessions`, every page keeps it,
   * so that the next leader's engine starts with it. */
  noteSession(session: Session): void {
    if (!this.o.shareSessions || this.stopped) return;
    this.session = session;
    this.post({ kind: ChannelKind.SESSION, from: this.id, session });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Leading
  // ---------------------------------------------------------------------------------------------------------------

  /** Called with the leader lock held: a new epoch, heartbeats at once (no one steals meanwhile; follower messages
   * are kept), then the engine, then serving. */
  private async lead(term: number): Promise<void> {
    const epoch = await this.epochs.bump(Math.max(this.knownEpoch, this.epoch));
    if (!this.elector.isLeading || this.elector.currentTerm !== term || this.stopped) return;
    this.leaderTerm = term;
    this.knownEpoch = epoch;
    this.epoch = epoch;
    this.watch.stop();
    this.setRoute(null);
    this.buffered = [];
    this.sendHeartbeat();
    this.heartbeat = setInterval(() => this.sendHeartbeat(), this.o.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
    let host: EngineHost;
    try {
      const factory = await this.o.loadEngine();
      if (this.leaderTerm !== term) return;
      host = factory.createHost({
        transport: TransportKind.BROADCAST, epoch, origin: this.o.origin, locks: this.o.locks,
        isLeader: () => this.elector.holds(term), seed: this.o.seed?.() ?? null, storage: this.o.storage,
        session: this.session ? { accessToken: this.session.authToken, expiration: this.session.expiration } : null,
      });
    } catch (e) {
      if (this.leaderTerm === term) {
        this.endTerm();
        this.watch.start();
      }
      throw e;
    }
    if (this.leaderTerm !== term) {
      void host.stop();
      return;
    }
    this.host = host;
    this.server = host.serve((out) => this.post({ ...out, epoch }));
    this.log('info', `leading under epoch ${epoch} (engine ${host.engineId})${this.o.storage === 'memory'
      ? '; state kept in memory (IndexedDB is denied here): a new leader starts from its own tab\'s state' : ''}`);
    for (const m of this.buffered.splice(0)) this.server.receive(m);
    this.setRoute(new LocalRoute(epoch, host));
  }

  /** Stops acting as leader at once: no heartbeat, no serving, the engine stopped (its poll aborted). */
  private endTerm(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.leaderTerm = 0;
    this.server?.close();
    this.server = null;
    this.buffered = [];
    const host = this.host;
    this.host = null;
    if (host) void host.stop().catch(() => undefined);
  }

  private stepDown(why: string): void {
    if (!this.isLeader && !this.host) return;
    this.log('warn', `no longer leading epoch ${this.epoch}: ${why}`);
    this.endTerm();
    this.setRoute(null);
    this.watch.start();
  }

  private sendHeartbeat(): void {
    this.post({ kind: ChannelKind.HEARTBEAT, epoch: this.epoch, leader: this.id });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Following
  // ---------------------------------------------------------------------------------------------------------------

  /** The leader is silent and did not answer a ping. Only the tab holding the guard steals; it first checks the
   * epoch counter, since another tab may have stolen already (its heartbeat not yet here). */
  private async trySteal(): Promise<void> {
    const suspect = Math.max(this.knownEpoch, this.epoch);
    try {
      await this.o.locks.request(STEAL_GUARD_LOCK_NAME, { ifAvailable: true }, async (lock) => {
        if (!lock || this.stopped || this.isLeader || this.elector.isLeading) return;
        const counter = await this.epochs.read();
        if (counter !== null && counter > suspect) {
          this.knownEpoch = counter;
          this.watch.seen(); // epoch `counter` was elected: give its leader a full silence to show up
          return;
        }
        this.log('warn', `leader of epoch ${this.epoch || 'unknown'} is silent and did not answer a ping: taking over`);
        await this.elector.steal();
      });
    } catch (e) {
      this.log('warn', `taking over failed: ${String((e as { message?: unknown })?.message ?? e)}`);
    }
  }

  private adopt(epoch: number): void {
    this.epoch = epoch;
    this.knownEpoch = Math.max(this.knownEpoch, epoch);
    this.log('info', `following the leader of epoch ${epoch}`);
    this.setRoute(new RemoteRoute(epoch, (m) => this.post(m)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The channel
  // ---------------------------------------------------------------------------------------------------------------

  private onMessage(data: unknown): void {
    if (this.stopped) return;
    const m = asChannelMessage(data);
    if (!m) return;
    if (m.kind === ChannelKind.SESSION) {
      if (this.o.shareSessions) this.session = m.session;
      return;
    }
    switch (m.kind) {
      case ChannelKind.HEARTBEAT:
      case ChannelKind.PONG:
      case ChannelKind.DOWN:
      case ChannelKind.REPLY:
        this.fromLeader(m);
        return;
      default:
        this.fromFollower(m);
    }
  }

  private fromLeader(m: LeaderMessage, checked = false): void {
    if (m.epoch < this.epoch || m.epoch === 0) return; // fencing: a deposed leader speaks
    if (this.isLeader) {
      // Only a newer term (or, without IndexedDB, a tie lost to a higher node id) unseats us — once checked.
      const tieLost = m.kind === ChannelKind.HEARTBEAT && m.epoch === this.epoch && m.leader > this.id;
      if (m.epoch === this.epoch && !tieLost) return;
      if (!checked) { void this.checkEpoch(m); return; }
      this.stepDown(`epoch ${m.epoch} leads now`);
      this.elector.resign();
    } else if (m.epoch > this.knownEpoch && !checked) {
      void this.checkEpoch(m);
      return;
    }
    if (m.epoch > this.epoch || !this.route) this.adopt(m.epoch);
    this.watch.seen();
    const route = this.route;
    if (!(route instanceof RemoteRoute)) return;
    if (m.kind === ChannelKind.DOWN) route.deliver(m);
    else if (m.kind === ChannelKind.REPLY) route.reply(m);
    else if (m.kind === ChannelKind.PONG && m.to === this.id) this.watch.pong(m.nonce);
  }

  /**
   * A leader message of an epoch this page has not seen handed out. Believed only if this page does not hold the
   * leader lock itself (then no one else leads), the lock is held by someone, and the epoch is within the counter
   * (`believableEpoch`); anything else is a made-up epoch from a page of the origin, logged and dropped. Until then
   * the message waits: a real new leader's next heartbeat comes within 500 ms.
   */
  private async checkEpoch(m: LeaderMessage): Promise<void> {
    if (this.checkingEpoch || Date.now() - this.lastEpochRefused < EPOCH_CHECK_INTERVAL_MS) return;
    this.checkingEpoch = true;
    try {
      const term = this.leaderTerm;
      if (term !== 0 && await this.elector.holds(term)) return this.ignoreEpoch(m.epoch, 'this tab holds the leader lock');
      const snapshot = await this.o.locks.query().catch(() => null);
      if (snapshot && !(snapshot.held ?? []).some((l) => l.name === LEADER_LOCK_NAME)) {
        return this.ignoreEpoch(m.epoch, 'no tab holds the leader lock');
      }
      const counter = await this.epochs.read();
      if (!believableEpoch(m.epoch, counter, Date.now())) {
        return this.ignoreEpoch(m.epoch, counter !== null ? `the counter is at ${counter}` : 'it is ahead of the clock');
      }
      this.knownEpoch = Math.max(this.knownEpoch, m.epoch);
    } finally {
      this.checkingEpoch = false;
    }
    if (!this.stopped && m.epoch >= this.epoch) this.fromLeader(m, true);
  }

  private ignoreEpoch(epoch: number, why: string): void {
    this.lastEpochRefused = Date.now();
    this.log('warn', `ignoring epoch ${epoch} heard on the channel: ${why}`);
  }

  private fromFollower(m: FollowerMessage): void {
    if (!this.isLeader) return;
    switch (m.kind) {
      case ChannelKind.WHOIS:
        this.sendHeartbeat();
        // A page that just arrived learns the session too, in case it leads next.
        if (this.o.shareSessions && this.session) this.post({ kind: ChannelKind.SESSION, from: this.id, session: this.session });
        return;
      case ChannelKind.PING:
        this.post({ kind: ChannelKind.PONG, epoch: this.epoch, to: m.from, nonce: m.nonce });
        return;
      default:
        if (m.epoch !== this.epoch) return; // addressed to another term: its sender re-sends to ours
        if (this.server) this.server.receive(m);
        else if (this.buffered.length < MAX_BUFFERED_FOLLOWER_MESSAGES) this.buffered.push(m);
    }
  }

  private post(msg: LeaderMessage | FollowerMessage | SessionMessage): void {
    if (this.stopped) return;
    try {
      this.channel.postMessage(msg);
    } catch (e) {
      this.log('warn', `channel post failed: ${String(e)}`);
    }
  }

  private setRoute(route: Route | null): void {
    this.route?.lose();
    this.route = route;
    for (const m of [...this.members]) m.useRoute(route);
  }

  private log(level: 'info' | 'warn' | 'error', text: string): void {
    this.o.log?.(level, `broadcast: ${text}`);
  }
}

let shared: { node: BroadcastNode; refs: number } | null = null;

/** The page's node, started on first use (the first caller's options win). */
export function acquireNode(options: () => BroadcastNodeOptions): BroadcastNode {
  if (!shared) {
    shared = { node: new BroadcastNode(options()), refs: 0 };
    shared.node.start();
  }
  shared.refs++;
  return shared.node;
}

/** Gives back a node from `acquireNode`; the last one stops it. */
export function releaseNode(node: BroadcastNode): void {
  if (!shared || shared.node !== node) return;
  if (--shared.refs > 0) return;
  shared = null;
  node.stop();
}
