import path from 'node:path';
import type { Configuration } from 'webpack';

/**
 * Bundles with stable, unhashed names. The worker's URL (plus its name) is the SharedWorker's identity: a hashed
 * file name would put tabs of two deploys on different workers.
 */
const root = __dirname;

/** Modules that only declare (enums, constants, pure functions): webpack may leave them out of a bundle that uses
 * none of their exports. `bridge-protocol.ts` is imported by `iframe-relay.ts`, of which `connect-streams.js` needs
 * only `parentOriginOf`: without this, its enums would ride along although the bridge itself is `connect-relay.js`. */
const DECLARATIONS_ONLY = [path.resolve(root, 'client/transports/bridge-protocol.ts')];

function bundle(name: string, entry: string, tsconfig: string, target: 'web' | 'webworker',
  opts: { minimize?: boolean; library?: Configuration['output'] } = {}): Configuration {
  return {
    name,
    mode: 'production',
    target,
    devtool: 'source-map',
    entry: { [name]: path.resolve(root, entry) },
    output: { path: path.resolve(root, 'dist'), filename: '[name].js', ...(opts.library ?? {}) },
    resolve: { extensions: ['.ts', '.js'] },
    optimization: { minimize: opts.minimize ?? true },
    performance: { hints: false },
    module: {
      rules: [{
        test: /\.ts$/,
        // Loaders run last to first: ts-loader emits JS, then string enums whose keys derive from their values ship
        // as those values only (scripts/derived-enums-loader.ts; same objects at run time).
        use: [
          { loader: path.resolve(root, 'scripts/derived-enums-loader.ts') },
          {
            loader: 'ts-loader',
            options: { configFile: path.resolve(root, tsconfig), onlyCompileBundledFiles: true, compilerOptions: { noEmit: false } },
          },
        ],
      }, { include: DECLARATIONS_ONLY, sideEffects: false }],
    },
  };
}

const umd: Configuration['output'] = {
  library: { name: 'connect', type: 'umd', export: 'connect' },
  globalObject: 'this',
};

export default [
  bundle('connect-streams', 'client/index.ts', 'tsconfig.page.json', 'web', { minimize: false, library: umd }),
  bundle('connect-streams-min', 'client/index.ts', 'tsconfig.page.json', 'web', { minimize: true, library: umd }),
  bundle('connect-shared-worker', 'worker/shared-worker.ts', 'tsconfig.worker.json', 'webworker'),
  // The engine for a page that hosts it (broadcast leader, in-page): loaded on demand, never by followers. Type-checked
  // with the worker's config (no DOM), run in a page.
  bundle('connect-engine', 'worker/page-host.ts', 'tsconfig.worker.json', 'web'),
  // The fallback transports (BroadcastChannel + leader, in-page): loaded on demand by connect-streams.js when there is
  // no usable SharedWorker, so that the SharedWorker path does not carry them.
  bundle('connect-fallback', 'client/transports/fallback.ts', 'tsconfig.page.json', 'web'),
  // The CRM side of initCCP (iframe bridge, Web Locks taken for the CCP frame): loaded by initCCP only, so that pages
  // on the CCP origin do not carry it.
  bundle('connect-embed', 'client/transports/embed-bundle.ts', 'tsconfig.page.json', 'web'),
  // The CCP-frame side of the bridge: loaded only by a CCP page that runs inside a frame.
  bundle('connect-relay', 'client/transports/relay-bundle.ts', 'tsconfig.page.json', 'web'),
  // The ringtone: loaded only by CCP pages (a CRM's CCP frame rings for it).
  bundle('connect-ringtone', 'client/ringtone-bundle.ts', 'tsconfig.page.json', 'web'),
  bundle('ccp', 'client/ccp/main.ts', 'tsconfig.page.json', 'web'),
  bundle('inspector', 'client/ccp/inspector.ts', 'tsconfig.page.json', 'web'),
];
