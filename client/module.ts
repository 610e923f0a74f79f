/**
 * The ESM entry of the npm package (`import { connect } from 'connect-sync'`): the `connect` namespace of
 * `client/index.ts`, with the SharedWorker found without configuration. `new URL('…', import.meta.url)` is the
 * pattern webpack 5, Vite and esbuild (with its file loader) follow: the app's bundler copies the package's prebuilt
 * `connect-shared-worker.js` (which has no chunks of its own) into the app's output and gives this URL its place
 * there. `workerUrl` in `initSharedWorker` overrides it. Code loaded on demand (`client/tab/on-demand.ts`) is plain
 * `import()` here, split by the app's bundler like the app's own.
 *
 * @example
 * import { connect } from 'connect-sync';
 * connect.core.initSharedWorker({ role: 'page' });
 */
import { setBundledWorkerUrl } from './tab/core';

// From dist/esm/client/module.js to dist/connect-shared-worker.js.
setBundledWorkerUrl(new URL('../../connect-shared-worker.js', import.meta.url).href);

export * from './index';
export { default } from './index';
