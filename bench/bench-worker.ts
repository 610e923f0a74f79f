/**
 * Entry of the benchmark's own SharedWorker bundle (`bench/dist/connect-shared-worker-bench.js`, built by
 * `bench/webpack.config.ts` when `npm run bench` starts, served to bench tabs by the harness, never from `dist/`):
 * the shipped host with the benchmark's instruments (`bench-probe.ts`), and under a `…:baseline:bench` name the
 * original design's strategy (`baseline.ts`).
 */
import { hostSharedWorker, type SharedWorkerScope } from '../worker/shared-worker-host';
import { engineModeForWorkerName, engineOptions } from './baseline';
import { BenchProbe } from './bench-probe';

const scope = globalThis as unknown as SharedWorkerScope & { name: string };
const probe = new BenchProbe();

hostSharedWorker(scope, {
  instrument: (cti) => probe.instrument(cti),
  endpointMethods: () => probe.endpointMethods(),
  ...engineOptions(engineModeForWorkerName(scope.name)),
});
