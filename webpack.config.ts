import path from 'node:path';
import webpack, { type Compiler, type Configuration } from 'webpack';

/**
 * Three compilations, one per target: the `connect` library (UMD, for pages) with the chunks it loads on demand, the
 * SharedWorker, and the CCP apps. Entry files keep stable, unhashed names: the worker's URL (plus its name) is the
 * SharedWorker's identity, and pages name `connect-streams.js` in their `<script>`. Chunks get stable names too
 * (`webpackChunkName` in `client/tab/on-demand.ts`); code they share is split as webpack decides (`connect-<id>.js`).
 */
const root = __dirname;
const dist = path.resolve(root, 'dist');

/** A chunk that has not arrived after this long fails (a typed error in the log; the next attempt loads it again).
 * Chunks come from the same server as the library and are usually cached: 10 s covers a slow network, yet a page
 * that cannot load one gives up (falls back, or lets another tab lead) instead of waiting for webpack's 120 s. */
export const CHUNK_LOAD_TIMEOUT_MS = 10_000;

/**
 * TypeScript through ts-loader, type-checked with the config of where the file runs (`worker/` without DOM). Loaders
 * run last to first: ts-loader emits JS, then string enums whose keys derive from their values ship as those values
 * only (scripts/derived-enums-loader.ts; same objects at run time). Measured on `connect-streams-min.js`: 25.9 KB gzip
 * without it, 24.7 KB with it, against a budget of 25 KB (it also lets unused enums be dropped).
 */
function typescript(pageConfig: string): NonNullable<Configuration['module']>['rules'] {
  const ts = (configFile: string, instance: string) => [
    { loader: path.resolve(root, 'scripts/derived-enums-loader.ts') },
    {
      loader: 'ts-loader',
      options: { configFile: path.resolve(root, configFile), instance, onlyCompileBundledFiles: true, compilerOptions: { noEmit: false } },
    },
  ];
  return [
    { test: /\.ts$/, include: path.resolve(root, 'worker'), use: ts('tsconfig.worker.json', 'worker') },
    { test: /\.ts$/, exclude: path.resolve(root, 'worker'), use: ts(pageConfig, 'page') },
  ];
}

/** `entry`: per bundle, its file, or its files in the order they run (the last one's exports are the bundle's). */
export function base(name: string, target: 'web' | 'webworker', entry: Record<string, string | string[]>, tsconfig: string): Configuration {
  return {
    name,
    mode: 'production',
    target,
    devtool: 'source-map',
    entry: Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, typeof v === 'string' ? path.resolve(root, v) : v.map((f) => path.resolve(root, f))])),
    output: { path: dist, filename: '[name].js', uniqueName: `connect-sync-${name}` },
    resolve: { extensions: ['.ts', '.js'] },
    performance: { hints: false },
    module: { rules: typescript(tsconfig) },
  };
}

/** Leaves `connect-streams.js` readable (its `-min` twin is the minified one): an asset marked `minimized` before the
 * minimizer runs is one the minimizer declines. Its chunks are shared with `-min`, and minified. */
class KeepReadable {
  constructor(private readonly file: string) {}

  apply(compiler: Compiler): void {
    compiler.hooks.thisCompilation.tap('KeepReadable', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'KeepReadable', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE }, () => {
        if (compilation.getAsset(this.file)) compilation.updateAsset(this.file, (s) => s, { minimized: true });
      });
    });
  }
}

/** The script build's entry: `client/public-path.ts` first (where its chunks are), then the library it exports. */
const libraryEntry = ['client/public-path.ts', 'client/index.ts'];

const library: Configuration = {
  ...base('library', 'web', { 'connect-streams': libraryEntry, 'connect-streams-min': libraryEntry }, 'tsconfig.page.json'),
  output: {
    path: dist,
    filename: '[name].js',
    // Named chunks keep their name (`connect-embed.js`…); code webpack splits out for several of them gets its id.
    chunkFilename: (data) => (data.chunk?.name ? '[name].js' : 'connect-[id].js'),
    // A split chunk's id changes with its content: remove the previous build's, or dist/ (and the footprint measured
    // from it) keeps stale ones. Only those: the other compilations and tsc write beside this one into dist/.
    clean: { keep: (file: string) => !/^connect-\d+\.js(\.map|\.LICENSE\.txt)?$/.test(file) },
    // Chunks load from beside the script that loaded the library, set at run time by `client/public-path.ts`.
    publicPath: '',
    chunkLoadTimeout: CHUNK_LOAD_TIMEOUT_MS,
    uniqueName: 'connect-sync-library',
    library: { name: 'connect', type: 'umd', export: 'connect' },
    globalObject: 'this',
  },
  plugins: [new KeepReadable('connect-streams.js')],
};

export default [
  library,
  base('worker', 'webworker', { 'connect-shared-worker': 'worker/shared-worker.ts' }, 'tsconfig.worker.json'),
  // The CCP page and the sync inspector use the library through its global (`apps/ccp/connect-global.ts`).
  base('apps', 'web', { ccp: 'apps/ccp/main.ts', inspector: 'apps/ccp/inspector.ts' }, 'tsconfig.page.json'),
];
