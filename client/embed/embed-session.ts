/**
 * The CRM side of `initCCP` (the iframe bridge, and the Web Locks this page takes for its CCP frame): the chunk
 * `connect-embed.js`, which `client/embed/embed.ts` loads (`loadEmbedding` in `on-demand.ts`) only when a page embeds the
 * CCP, so that pages on the CCP origin do not carry it.
 */
import { FrameLockService, idbFrameEpochs } from './frame-lock-service';
import { IframeBridgeTransport } from './iframe-bridge';

export interface EmbedOptions {
  /** The CCP iframe `initCCP` made. */
  frame: HTMLIFrameElement;
  /** Its exact origin: the only one messages go to and are accepted from. */
  ccpOrigin: string;
  /** What the frame posted before this chunk was loaded, in arrival order; handled as if just received. */
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

/** Takes Web Locks for the CCP frame, which cannot in a third-party context (a CRM on another site): all CRM tabs of
 * this origin then share one engine. Only for that frame's window and origin. */
function serveFrameLocks(ccpFrame: HTMLIFrameElement, ccpOrigin: string): { service: FrameLockService | null; stop: () => void } {
  const locks = navigator.locks as LockManager | undefined;
  if (!locks) return { service: null, stop: () => undefined };
  const service = new FrameLockService({
    ccpOrigin,
    isFrame: (source) => source === ccpFrame.contentWindow && source !== null,
    post: (msg) => ccpFrame.contentWindow?.postMessage(msg, ccpOrigin),
    locks,
    epochs: idbFrameEpochs(ccpOrigin),
  });
  const listener = (e: MessageEvent): void => service.onMessage(e);
  addEventListener('message', listener);
  return {
    service,
    stop: () => {
      removeEventListener('message', listener);
      service.releaseAll();
    },
  };
}

function open(o: EmbedOptions): EmbedSession {
  const lockService = serveFrameLocks(o.frame, o.ccpOrigin);
  const transport = new IframeBridgeTransport(o.frame, o.ccpOrigin, o.onRefused);
  // In the order the listeners would have seen them: the lock service's was added first.
  for (const e of o.early) {
    lockService.service?.onMessage(e);
    transport.onMessage(e);
  }
  return { transport, stopLockService: lockService.stop };
}

export const embedApi: EmbedApi = Object.freeze({ open } satisfies EmbedApi);
