/**
 * Idempotency for mutating CTI operations: the first request with a given `X-Idempotency-Token` (per agent) is
 * applied; every repeat — later or concurrent — gets that first outcome (status and body) without applying again.
 * Concurrent duplicates share the first request's pending promise, so "apply once" holds even mid-flight.
 */
import { validationError } from './errors';
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
  outcome: Promise<Outcome>;
  atMs: number;
}

export function checkIdempotencyToken(token: string): void {
  if (!TOKEN_PATTERN.test(token)) {
    throw validationError('X-Idempotency-Token must be 1 to 128 visible ASCII characters');
  }
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private lastSweepMs = 0;

  constructor(private readonly clock: Clock, private readonly ttlMs = IDEMPOTENCY_TTL_MS) {}

  /**
   * Applies `apply` once per (agent, token).
   * @example
   *   const { outcome, replayed } = await store.run('agent1', token, 'AcceptContact', () => handle(request));
   */
  async run(agent: string, token: string, op: string, apply: () => Promise<Outcome>):
    Promise<{ outcome: Outcome; replayed: boolean }> {
    this.sweepIfDue();
    const key = `${agent}\n${token}`;
    const existing = this.entries.get(key);
    if (existing && existing.atMs + this.ttlMs > this.clock.now()) {
      if (existing.op !== op) {
        const err = validationError(`X-Idempotency-Token was already used for ${existing.op}`);
        return { outcome: { status: err.status, body: err.toBody() }, replayed: true };
      }
      return { outcome: await existing.outcome, replayed: true };
    }
    const outcome = apply();
    const entry: Entry = { op, outcome, atMs: this.clock.now() };
    this.entries.set(key, entry);
    const settled = await outcome.catch((err: unknown) => {
      this.forget(key, entry);
      throw err;
    });
    // A server fault is not an outcome worth repeating: let a retry apply for real.
    if (settled.status >= 500) this.forget(key, entry);
    return { outcome: settled, replayed: false };
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private sweepIfDue(): void {
    const now = this.clock.now();
    if (now - this.lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = now;
    for (const [key, entry] of this.entries) if (entry.atMs + this.ttlMs <= now) this.entries.delete(key);
  }
}
