/**
 * The CCP and inspector pages use the library exactly as an integration does: through the `window.connect` global of
 * `/connect-streams.js`. Only types are imported from the library's source, so nothing of it is bundled twice.
 */
import type { connect as ConnectNamespace } from '../../client/index';

export type Connect = typeof ConnectNamespace;
export type AgentApi = InstanceType<Connect['Agent']>;
export type ContactApi = InstanceType<Connect['Contact']>;
export type ConnectionApi = InstanceType<Connect['BaseConnection']>;
export type EndpointApi = InstanceType<Connect['Endpoint']>;

/** The typed error every `failure` callback receives. */
export interface TypedError {
  type: string;
  message: string;
}

declare global {
  interface Window { connect: Connect }
}

/** The library global; throws a clear error when `/connect-streams.js` did not load. */
export function getConnect(): Connect {
  if (!window.connect) throw new Error('window.connect is missing: /connect-streams.js did not load');
  return window.connect;
}

/** The live agent, or null before the first agent data arrived (`new connect.Agent()` throws until then). */
export function currentAgent(connect: Connect): AgentApi | null {
  try {
    return new connect.Agent();
  } catch {
    return null;
  }
}
