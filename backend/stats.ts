/**
 * Request accounting for `/sim/stats`: requests per operation and per agent, mutations actually applied (an
 * idempotent repeat is a request but not an application), telemetry received, and long polls held per agent (so a
 * test can assert that only one poller per agent exists at any moment).
 */

type Counts = Record<string, number>;

function bump(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function bumpNested(table: Record<string, Counts>, outer: string, inner: string, by = 1): void {
  bump((table[outer] ??= {}), inner, by);
}

/** Longest engine id recorded (they are UUIDs; the cap keeps a hostile header from growing the stats). */
const MAX_ENGINE_ID_CHARS = 128;
/** Most engines recorded per agent; beyond that they share one entry. A test run sees a handful. */
const MAX_ENGINES_PER_AGENT = 100;

/** The `GetAgentSnapshot` calls one engine started: how many, first and last start (epoch ms). */
export interface PollerRecord {
  count: number;
  first: number;
  last: number;
}

export type TelemetryKind = 'clientLogEvents' | 'softphoneMetrics' | 'softphoneReports' | 'contactIssues';

export interface StatsView {
  since: number;
  total: number;
  operations: Counts;
  agents: Record<string, Counts>;
  applied: Counts;
  appliedByAgent: Record<string, Counts>;
  telemetry: Record<string, Counts>;
  longPolls: { current: Counts; max: Counts };
  /** Per agent, per engine (`X-Engine-Id`, `(none)` without it): the polls it started. Intervals of different
   * engines that do not overlap show that one engine at a time polled. */
  pollers: Record<string, Record<string, PollerRecord>>;
}

export class BackendStats {
  private since = Date.now();
  private total = 0;
  private operations: Counts = {};
  private agents: Record<string, Counts> = {};
  private applied: Counts = {};
  private appliedByAgent: Record<string, Counts> = {};
  private telemetry: Record<string, Counts> = {};
  private pollsNow: Counts = {};
  private pollsMax: Counts = {};
  private pollers: Record<string, Record<string, PollerRecord>> = {};

  countRequest(op: string, agent?: string): void {
    this.total++;
    bump(this.operations, op);
    if (agent !== undefined) bumpNested(this.agents, agent, op);
  }

  countApplied(op: string, agent: string): void {
    bump(this.applied, op);
    bumpNested(this.appliedByAgent, agent, op);
  }

  countTelemetry(kind: TelemetryKind, agent: string, n = 1): void {
    bumpNested(this.telemetry, agent, kind, n);
  }

  longPollStarted(agent: string): void {
    bump(this.pollsNow, agent);
    this.pollsMax[agent] = Math.max(this.pollsMax[agent] ?? 0, this.pollsNow[agent]!);
  }

  /** A `GetAgentSnapshot` call of `engineId` arrived for `agent`. */
  pollStarted(agent: string, engineId: string | undefined, at = Date.now()): void {
    const engines = (this.pollers[agent] ??= {});
    let id = engineId ? engineId.slice(0, MAX_ENGINE_ID_CHARS) : '(none)';
    if (!(id in engines) && Object.keys(engines).length >= MAX_ENGINES_PER_AGENT) id = '(more)';
    const record = engines[id];
    if (record) {
      record.count++;
      record.last = at;
    } else engines[id] = { count: 1, first: at, last: at };
  }

  longPollEnded(agent: string): void {
    bump(this.pollsNow, agent, -1);
    if (this.pollsNow[agent]! <= 0) delete this.pollsNow[agent];
  }

  /** Clears the counters; long polls still held stay counted as current (and become the new maximum). */
  reset(): void {
    this.since = Date.now();
    this.total = 0;
    this.operations = {};
    this.agents = {};
    this.applied = {};
    this.appliedByAgent = {};
    this.telemetry = {};
    this.pollers = {};
    this.pollsMax = { ...this.pollsNow };
  }

  view(): StatsView {
    return structuredClone({
      since: this.since, total: this.total, operations: this.operations, agents: this.agents, applied: this.applied,
      appliedByAgent: this.appliedByAgent, telemetry: this.telemetry,
      longPolls: { current: this.pollsNow, max: this.pollsMax }, pollers: this.pollers,
    });
  }

  /** Applied mutations of one agent (control API's agent view). */
  appliedOf(agent: string): Counts {
    return { ...(this.appliedByAgent[agent] ?? {}) };
  }
}
