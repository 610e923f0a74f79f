/**
 * The `connect` namespace: the UMD global of `connect-streams.js` and the ESM entry for npm consumers.
 *
 * @example
 * import { connect } from 'connect-sync';
 * connect.core.initSharedWorker();
 * connect.agent((agent) => console.log(agent.getState().name));
 */
import { connectApi, coreApi } from './api/api';
import {
  getNumberOfConnectedCCPs, getPageOptions, getState, getTabId, getTransportInfo, getTransportKind, initSharedWorker as initSharedWorkerCore,
  inspect, isInitialized, logout, supplySession, terminate as terminateCore, type InitSharedWorkerOptions,
} from './tab/core';
import { getCCPFrame, initCCP, removeCCPFrame } from './embed/embed';
import { openLoginPopup, startTabFeatures, stopTabFeatures, type TabFeatureOptions } from './tab/features';

/** Library version (the package version). */
export const version = '0.1.0';

/**
 * Tears everything down: the engine link, subscriptions, state, and the CCP iframe of `initCCP`.
 *
 * @example
 * connect.core.terminate();
 */
function terminate(): void {
  stopTabFeatures();
  terminateCore();
  removeCCPFrame();
}

/**
 * Connects this page (on the CCP origin) to the engine: the SharedWorker shared by every tab of the origin. A CCP
 * page (`role: 'ccp'`, the default) also takes part in the ringtone and the login popup; any other page of the
 * origin (`role: 'page'`) in the login popup only. A second call is refused with a warning.
 *
 * @example
 * connect.core.initSharedWorker({ role: 'ccp', loginPopupAutoClose: true, softphone: { ringtoneUrl: '/ring.mp3' } });
 * connect.agent((agent) => console.log(agent.getState().name));
 */
function initSharedWorker(options: InitSharedWorkerOptions & TabFeatureOptions = {}): void {
  if (isInitialized()) {
    initSharedWorkerCore(options); // refused with the usual warning
    return;
  }
  initSharedWorkerCore(options);
  if (isInitialized()) startTabFeatures(options.role ?? 'ccp', options);
}

export const core = {
  ...coreApi,
  initCCP,
  initSharedWorker,
  terminate,
  isInitialized,
  getState,
  getTransportKind,
  getTransportInfo,
  getTabId,
  getNumberOfConnectedCCPs,
  getPageOptions,
  getCCPFrame,
  inspect,
  supplySession,
  logout,
  openLoginPopup,
};

export const connect = {
  ...connectApi,
  version,
  core,
};

export default connect;
export * from '../shared/enums';
export type { AgentData, AgentSnapshot as AgentSnapshotData, Contact as ContactData } from '../shared/cti';
export type { EngineInfo, StateFull, WireError } from '../shared/protocol';
