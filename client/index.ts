/**
 * The `connect` namespace: the UMD global of `connect-streams.js` and the ESM entry for npm consumers.
 *
 * @example
 * import { connect } from 'connect-sync';
 * connect.core.initSharedWorker();
 * connect.agent((agent) => console.log(agent.getState().name));
 */
import { connectApi, coreApi } from './api';
import {
  getNumberOfConnectedCCPs, getPageOptions, getState, getTabId, getTransportKind, initSharedWorker, inspect,
  isInitialized, logout, supplySession, terminate as terminateCore,
} from './core';
import { getCCPFrame, initCCP, removeCCPFrame } from './embed';

/** Library version (the package version). */
export const version = '0.1.0';

/**
 * Tears everything down: the engine link, subscriptions, state, and the CCP iframe of `initCCP`.
 *
 * @example
 * connect.core.terminate();
 */
function terminate(): void {
  terminateCore();
  removeCCPFrame();
}

export const core = {
  ...coreApi,
  initCCP,
  initSharedWorker,
  terminate,
  isInitialized,
  getState,
  getTransportKind,
  getTabId,
  getNumberOfConnectedCCPs,
  getPageOptions,
  getCCPFrame,
  inspect,
  supplySession,
  logout,
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
