/**
 * The surface of `connect-embed.js` (the CRM side of `initCCP`: the iframe bridge and the Web Locks the page takes
 * for its CCP frame), which `client/embed.ts` loads on demand: the global it installs and what that global offers.
 * Types only, plus three names: importing this does not pull the embedding code into `connect-streams.js`.
 */
import type { IframeBridgeTransport } from './iframe-bridge';

export const EMBED_GLOBAL = 'ConnectSyncEmbed';
export const EMBED_BUNDLE_FILE = 'connect-embed.js';

export interface EmbedOptions {
  /** The CCP iframe `initCCP` made. */
  frame: HTMLIFrameElement;
  /** Its exact origin: the only one messages go to and are accepted from. */
  ccpOrigin: string;
  /** What the frame posted before this bundle was loaded, in arrival order; handled as if just received. */
  early: readonly MessageEvent[];
  /** The CCP refused to be embedded here (this origin is not approved). */
  onRefused(reason: string): void;
}

export interface EmbedSession {
  /** The page's transport to the engine, through the frame. */
  transport: IframeBridgeTransport;
  /** Stops taking Web Locks for the frame and gives back those it holds (terminate). */
  stopLockService(): void;
}

export interface EmbedApi {
  /** Starts the bridge and the frame's lock service; both listen from now on, after handling `early`. */
  open(o: EmbedOptions): EmbedSession;
}

export function isEmbedApi(x: unknown): x is EmbedApi {
  return typeof x === 'object' && x !== null && typeof (x as EmbedApi).open === 'function';
}
