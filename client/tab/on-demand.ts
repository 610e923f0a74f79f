/**
 * Code on demand: the parts of the library that only some pages need are webpack chunks, loaded with `import()` by
 * the page that needs them, from beside the script that loaded the library (webpack's `publicPath: 'auto'`; a CRM
 * that loads `connect-streams.js` from the CCP origin loads them from there too). Each loader below is the one place
 * its chunk is named. A chunk that cannot load rejects with a typed `NotConnectedError` naming its URL; the next call
 * tries again. npm consumers get the same split from their own bundler.
 */
import { ErrorType, wireError, type WireError } from '../../shared/protocol';
import type { EngineHostFactory } from '../../shared/engine-host';
import type { FallbackApi } from '../fallback/fallback-api';
import type { EmbedApi } from '../embed/embed-session';
import type { RelayApi } from '../embed/relay-session';
import type { RingtoneApi } from '../features/ringtone-api';
import type { StateFull } from '../../shared/protocol';
import type { LoginPopupManager } from '../features/auth-popup';
import type * as AgentRules from '../api/agent-rules';
import type { Subscription } from '../api/event-bus';
import type { FeaturesApi } from '../features/features-api';

/** What webpack rejects `import()` with when a chunk does not load (`ChunkLoadError`): the URL is in `request`. */
interface ChunkLoadFailure {
  name?: string;
  message?: string;
  request?: string;
}

/** The typed error for a chunk that did not load (or whose module threw while it ran). */
export function chunkError(what: string, e: unknown): WireError {
  const failure = (e ?? {}) as ChunkLoadFailure;
  const where = typeof failure.request === 'string' ? failure.request : what;
  const why = typeof failure.message === 'string' ? failure.message : String(e);
  return wireError(ErrorType.NOT_CONNECTED, `could not load ${where}: ${why}`);
}

/**
 * Runs one chunk's `import()` and maps a failure to a typed error.
 *
 * @example
 * const api = await onDemand('connect-fallback.js', () => import('../fallback/fallback').then((m) => m.fallbackApi));
 */
export function onDemand<T>(what: string, load: () => Promise<T>): Promise<T> {
  return load().catch((e: unknown) => {
    throw chunkError(what, e);
  });
}

/**
 * Keeps what a chunk that is still loading would have heard, and hands it over in the same turn the chunk takes over.
 * `keeping` is the page's subscription (`subscribeMany`, others linked to it) that notes what is heard in the
 * caller's own record (a list, a flag). When `loaded` resolves it ends and `handOver` runs with the chunk, in one go:
 * the chunk subscribes itself there and is handed the record, so no event falls between the page's listener and the
 * chunk's, and none is handed twice. A load that fails ends it too and calls `failed` (the caller logs). The returned
 * function stops keeping (terminate before the chunk arrived): the chunk, if it arrives, is then handed nothing.
 *
 * @example
 * const heard: HeardEvent[] = [];
 * const stop = keepUntilLoaded(keepHeard(bus, heard), loadRingtone(),
 *   (api) => api.startRingtone({ ...deps, heardBefore: heard }), (e) => log.error('%j', toWireError(e)));
 */
export function keepUntilLoaded<T>(keeping: Subscription, loaded: Promise<T>, handOver: (chunk: T) => void,
  failed: (e: unknown) => void): () => void {
  let listening = true;
  const stop = (): void => {
    listening = false;
    keeping.unsubscribe();
  };
  loaded.then((chunk) => {
    if (!listening) return;
    stop();
    handOver(chunk);
  }, (e: unknown) => {
    stop();
    failed(e);
  });
  return stop;
}

/** The fallback transports (BroadcastChannel + leader, in-page): only a page without a usable SharedWorker. */
export function loadFallback(): Promise<FallbackApi> {
  return onDemand('connect-fallback.js',
    () => import(/* webpackChunkName: "connect-fallback" */ '../fallback/fallback').then((m) => m.fallbackApi));
}

/** The engine, for a page that hosts it (the broadcast leader, in-page); followers and SharedWorker pages never. */
export function loadEngine(): Promise<EngineHostFactory> {
  return onDemand('connect-engine.js',
    () => import(/* webpackChunkName: "connect-engine" */ '../../worker/page-host').then((m) => m.engineHostFactory));
}

/** The CRM side of `initCCP` (the iframe bridge and the Web Locks taken for the CCP frame): a page that embeds the CCP. */
export function loadEmbedding(): Promise<EmbedApi> {
  return onDemand('connect-embed.js',
    () => import(/* webpackChunkName: "connect-embed" */ '../embed/embed-session').then((m) => m.embedApi));
}

/** The CCP-frame side of the iframe bridge: a CCP page that runs inside a frame. */
export function loadRelay(): Promise<RelayApi> {
  return onDemand('connect-relay.js',
    () => import(/* webpackChunkName: "connect-relay" */ '../embed/relay-session').then((m) => m.relayApi));
}

/** The ringtone (its rules, its `<audio>` player, the built-in sound): CCP pages only. */
export function loadRingtone(): Promise<RingtoneApi> {
  return onDemand('connect-ringtone.js',
    () => import(/* webpackChunkName: "connect-ringtone" */ '../features/ringtone-session').then((m) => m.ringtoneApi));
}

/** How long a new tab waits for the persisted-state chunk and its read (beside its hello, never before it) before it
 * gives up rendering them. The chunk comes from the server that served the page (cached after the first tab) and the
 * read has its own 2 s deadline (`PERSISTED_READ_DEADLINE_MS`); the engine's welcome carries the state anyway, so
 * waiting longer only keeps a dead read around. */
export const PERSISTED_LOAD_DEADLINE_MS = 3_000;

/** The persisted state a new tab renders before the engine answers (idb-keyval and the deep checks of the record,
 * which a page's bundle does not otherwise need): pages on the CCP origin. */
export function loadPersistedReader(): Promise<() => Promise<StateFull | null>> {
  return onDemand('connect-persisted.js',
    () => import(/* webpackChunkName: "connect-persisted" */ './persisted').then((m) => m.readPersistedState));
}

/** The login popup (its manager and the login-URL check): pages on the CCP origin, loaded as they start, so that a
 * later click on a "Sign in" button finds it there (`openLoginPopup` must open the window within the click). */
export function loadLoginPopup(): Promise<typeof LoginPopupManager> {
  return onDemand('connect-login.js',
    () => import(/* webpackChunkName: "connect-login" */ '../features/auth-popup').then((m) => m.LoginPopupManager));
}

/** The rules of the two agent actions that do more than one request (`setConfiguration`'s validation, the paging of
 * `getEndpoints`): loaded by the first such call. */
export function loadAgentRules(): Promise<typeof AgentRules> {
  return onDemand('connect-agent-rules.js',
    () => import(/* webpackChunkName: "connect-agent-rules" */ '../api/agent-rules'));
}

/** The login popup and ringtone glue of a page on the CCP origin (its options, its master calls): loaded as such a
 * page starts (`client/tab/features.ts`); CRM pages and the inspector never load it. */
export function loadFeatures(): Promise<FeaturesApi> {
  return onDemand('connect-features.js',
    () => import(/* webpackChunkName: "connect-features" */ '../features/page-features').then((m) => m.featuresApi));
}
