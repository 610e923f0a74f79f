/**
 * Time for the simulation: the server clock (what `snapshotTimestamp` reports) and a registry of the simulation's
 * timers (ring timeouts, dialling delays), so a reset or shutdown can cancel every pending one at once.
 */
import type { EpochSeconds } from '../../shared/cti';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Wire timestamps are epoch seconds with the milliseconds as a fraction (1700000000.123). */
export function toEpochSeconds(ms: number): EpochSeconds {
  return Math.round(ms) / 1000;
}

export type TimerId = number;

/** Named after what it is for: every timer the simulation owns, cancellable one by one or all together. */
export class SimulationTimers {
  private readonly pending = new Map<TimerId, NodeJS.Timeout>();
  private nextId = 1;

  /** Runs `fn` once after `ms`. The timer never keeps the process alive on its own. */
  after(ms: number, fn: () => void): TimerId {
    const id = this.nextId++;
    const handle = setTimeout(() => {
      this.pending.delete(id);
      fn();
    }, ms);
    handle.unref();
    this.pending.set(id, handle);
    return id;
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    const handle = this.pending.get(id);
    if (handle) clearTimeout(handle);
    this.pending.delete(id);
  }

  cancelAll(): void {
    for (const handle of this.pending.values()) clearTimeout(handle);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
