/**
 * `connect.core.initCCP`: a CRM page on another origin embeds the CCP in an iframe and uses the `connect` API
 * through it. The page becomes a tab of the engine, relayed by the frame.
 */
import { TabRole } from '../shared/protocol';
import { getContext } from './context';
import { claimInit, startLink } from './core';
import { FrameLockService, idbFrameEpochs } from './transports/frame-lock-service';
import { IframeBridgeTransport } from './transports/iframe-bridge';

/** The guide's sizes: the CCP is 465 px tall, 400 px in its compact layout, which it uses below 221 px wide. */
export const CCP_HEIGHT_PX = 465;
export const CCP_COMPACT_HEIGHT_PX = 400;
export const CCP_COMPACT_BELOW_PX = 221;

export interface InitCCPOptions {
  ccpUrl: string;
  region?: string;
  /** Default true: open one login popup (across all tabs) when the session expires. */
  loginPopup?: boolean;
  loginPopupAutoClose?: boolean;
  loginUrl?: string;
  loginOptions?: { autoClose?: boolean; height?: number; width?: number; top?: number; left?: number };
  softphone?: { allowFramedSoftphone?: boolean; disableRingtone?: boolean; ringtoneUrl?: string };
  chat?: { disableRingtone?: boolean; ringtoneUrl?: string };
  pageOptions?: Record<string, unknown>;
  onViewContact?: (data: unknown) => void;
  /** Period and timeout of SYNCHRONIZE/ACK (defaults 1000 / 3000 ms). */
  ccpSynTimeout?: number;
  ccpAckTimeout?: number;
}

let frame: HTMLIFrameElement | null = null;
let stopLockService: (() => void) | null = null;

/** Takes Web Locks for the CCP frame, which cannot in a third-party context (a CRM on another site): all CRM tabs of
 * this origin then share one engine. Only for that frame's window and origin. */
function serveFrameLocks(ccpFrame: HTMLIFrameElement, ccpOrigin: string): () => void {
  const locks = navigator.locks as LockManager | undefined;
  if (!locks) return () => undefined;
  const service = new FrameLockService({
    ccpOrigin,
    isFrame: (source) => source === ccpFrame.contentWindow && source !== null,
    post: (msg) => ccpFrame.contentWindow?.postMessage(msg, ccpOrigin),
    locks,
    epochs: idbFrameEpochs(ccpOrigin),
  });
  const listener = (e: MessageEvent): void => service.onMessage(e);
  addEventListener('message', listener);
  return () => {
    removeEventListener('message', listener);
    service.releaseAll();
  };
}

/**
 * Embeds the CCP in `container` and connects this page through it.
 *
 * @example
 * connect.core.initCCP(document.getElementById('ccp'), {
 *   ccpUrl: 'http://127.0.0.1:8080/ccp',
 *   loginPopup: true,
 *   softphone: { allowFramedSoftphone: true },
 * });
 * connect.contact((contact) => console.log('contact', contact.getContactId()));
 */
export function initCCP(container: HTMLElement, paramsIn: InitCCPOptions | string): void {
  const params: InitCCPOptions = typeof paramsIn === 'string' ? { ccpUrl: paramsIn } : paramsIn;
  const { log, bus } = getContext();
  if (!params || typeof params.ccpUrl !== 'string') {
    log.error('initCCP: ccpUrl is required');
    return;
  }
  if (!claimInit()) return;
  const ccpUrl = new URL(params.ccpUrl, location.href);
  frame = document.createElement('iframe');
  frame.src = ccpUrl.href;
  frame.title = 'Contact Control Panel';
  frame.allow = 'microphone; autoplay; clipboard-write';
  frame.style.cssText = 'width:100%;border:0;display:block;';
  const size = (): void => {
    if (frame) frame.style.height = `${container.clientWidth < CCP_COMPACT_BELOW_PX ? CCP_COMPACT_HEIGHT_PX : CCP_HEIGHT_PX}px`;
  };
  size();
  if (typeof ResizeObserver === 'function') new ResizeObserver(size).observe(container);
  stopLockService = serveFrameLocks(frame, ccpUrl.origin);
  container.appendChild(frame);

  if (params.onViewContact) bus.subscribe('contact::view', params.onViewContact);
  const transport = new IframeBridgeTransport(frame, ccpUrl.origin, (reason) => {
    log.error('the CCP refused to be embedded here: %s', reason);
    bus.trigger('access_denied', { reason });
  });
  transport.configure({ softphone: params.softphone, chat: params.chat, pageOptions: params.pageOptions,
    loginPopup: params.loginPopup !== false, loginPopupAutoClose: !!(params.loginPopupAutoClose || params.loginOptions?.autoClose),
    loginUrl: params.loginUrl, loginOptions: params.loginOptions });
  startLink(transport, {
    role: TabRole.CRM, readPersisted: false, holdLock: false,
    synIntervalMs: params.ccpSynTimeout, ackTimeoutMs: params.ccpAckTimeout,
    restart: () => location.reload(),
  }).catch((e: unknown) => {
    log.error('initCCP: could not connect through the CCP frame: %j', e);
    bus.trigger('ack_timeout', null);
  });
}

/** The CCP iframe created by `initCCP`, if any. */
export function getCCPFrame(): HTMLIFrameElement | null {
  return frame;
}

/** Removes the CCP iframe (terminate). */
export function removeCCPFrame(): void {
  stopLockService?.();
  stopLockService = null;
  frame?.remove();
  frame = null;
}
