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
  inspect, isInitialized, logout, supplySession, terminate, type InitSharedWorkerOptions,
} from './tab/core';
import { getCCPFrame, initCCP } from './embed/embed';
import { openLoginPopup, startTabFeatures, type TabFeatureOptions } from './tab/features';

/** Library version (the package version). */
export const version = '0.1.0';

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
  const session = initSharedWorkerCore(options); // null: refused with the usual warning
  if (session) startTabFeatures(session, options.role ?? 'ccp', options);
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
