/**
 * Idempotency for mutating CTI operations: the first request with a given `X-Idempotency-Token` (per agent) is
 * applied; every repeat — later or concurrent — gets that first outcome (status and body) without applying again.
 * Concurrent duplicates share the first request's pending promise, so "apply once" holds even mid-flight. A key
 * reused for another operation or other parameters is an error (`IdempotentParameterMismatchException`), never a
 * replay of an answer to a different question. The store is bounded: per agent, at most `maxPerAgent` keys (the
 * oldest go first), each kept `ttlMs`.
 */
import { idempotencyMismatch, validationError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import type { Clock } from './sim/clock';

/**
 * Outcomes are kept at least this long: the engine re-sends within its request deadline (seconds) and after a
 * leader failover (tens of seconds); ten minutes covers both with a wide margin.
 */
export const IDEMPOTENCY_TTL_MS = 10 * 60 * 1000;
/** Expired entries are swept at most this often, piggy-backing on requests instead of a timer. */
const SWEEP_INTERVAL_MS = 60 * 1000;
/** Tokens are short opaque strings (UUIDs in practice). */
const TOKEN_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface Outcome {
  status: number;
  body: unknown;
}

interface Entry {
  op: string;
  /** The request's parameters, canonical JSON without `authentication` (a retry may carry a refreshed token). */
  params: string;
  outcome: Promise<Outcome>;
  atMs: number;
}

/** JSON with object keys sorted, so the same parameters in another order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function paramsOf(input: Record<string, unknown>): string {
  const { authentication: _auth, ...rest } = input;
  return canonical(rest);
}

export function checkIdempotencyToken(token: string): void {
  if (!TOKEN_PATTERN.test(token)) {
    throw validationError('X-Idempotency-Token must be 1 to 128 visible ASCII characters');
  }
}

export class IdempotencyStore {
  /** Agent → its keys in the order they were first used (Map order), so the oldest is dropped first. */
  private readonly byAgent = new Map<string, Map<string, Entry>>();
  private lastSweepMs = 0;

  constructor(private readonly clock: Clock, private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly maxPerAgent = DEFAULT_LIMITS.idempotencyKeysPerAgent) {}

  /**
   * Applies `apply` once per (agent, token); `input` is the request's parameters, which a repeat must match.
   * @example
   *   const { outcome, replayed } = await store.run('agent1', token, 'AcceptContact', () => handle(request), input);
   */
  async run(agent: string, token: string, op: string, apply: () => Promise<Outcome>, input: Record<string, unknown> = {}):
    Promise<{ outcome: Outcome; replayed: boolean }> {
    this.sweepIfDue();
    const params = paramsOf(input);
    const entries = this.byAgent.get(agent) ?? new Map<string, Entry>();
    this.byAgent.set(agent, entries);
    const existing = entries.get(token);
    if (existing && existing.atMs + this.ttlMs > this.clock.now()) {
      if (existing.op !== op || existing.params !== params) {
        const err = idempotencyMismatch(existing.op !== op
          ? `X-Idempotency-Token was already used for ${existing.op}`
          : `X-Idempotency-Token was already used for ${op} with other parameters`);
        return { outcome: { status: err.status, body: err.toBody() }, replayed: true };
      }
      return { outcome: await existing.outcome, replayed: true };
    }
    const outcome = apply();
    const entry: Entry = { op, params, outcome, atMs: this.clock.now() };
    entries.delete(token);
    entries.set(token, entry);
    while (entries.size > this.maxPerAgent) entries.delete(entries.keys().next().value!);
    const settled = await outcome.catch((err: unknown) => {
      this.forget(agent, token, entry);
      throw err;
    });
    // A server fault is not an outcome worth repeating: let a retry apply for real.
    if (settled.status >= 500) this.forget(agent, token, entry);
    return { outcome: settled, replayed: false };
  }

  private forget(agent: string, token: string, entry: Entry): void {
    const entries = this.byAgent.get(agent);
    if (entries?.get(token) === entry) entries.delete(token);
    if (entries?.size === 0) this.byAgent.delete(agent);
  }

  clear(): void {
    this.byAgent.clear();
  }

  get size(): number {
    let total = 0;
    for (const entries of this.byAgent.values()) total += entries.size;
    return total;
  }

  private sweepIfDue(): void {
    const now = this.clock.now();
    if (now - this.lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = now;
    for (const [agent, entries] of this.byAgent) {
      for (const [token, entry] of entries) if (entry.atMs + this.ttlMs <= now) entries.delete(token);
      if (entries.size === 0) this.byAgent.delete(agent);
    }
  }
}
