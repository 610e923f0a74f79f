/** The epoch counter in memory (one per simulated browser), as IndexedDB serialises it. */
import type { EpochCounter } from '../../client/fallback/epoch-counter';

export class FakeEpochs implements EpochCounter {
  value = 0;
  bumps = 0;

  async read(): Promise<number | null> {
    return this.value;
  }

  async bump(atLeast: number): Promise<number> {
    this.bumps++;
    this.value = Math.max(this.value, atLeast) + 1;
    return this.value;
  }
}
