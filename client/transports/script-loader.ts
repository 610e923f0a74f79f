/**
 * Loads one of our on-demand bundles with a `<script>` (once per URL) and returns the global it installs. Used for
 * the fallback transports (`connect-fallback.js`) and the engine (`connect-engine.js`), so that a page loads only
 * what its transport needs.
 */
import { ErrorType, wireError } from '../../shared/protocol';
import { withDeadline } from './transport';

/** Our bundles come from the same server as this library and are usually cached: 10 s covers a slow network, yet a
 * page that cannot load one gives up (and falls back, or lets another tab lead) instead of waiting for ever. */
export const SCRIPT_LOAD_TIMEOUT_MS = 10_000;

const loading = new Map<string, Promise<unknown>>();

/**
 * @example
 * const api = await loadGlobal('https://ccp.example.com/connect-engine.js', 'ConnectSyncEngine', isEngineHostFactory);
 */
export function loadGlobal<T>(url: string, name: string, valid: (x: unknown) => x is T, timeoutMs = SCRIPT_LOAD_TIMEOUT_MS): Promise<T> {
  const present = (): unknown => (globalThis as Record<string, unknown>)[name];
  const ready = present();
  if (valid(ready)) return Promise.resolve(ready);
  let p = loading.get(url) as Promise<T> | undefined;
  if (!p) {
    p = new Promise<T>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.onload = () => {
        const g = present();
        if (valid(g)) resolve(g);
        else reject(wireError(ErrorType.INTERNAL, `${url} loaded but did not install ${name}`));
      };
      script.onerror = () => reject(wireError(ErrorType.NOT_CONNECTED, `could not load ${url}`));
      document.head.append(script);
    });
    loading.set(url, p);
  }
  return withDeadline(p, timeoutMs, url).catch((e: unknown) => {
    loading.delete(url); // the next attempt loads it again
    throw e;
  });
}
