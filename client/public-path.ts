/**
 * The script build's chunks load from beside its script (`scriptBase`), so that a CRM page that loads
 * `connect-streams.js` from the CCP origin loads them from there too. Webpack's `publicPath: 'auto'` does the same
 * with a runtime of its own (it also searches every `<script>` for browsers without `document.currentScript`); this
 * costs ~200 B less gzip in a bundle with a 25 KB budget. It is the first module of the script build's entry
 * (webpack.config.ts), so it runs before any `import()`. The npm build does not contain it: a consumer's bundler
 * keeps its own `publicPath`. Without a script URL, chunks load relative to the page.
 */
import { scriptBase } from './tab/script-base';

declare let __webpack_public_path__: string;

if (scriptBase) __webpack_public_path__ = scriptBase;
