import path from 'node:path';
import { base } from '../webpack.config';

/**
 * The benchmark's own bundle, built by `npm run bench` into `bench/dist/` (never `dist/`): the SharedWorker with the
 * benchmark's instruments and the original design's strategy (`bench-worker.ts`). Same host and engine as
 * `connect-shared-worker.js`; the harness serves it to bench tabs.
 */
export const BENCH_DIST = path.resolve(__dirname, 'dist');
export const BENCH_WORKER_FILE = 'connect-shared-worker-bench.js';

const config = base('bench-worker', 'webworker', { [BENCH_WORKER_FILE.replace(/\.js$/, '')]: 'bench/bench-worker.ts' }, 'tsconfig.worker.json');

export default { ...config, output: { ...config.output, path: BENCH_DIST } };
