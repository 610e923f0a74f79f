/**
 * Continuous consistency check against the backend's truth. A tab is in sync when it holds the agent state and the
 * contacts (ids and states) the backend has. A tab out of sync for longer than the grace period — while nothing
 * excuses it — is a divergence. Faults excuse lag while they last and for a while after.
 */
import type { AgentTruth } from '../fixtures/backend';
import type { BackendProcess } from '../fixtures/processes';
import type { Timeline } from './timeline';
import type { Tab, TabKind, TabView, World } from './world';

/** A live, unfrozen tab lags the backend by one long-poll round trip (milliseconds); 8 s of continuous
 * disagreement is far beyond any legitimate lag, including a backoff after a short fault. */
export const GRACE_MS = 8000;
/** After a fault ends the engine may be in backoff (capped at 30 s by its timings, but the first retries come within
 * a few seconds); lag is excused for this long after any fault. */
export const FAULT_SETTLE_MS = 12_000;

export interface Truth {
  version: number;
  stateName: string;
  contacts: string[];
}

export interface AgentView {
  version: number;
  state: { name: string };
  contacts: { contactId: string; state: { type: string; timestamp?: number } }[];
  applied?: Record<string, number>;
}

/**
 * The backend's view of the agent, summarised for comparison. The backend lists contacts as they arrived; tabs list
 * them as the engine does (`worker/state-builder.ts`, the original worker's rule): by the time each entered its
 * current state, oldest first, ties in the backend's order. The truth is put in that order, so the order is checked.
 */
export function truthOf(a: AgentView): Truth {
  const contacts = [...a.contacts].sort((x, y) => (x.state.timestamp ?? 0) - (y.state.timestamp ?? 0));
  return {
    version: a.version, stateName: a.state.name,
    contacts: contacts.map((c) => `${c.contactId}:${c.state.type}`),
  };
}

/** The backend's view of the agent, summarised for comparison; `agent` is the whole record (for the action choice). */
export async function readTruth(backend: BackendProcess, username: string): Promise<Truth & { applied: Record<string, number>; agent: AgentTruth }> {
  const a = await backend.control<AgentView>('GET', `/sim/agents/${username}`);
  return { ...truthOf(a), applied: a.applied ?? {}, agent: a as unknown as AgentTruth };
}

/** What a tab held, for a report: its state, contacts and version, or why it gave no view. */
export function describe(tab: Pick<Tab, 'alive' | 'frozen'>, view: TabView | null): string {
  if (!view) return !tab.alive ? '(closed)' : tab.frozen ? '(frozen)' : '(no answer in time)';
  const epoch = view.epoch === null ? '' : ` epoch ${view.epoch}${view.leader ? ' (leader)' : ''}`;
  return `${view.stateName} [${view.contacts.join(' ')}] v${view.version}${view.stale ? ' stale' : ''}${epoch}`;
}

export function matches(view: TabView, truth: Truth): boolean {
  return !view.stale && view.stateName === truth.stateName && view.contacts.join(',') === truth.contacts.join(',');
}

/**
 * Whether the tabs read after a leader's death all follow a newer leader (the fallback's failover measure). Only our
 * own tabs count: a genuine tab has no epoch to read (its CCP frame leads in a namespace of its own).
 */
export function followedNewLeader(read: { kind: TabKind; view: TabView | null }[], oldEpoch: number): boolean {
  const ours = read.filter((r) => r.kind === 'ccp');
  return ours.length > 0 && ours.every(({ view: v }) => v && v.epoch !== null && v.epoch > oldEpoch);
}

export interface Divergence {
  tab: number;
  since: number;
  detectedAt: number;
  tabHeld: string;
  backendHad: string;
}

export class ConsistencyChecker {
  readonly divergences: Divergence[] = [];
  /** Per tab: since when (ms since start) it has been out of sync, continuously. */
  private readonly outSince = new Map<number, number>();
  private readonly reported = new Set<number>();
  private excusedUntil = 0;
  checks = 0;
  inSyncChecks = 0;

  constructor(private readonly world: World, private readonly username: string, private readonly timeline: Timeline) {}

  /** A fault is active until `untilMs` (ms since start): lag is excused until then plus the settle time. */
  excuse(untilMs: number): void {
    this.excusedUntil = Math.max(this.excusedUntil, untilMs + FAULT_SETTLE_MS);
  }

  /** One round: reads the truth around reading every active tab, so a change in between is not taken for lag. */
  async check(): Promise<void> {
    const before = await readTruth(this.world.backend, this.username);
    const tabs = this.world.active();
    const views = await Promise.all(tabs.map((t) => this.world.read(t)));
    const after = await readTruth(this.world.backend, this.username);
    const now = this.timeline.elapsed();
    this.checks++;
    let allInSync = true;
    tabs.forEach((tab, i) => {
      const view = views[i];
      if (!view) return; // did not answer (dying, or frozen by the OS): liveness is the engine's business
      if (matches(view, before) || matches(view, after)) {
        this.outSince.delete(tab.id);
        this.reported.delete(tab.id);
        return;
      }
      allInSync = false;
      this.noteOutOfSync(tab, view, after, now);
    });
    if (allInSync) this.inSyncChecks++;
  }

  private noteOutOfSync(tab: Tab, view: TabView, truth: Truth, now: number): void {
    const since = this.outSince.get(tab.id) ?? now;
    this.outSince.set(tab.id, since);
    if (now < this.excusedUntil) return;
    // Lag during a fault (and its settle time) is excused: count only the time out of sync since then.
    if (now - Math.max(since, this.excusedUntil) < GRACE_MS || this.reported.has(tab.id)) return;
    this.reported.add(tab.id);
    const d: Divergence = {
      tab: tab.id, since, detectedAt: now,
      tabHeld: describe(tab, view),
      backendHad: `${truth.stateName} [${truth.contacts.join(' ')}] v${truth.version}`,
    };
    this.divergences.push(d);
    this.timeline.add('divergence', `tab ${tab.id} diverged: held ${d.tabHeld}, backend ${d.backendHad}`, tab.id);
  }

  /**
   * The end of the run: every live tab must converge on the truth and hold the same version and data as the others
   * within `timeoutMs`. Returns null when they did, else what was still wrong.
   */
  async finalConvergence(timeoutMs: number): Promise<string | null> {
    const end = Date.now() + timeoutMs;
    let problem = 'no check ran';
    while (Date.now() < end) {
      const truth = await readTruth(this.world.backend, this.username);
      const tabs = this.world.active();
      const views = await Promise.all(tabs.map((t) => this.world.read(t)));
      const bad = tabs.filter((_, i) => !views[i] || !matches(views[i]!, truth));
      // Genuine tabs have no version to compare; they must match the truth like the others.
      const versions = new Set(views.filter((v) => v && v.version !== null).map((v) => v!.version));
      if (bad.length === 0 && versions.size <= 1) return null;
      const held = tabs.map((t, i) => `tab ${t.id} ${describe(t, views[i] ?? null)}`).join('; ');
      problem = bad.length
        ? `tabs ${bad.map((t) => t.id).join(',')} differ from the backend (${truth.stateName} [${truth.contacts.join(' ')}] `
          + `v${truth.version}); they hold: ${held}`
        : `tabs hold different versions: ${held}`;
      await new Promise((r) => setTimeout(r, 500));
    }
    return problem;
  }
}
