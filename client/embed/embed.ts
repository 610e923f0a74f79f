/**
 * `connect.core.initCCP`: a CRM page on another origin embeds the CCP in an iframe and uses the `connect` API
 * through it. The page becomes a tab of the engine, relayed by the frame. The bridge and the frame's lock service
 * are the chunk `connect-embed.js`, loaded here on demand (from beside this library) while the frame
 * loads; what the frame posts meanwhile is kept and handed over, so nothing is lost.
 */
import { ContactEvents, EventType } from '../../shared/enums';
import { ErrorType, TabRole, TransportKind, wireError } from '../../shared/protocol';
import { getContext } from '../tab/context';
import { claimInit, startLink } from '../tab/core';
import { loadEmbedding } from '../tab/on-demand';
import { AutoTransport } from '../tab/choose';
import type { IframeBridgeTransport } from './iframe-bridge';

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
let stopHolding: (() => void) | null = null;

/** Messages kept while `connect-embed.js` loads. Before its bridge listens, a CCP frame posts `ready` and a few lock
 * requests (its leader lock, the steal guard, its tabs' liveness locks, the epoch): a few dozen. A thousand, like
 * the lock service's own bound, leaves room and still bounds what a misbehaving frame can make this page keep. */
export const MAX_EARLY_FRAME_MESSAGES = 1000;

/** Keeps what the frame posts (its window and origin only) until `take()` hands it over and stops keeping. */
function holdFrameMessages(ccpFrame: HTMLIFrameElement, ccpOrigin: string): { take: () => MessageEvent[]; stop: () => void } {
  const kept: MessageEvent[] = [];
  let dropped = 0;
  const listener = (e: MessageEvent): void => {
    if (e.source !== ccpFrame.contentWindow || e.origin !== ccpOrigin) return;
    if (kept.length < MAX_EARLY_FRAME_MESSAGES) kept.push(e);
    else if (dropped++ === 0) getContext().log.warn('initCCP: the CCP frame posted over %s messages before the bridge loaded', MAX_EARLY_FRAME_MESSAGES);
  };
  addEventListener('message', listener);
  const stop = (): void => removeEventListener('message', listener);
  return { take: () => { stop(); return kept.splice(0); }, stop };
}

/** The bridge through `ccpFrame`, once `connect-embed.js` is loaded; rejects with a typed error when it cannot load
 * or the frame was removed meanwhile (terminate). */
function openBridge(ccpFrame: HTMLIFrameElement, ccpOrigin: string, onRefused: (reason: string) => void): Promise<IframeBridgeTransport> {
  const held = holdFrameMessages(ccpFrame, ccpOrigin);
  stopHolding = held.stop;
  return loadEmbedding().then((api) => {
    if (frame !== ccpFrame) throw wireError(ErrorType.NOT_CONNECTED, 'initCCP: the CCP frame was removed before the bridge loaded');
    const session = api.open({ frame: ccpFrame, ccpOrigin, early: held.take(), onRefused });
    stopLockService = session.stopLockService;
    return session.transport;
  }).finally(held.stop);
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
  const bridge = openBridge(frame, ccpUrl.origin, (reason) => {
    log.error('the CCP refused to be embedded here: %s', reason);
    bus.trigger(EventType.ACCESS_DENIED, { reason });
  }).then((t) => {
    t.configure({ softphone: params.softphone, chat: params.chat, pageOptions: params.pageOptions,
      loginPopup: params.loginPopup !== false, loginPopupAutoClose: !!(params.loginPopupAutoClose || params.loginOptions?.autoClose),
      loginUrl: params.loginUrl, loginOptions: params.loginOptions });
    return t;
  });
  container.appendChild(frame);

  if (params.onViewContact) bus.subscribe(ContactEvents.VIEW, params.onViewContact);
  // Connects once the bridge is loaded; a load failure rejects the connection with its typed error (logged below).
  const transport = new AutoTransport({ first: TransportKind.IFRAME, candidates: bridge.then((t) => [{ kind: TransportKind.IFRAME, create: () => t }]) });
  startLink(transport, {
    role: TabRole.CRM, readPersisted: false, holdLock: false,
    synIntervalMs: params.ccpSynTimeout, ackTimeoutMs: params.ccpAckTimeout,
    restart: () => location.reload(),
  }).catch((e: unknown) => {
    log.error('initCCP: could not connect through the CCP frame: %j', e);
    bus.trigger(EventType.ACK_TIMEOUT, null);
  });
}

/** The CCP iframe created by `initCCP`, if any. */
export function getCCPFrame(): HTMLIFrameElement | null {
  return frame;
}

/** Removes the CCP iframe (terminate). */
export function removeCCPFrame(): void {
  stopHolding?.();
  stopHolding = null;
  stopLockService?.();
  stopLockService = null;
  frame?.remove();
  frame = null;
}
