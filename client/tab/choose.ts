/**
 * Which transport a page uses. `auto` (the default): the SharedWorker when it can be constructed *and* answers hello
 * (a worker whose construction raises `error`, as in a cross-site frame, or that never answers counts as
 * unavailable); else BroadcastChannel + a Web Locks leader; else in-page, with a warning (every tab then polls). Or
 * forced with `transport: 'shared-worker' | 'broadcast' | 'in-page'`. Tabs a page relays for (a CRM behind a CCP
 * frame) get the kind the page itself ended up with. A CCP frame on another site (third-party: Web Locks and
 * IndexedDB denied) asks its approved parent page to take Web Locks for it (`parent-locks.ts`); if it does, the
 * frame uses the broadcast transport over those locks, with the engine's state in memory — never the SharedWorker,
 * which Firefox does let such a frame start, partitioned, but where no Web Locks watch the tabs' liveness.
 */
import { ErrorType, TransportKind, wireError, type Down, type Hello, type StateFull, type Up, type Welcome, type WireError } from '../../shared/protocol';
import type { PostResult } from '../../shared/endpoint';
import type { HostLocks } from '../../shared/engine-host';
import { loadFallback } from './on-demand';
import type { DelegatedLocks, FallbackApi } from '../fallback/fallback-api';
import type { LocksLike } from '../fallback/leader-election';
import { SharedWorkerTransport } from '../sharedworker/shared-worker';
import { type Transport, type TransportInfo } from './transport';
import { toWireError } from '../../shared/errors';

export type TransportChoice = 'auto' | 'shared-worker' | 'broadcast' | 'in-page';

export interface Capabilities {
  sharedWorker: boolean;
  broadcastChannel: boolean;
  webLocks: boolean;
}

/** What this browsing context offers. */
export function detectCapabilities(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): Capabilities {
  const nav = g.navigator as { locks?: unknown } | undefined;
  return {
    sharedWorker: typeof g.SharedWorker === 'function',
    broadcastChannel: typeof g.BroadcastChannel === 'function',
    webLocks: !!nav?.locks,
  };
}

/** The same, with Web Locks actually tried: a third-party frame whose storage is blocked has `navigator.locks`, but
 * every request is denied (`SecurityError`), and so are IndexedDB and SharedWorker there. */
export async function probeCapabilities(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): Promise<Capabilities> {
  const caps = detectCapabilities(g);
  if (!caps.webLocks) return caps;
  const locks = (g.navigator as { locks: { query(): Promise<unknown> } }).locks;
  return { ...caps, webLocks: await locks.query().then(() => true, () => false) };
}

/** The kinds to try, in order, and a warning when the choice costs something. */
export function candidateKinds(choice: TransportChoice, caps: Capabilities): { kinds: TransportKind[]; warning?: string; error?: string } {
  const fallbackOk = caps.broadcastChannel && caps.webLocks;
  switch (choice) {
    case 'shared-worker':
      return caps.sharedWorker ? { kinds: [TransportKind.SHARED_WORKER] } : { kinds: [], error: 'SharedWorker is not available here' };
    case 'broadcast':
      return fallbackOk ? { kinds: [TransportKind.BROADCAST] }
        : { kinds: [], error: `the broadcast transport needs ${caps.broadcastChannel ? 'Web Locks' : 'BroadcastChannel'}` };
    case 'in-page':
      return { kinds: [TransportKind.IN_PAGE] };
    default: {
      const kinds = caps.sharedWorker ? [TransportKind.SHARED_WORKER] : [];
      if (fallbackOk) return { kinds: [...kinds, TransportKind.BROADCAST] };
      return {
        kinds: [...kinds, TransportKind.IN_PAGE],
        warning: `no ${caps.webLocks ? 'BroadcastChannel' : 'Web Locks'}: without a SharedWorker this tab runs its own `
          + 'engine (in-page) and polls on its own; other tabs are not kept in sync with it',
      };
    }
  }
}

/** A transport to try: its kind, and how to make one (the fallbacks' code is a separate chunk, loaded on demand). */
export interface Candidate {
  kind: TransportKind;
  create(): Transport | Promise<Transport>;
}

export interface AutoOptions {
  candidates: Promise<Candidate[]>;
  /** The kind reported before one connected. */
  first: TransportKind;
  onFallback?(kind: TransportKind, why: WireError): void;
  onChosen?(kind: TransportKind): void;
  onFailed?(why: WireError): void;
}

/**
 * Tries candidate transports in order; the first that connects is used from then on.
 *
 * @example
 * const t = new AutoTransport({ first: TransportKind.SHARED_WORKER, candidates: Promise.resolve([
 *   { kind: TransportKind.SHARED_WORKER, create: () => new SharedWorkerTransport(o) },
 *   { kind: TransportKind.IN_PAGE, create: () => new InPageTransport(p) },
 * ]) });
 */
export class AutoTransport implements Transport {
  private active: Transport | null = null;
  /** The candidate trying to connect: closed with this transport (a terminate while it waits for its engine). */
  private trying: Transport | null = null;
  private closed = false;

  constructor(private readonly o: AutoOptions) {}

  get kind(): TransportKind {
    return this.active?.kind ?? this.o.first;
  }

  info(): TransportInfo {
    return this.active?.info?.() ?? { transport: this.kind };
  }

  async connect(hello: Hello, onDown: (msg: Down) => void, onReconnect?: (w: Welcome) => void,
    onInvalid?: (error: WireError) => void): Promise<Welcome> {
    let last: WireError = wireError(ErrorType.NOT_CONNECTED, 'no transport is available');
    try {
      for (const candidate of await this.o.candidates) {
        if (this.closed) break;
        let t: Transport | null = null;
        try {
          t = await candidate.create();
          if (this.closed) { t.close(); break; }
          this.trying = t;
          const welcome = await t.connect(hello, onDown, onReconnect, onInvalid);
          this.trying = null;
          if (this.closed) { t.close(); break; }
          this.active = t;
          this.o.onChosen?.(t.kind);
          return welcome;
        } catch (e) {
          this.trying = null;
          t?.close();
          last = toWireError(e);
          this.o.onFallback?.(candidate.kind, last);
        }
      }
    } catch (e) {
      last = toWireError(e);
    }
    this.o.onFailed?.(last);
    throw last;
  }

  post(msg: Up, timeoutMs: number): Promise<PostResult> {
    return this.active ? this.active.post(msg, timeoutMs) : Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'transport is not connected'));
  }

  send(msg: Up): void {
    this.active?.send(msg);
  }

  close(): void {
    this.closed = true;
    this.active?.close();
    this.trying?.close();
  }
}

export interface ChooserOptions {
  choice: TransportChoice;
  workerUrl: string;
  workerName?: string;
  /** The broadcast and in-page transports, loaded only when chosen (default: the chunk `connect-fallback.js`). */
  fallback?: () => Promise<FallbackApi>;
  /** The CCP origin (this page's). */
  origin: string;
  caps?: Capabilities;
  locks?: LocksLike;
  seed?: () => StateFull | null;
  log: (level: 'info' | 'warn' | 'error', text: string) => void;
  /** A change of leader after connecting (broadcast). */
  onChange?: (info: TransportInfo) => void;
  /** In a CCP frame: the parent's origin once it is known to be approved (null: not framed, or not approved). Where
   * this frame's own Web Locks are denied (third-party), the chooser asks that parent to take locks for it and, if
   * it does, uses the broadcast transport over them. */
  approvedParent?: () => Promise<string | null>;
}

/**
 * Makes this page's transports: the first one chooses; later ones (relays) use what it chose.
 *
 * @example
 * const chooser = new TransportChooser({ choice: 'auto', workerUrl, origin: location.origin, log });
 * session.connect(chooser.create(), …);
 */
export class TransportChooser {
  private chosen: Promise<TransportKind> | null = null;
  private probed: Promise<Capabilities> | null = null;
  private locksUsable = true;
  private delegated: DelegatedLocks | null = null;
  /** `memory` where this page's storage is denied (Web Locks present but refused: a third-party frame). */
  private storage: 'memory' | undefined;

  constructor(private readonly o: ChooserOptions) {}

  /** The lock manager this page's transports use (for the tabs' liveness locks); undefined when there is none. */
  async tabLocks(): Promise<HostLocks | undefined> {
    await this.probe();
    return this.locks();
  }

  private locks(): LocksLike | undefined {
    if (this.delegated) return this.delegated.locks;
    return this.locksUsable ? this.o.locks ?? (globalThis.navigator as Navigator | undefined)?.locks as LocksLike | undefined : undefined;
  }

  private fallbackApi(): Promise<FallbackApi> {
    return (this.o.fallback ?? loadFallback)();
  }

  /** What this page offers, once: with Web Locks tried, and delegated to an approved parent where they are denied. */
  private probe(): Promise<Capabilities> {
    this.probed ??= (async () => {
      const caps = this.o.caps ?? await probeCapabilities();
      this.locksUsable = caps.webLocks;
      if (caps.webLocks) return caps;
      if ((globalThis.navigator as Navigator | undefined)?.locks) this.storage = 'memory';
      const parent = await this.o.approvedParent?.().catch(() => null);
      if (!parent || !caps.broadcastChannel) return caps;
      // The fallback chunk logs whether the parent lends its locks.
      this.delegated = await this.fallbackApi().then((api) => api.delegateLocksToParent(parent, this.o.log)).catch(() => null);
      if (!this.delegated) return caps;
      // Not the SharedWorker, even where it works here (Firefox gives third-party frames a partitioned one): Web Locks
      // are denied in that worker too, and the locks borrowed from the page are in another partition, so its engine
      // could not tell when a tab dies without `pagehide` (a killed tab) and would keep its topics and count forever.
      return { ...caps, webLocks: true, sharedWorker: false };
    })();
    return this.probed;
  }

  private candidate(kind: TransportKind): Candidate {
    const o = this.o;
    const locks = this.locks();
    const storage = this.storage;
    const delegated = this.delegated ?? undefined;
    switch (kind) {
      case TransportKind.SHARED_WORKER:
        return { kind, create: () => new SharedWorkerTransport({ workerUrl: o.workerUrl, name: o.workerName }) };
      case TransportKind.BROADCAST:
      case TransportKind.IN_PAGE:
        return {
          kind,
          create: async () => {
            const api = await this.fallbackApi();
            return kind === TransportKind.BROADCAST
              ? api.createBroadcastTransport({
                origin: o.origin, locks: locks!, seed: o.seed, log: o.log, onChange: o.onChange, storage, delegated,
              })
              : api.createInPageTransport({ origin: o.origin, locks, storage });
          },
        };
      default:
        return { kind, create: () => { throw wireError(ErrorType.INTERNAL, 'the iframe bridge is made by initCCP'); } };
    }
  }

  create(): Transport {
    if (this.chosen) {
      const chosen = this.chosen;
      return new AutoTransport({ candidates: chosen.then((k) => [this.candidate(k)]), first: TransportKind.SHARED_WORKER });
    }
    const candidates = this.probe().then((caps) => {
      const { kinds, warning, error } = candidateKinds(this.o.choice, caps);
      if (error) this.o.log('error', `transport '${this.o.choice}': ${error}`);
      if (warning) this.o.log('warn', warning);
      return kinds.map((k) => this.candidate(k));
    });
    const guess = candidateKinds(this.o.choice, this.o.caps ?? detectCapabilities()).kinds[0];
    let settle!: (k: TransportKind) => void;
    let fail!: (e: unknown) => void;
    this.chosen = new Promise<TransportKind>((resolve, reject) => { settle = resolve; fail = reject; });
    this.chosen.catch(() => undefined);
    return new AutoTransport({
      candidates,
      first: guess ?? TransportKind.SHARED_WORKER,
      onFallback: (kind, why) => this.o.log('warn', `transport ${kind} unavailable (${why.type}: ${why.message}); trying the next`),
      onChosen: (kind) => {
        settle(kind);
        this.o.log('info', `transport: ${kind}${this.o.choice === 'auto' ? ' (chosen automatically)' : ''}`);
      },
      onFailed: fail,
    });
  }
}
