/**
 * Entry of `connect-shared-worker.js`: the only file that knows it runs in a SharedWorker. The host itself is
 * `shared-worker-host.ts`.
 */
import { hostSharedWorker } from './shared-worker-host';

declare const self: SharedWorkerGlobalScope;

hostSharedWorker(self);
