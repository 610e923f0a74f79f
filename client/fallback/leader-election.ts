/**
 * Leader election with Web Locks only (no message-based election, whose duplicate leaders the anchors document):
 * every tab queues on `LEADER_LOCK_NAME`; the holder leads for as long as it holds it. A silent leader (frozen,
 * suspended) is replaced with `steal`, which makes the browser reject the old holder's lock request: that rejection is
 * how an old leader learns, even much later, that it was deposed.
 */
import { LEADER_LOCK_NAME } from '../../shared/broadcast-protocol';

/** The part of `navigator.locks` the election uses (a fake in tests). */
export interface LocksLike {
  request(name: string, options: LockOptions, cb: (lock: Lock | null) => unknown): Promise<unknown>;
  query(): Promise<LockManagerSnapshot>;
}

export interface ElectionHooks {
  /** Called with the lock held. Resolves once this tab is ready to lead; a rejection gives the lock back. */
  elected(term: number): Promise<void>;
  /** The lock was taken from this tab (a steal): stop acting as leader at once. */
  deposed(term: number): void;
  log?(text: string): void;
}

/** After a term that could not start (e.g. the engine bundle failed to load), wait this long before queueing again,
 * so that a lone tab does not spin on a failure it cannot fix; a few seconds keeps retries cheap and still recovers
 * from a transient network error quickly. */
export const REQUEUE_AFTER_FAILURE_MS = 3000;

/**
 * @example
 * const elector = new LeaderElector(navigator.locks, { elected: async (term) => lead(term), deposed: () => follow() });
 * elector.start();
 * // a follower that proved the leader silent (and holds the steal guard):
 * await elector.steal();
 */
export class LeaderElector {
  private term = 0;
  private leading = false;
  private candidacy: AbortController | null = null;
  private resignTerm: (() => void) | null = null;
  private clientId: string | undefined;
  private stopped = false;

  constructor(private readonly locks: LocksLike, private readonly hooks: ElectionHooks) {}

  /** True while this tab holds the lock (as far as it knows; see `holds`). */
  get isLeading(): boolean {
    return this.leading;
  }

  get currentTerm(): number {
    return this.term;
  }

  /** Queues for leadership (no-op while queued or leading). */
  start(): void {
    if (this.stopped || this.leading || this.candidacy) return;
    void this.run(false).catch(() => undefined);
  }

  /** Takes the lock from its holder now. Resolves once `elected` finished (the caller may then release its guard). */
  steal(): Promise<void> {
    if (this.stopped || this.leading) return Promise.resolve();
    this.candidacy?.abort();
    this.candidacy = null;
    return this.run(true);
  }

  /** Asks the browser whether this tab still holds the lock in term `term` — true only for the current term, and
   * only while the lock manager lists this client as holder (a stolen lock shows up here before the rejection is
   * delivered to a page that was frozen). */
  async holds(term: number): Promise<boolean> {
    if (!this.leading || term !== this.term) return false;
    if (this.clientId === undefined) return true;
    const snapshot = await this.locks.query();
    if (!this.leading || term !== this.term) return false;
    return (snapshot.held ?? []).some((l) => l.name === LEADER_LOCK_NAME && l.clientId === this.clientId);
  }

  /** Gives up leadership (or the place in the queue) and queues again unless stopped. */
  resign(): void {
    this.resignTerm?.();
  }

  /** Leaves for good (the page goes away). */
  stop(): void {
    this.stopped = true;
    this.candidacy?.abort();
    this.candidacy = null;
    this.resignTerm?.();
  }

  private run(steal: boolean): Promise<void> {
    const candidacy = steal ? null : new AbortController();
    if (candidacy) this.candidacy = candidacy;
    let granted = false;
    let term = 0;
    let ready!: () => void;
    let failed!: (e: unknown) => void;
    const started = new Promise<void>((resolve, reject) => { ready = resolve; failed = reject; });
    const options: LockOptions = steal ? { steal: true } : { signal: candidacy!.signal };
    const request = this.locks.request(LEADER_LOCK_NAME, options, async () => {
      granted = true;
      if (this.candidacy === candidacy) this.candidacy = null;
      term = ++this.term;
      this.leading = true;
      const held = new Promise<void>((resolve) => { this.resignTerm = resolve; });
      if (this.stopped) return;
      this.clientId = await this.ownClientId();
      try {
        await this.hooks.elected(term);
      } catch (e) {
        this.hooks.log?.(`could not start leading: ${describe(e)}`);
        failed(e);
        return; // gives the lock back
      }
      ready();
      await held;
    });
    request.then(
      () => this.ended(term, false),
      (e: unknown) => {
        if (granted) this.ended(term, true);
        else if (this.candidacy === candidacy) this.candidacy = null;
        failed(e);
      },
    );
    return started;
  }

  /** A term ended: given back (resign, failure) or taken (a steal). */
  private ended(term: number, stolen: boolean): void {
    if (term !== this.term) return;
    const wasLeading = this.leading;
    this.leading = false;
    this.resignTerm = null;
    this.clientId = undefined;
    if (stolen && wasLeading) this.hooks.deposed(term);
    if (this.stopped) return;
    if (stolen) this.start();
    else setTimeout(() => this.start(), REQUEUE_AFTER_FAILURE_MS);
  }

  private async ownClientId(): Promise<string | undefined> {
    try {
      const snapshot = await this.locks.query();
      return (snapshot.held ?? []).find((l) => l.name === LEADER_LOCK_NAME)?.clientId;
    } catch {
      return undefined;
    }
  }
}

function describe(e: unknown): string {
  return e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e);
}
