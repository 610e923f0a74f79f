import path from 'node:path';
import type { Configuration } from 'webpack';

/**
 * Four bundles with stable, unhashed names. The worker's URL (plus its name) is the SharedWorker's identity: a hashed
 * file name would put tabs of two deploys on different workers.
 */
const root = __dirname;

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
        loader: 'ts-loader',
        options: { configFile: path.resolve(root, tsconfig), onlyCompileBundledFiles: true, compilerOptions: { noEmit: false } },
      }],
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
  bundle('ccp', 'client/ccp/main.ts', 'tsconfig.page.json', 'web'),
];
