/**
 * The original design, reproduced as a strategy of our engine so that ours/original is measured rather than assumed
 * (the `baseline` path of `npm run bench`): the whole state to every tab on every long-poll answer and every
 * configuration round (so every 30 s, changed or not) and whenever a tab connects, each tab diffing it itself; and a
 * 100 ms pause after each long-poll answer. Built only into the benchmark's own worker bundle
 * (`bench/bench-worker.ts`), which runs it under a `…:baseline:bench` worker name; nothing in `dist/` can.
 */
import type { FanOut } from '../worker/engine';
import type { HostExtras } from '../worker/shared-worker-host';
import type { EngineTimings } from '../worker/timings';

/** `ours`: the engine as it ships; `baseline`: the original design's strategy. */
export type EngineMode = 'ours' | 'baseline';

/** Suffix of the worker names the benchmark uses (`BENCH_WORKER_NAME`). */
export const BENCH_NAME_SUFFIX = ':bench';
/** A bench worker under this suffix runs the engine in the original design's mode. */
export const BASELINE_BENCH_NAME_SUFFIX = ':baseline:bench';

/** Only the value that differs from ours. */
export const BASELINE_TIMINGS: Readonly<Partial<EngineTimings>> = {
  // The original waited 100 ms after each long-poll answer before polling again (streams-reference §2, item 3).
  repollDelayMs: 100,
};

/** The whole state, to every tab, on every change, every backend answer (changed or not) and every new tab. */
export const BASELINE_FAN_OUT: FanOut = Object.freeze({
  tabConnected: (hub, _tabId, publisher) => hub.sendAll(publisher.fullJson(), 'state'), // the original refreshed every tab
  offered: (hub, p, publisher, fromBackend) => {
    if (p || (fromBackend && publisher.state.data)) hub.sendAll(publisher.fullJson(), 'state');
  },
} satisfies FanOut);

/** The engine options of a mode: none for ours. */
export function engineOptions(mode: EngineMode): Pick<HostExtras, 'fanOut' | 'timings'> {
  return mode === 'baseline' ? { fanOut: BASELINE_FAN_OUT, timings: BASELINE_TIMINGS } : {};
}

/** The engine mode a bench worker of this name runs: the baseline only for a `…:baseline:bench` worker. */
export function engineModeForWorkerName(name: string): EngineMode {
  return name.endsWith(BASELINE_BENCH_NAME_SUFFIX) ? 'baseline' : 'ours';
}
