/**
 * Entry of `connect-embed.js`: the CRM side of `initCCP` (the iframe bridge, and the Web Locks this page takes for
 * its CCP frame), which `client/embed.ts` loads only when a page embeds the CCP, so that pages on the CCP origin do
 * not carry it. It installs `globalThis.ConnectSyncEmbed`.
 */
import { EMBED_GLOBAL, type EmbedApi, type EmbedOptions, type EmbedSession } from './embed-api';
import { FrameLockService, idbFrameEpochs } from './frame-lock-service';
import { IframeBridgeTransport } from './iframe-bridge';

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

(globalThis as Record<string, unknown>)[EMBED_GLOBAL] = embedApi;
