/**
 * Helpers for tests under `mock.timers` (setTimeout/setInterval/Date mocked, setImmediate real). Free of node
 * imports so the worker tsconfig (WebWorker lib) type-checks this folder too.
 */
type Immediate = (cb: () => void) => unknown;

/** Lets every pending promise continuation run (a few macrotask turns, so chains of awaits settle). */
export async function flush(turns = 20): Promise<void> {
  const immediate = (globalThis as unknown as { setImmediate: Immediate }).setImmediate;
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => { immediate(r); });
}

/** Advances the mocked clock by `ms` (pass `mock.timers`), then flushes. */
export async function advance(timers: { tick(ms: number): void }, ms: number): Promise<void> {
  timers.tick(ms);
  await flush();
}
