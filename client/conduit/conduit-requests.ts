/**
 * Which `api_request` methods of a genuine Streams CRM the CCP frame serves, and the params it hands the engine.
 * Served methods are CTI operations the engine routes (same names, camelCase, as our own `connect` API sends):
 * they go through the engine's router with its deadlines, idempotency and role rules. Any other method is answered
 * at once with a typed `UnknownMethodError`.
 */
import { operationOf, type CtiOperation } from '../../shared/cti';
import type { WireError } from '../../shared/protocol';
import { unservedMethodError } from './streams-conduit';

/**
 * The operations served to a genuine CRM: what its API sends for the guide's calls (as our own `connect` API does).
 * Not the CTI reads (`getAgentConfiguration`, `getAgentStates`, …: the page receives them in `agent::update`), nor
 * `getNewAuthToken` (a CRM holds no session), nor the engine's own long poll.
 */
export const SERVED_CONDUIT_METHODS: ReadonlySet<CtiOperation> = new Set<CtiOperation>([
  'PutAgentState', 'UpdateAgentConfiguration', 'CreateOutboundContact', 'GetEndpoints', 'AcceptContact',
  'RejectContact', 'ClearContact', 'CompleteContact', 'NotifyContactIssue', 'CreateAdditionalConnection',
  'ToggleActiveConnections', 'ConferenceConnections', 'DestroyConnection', 'HoldConnection', 'ResumeConnection',
  'SendDigits', 'CreateTransport', 'SendSoftphoneCallMetrics', 'SendSoftphoneCallReport', 'CreateTaskContact',
  'MuteParticipant', 'UnmuteParticipant',
]);

/**
 * Methods the genuine 2.28.2 library can send that this CCP does not serve (no CTI operation behind them in our
 * backend), with the API calls that send them. Listed in the README.
 */
export const UNSERVED_CONDUIT_METHODS: Readonly<Record<string, string>> = {
  pauseContact: 'contact.pause()',
  resumeContact: 'contact.resume()',
  addNewConnection: 'contact.addParticipant()',
  transferContact: 'contact.transfer()',
  updateMonitorParticipantState: 'contact.silentMonitor() / bargeIn()',
  listTaskTemplates: 'agent.listTaskTemplates()',
  getTaskTemplate: 'agent.getTaskTemplate()',
  createTemplatedTask: 'agent.createTemplatedTask()',
  updateContact: 'contact.updateContact()',
  qrIntegrationExists: 'quick responses',
  qrSearchQuickResponses: 'quick responses',
  startScreenSharing: 'contact.startScreenSharing()',
  getAgentSnapshot: 'none (the engine polls; tabs receive its state)',
};

export type EngineRequest = { ok: true; method: string; params: Record<string, unknown> } | { ok: false; error: WireError };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function pick(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** `updateAgentConfiguration` carries the whole configuration the CRM holds (with our additions: states, queue
 * lists, aliases): the engine takes only what GetAgentConfiguration returns, as the genuine worker trims it. */
function trimConfiguration(params: Obj): Obj {
  const c = params.configuration;
  if (!isObj(c)) return params;
  const out = pick(c, ['name', 'username', 'softphoneEnabled', 'softphoneAutoAccept', 'extension', 'agentPreferences']);
  if (isObj(c.routingProfile)) {
    const rp = pick(c.routingProfile, ['name', 'routingProfileARN', 'channelConcurrencyMap']);
    const q = c.routingProfile.defaultOutboundQueue;
    if (isObj(q)) rp.defaultOutboundQueue = pick(q, ['queueARN', 'name']);
    out.routingProfile = rp;
  }
  return { configuration: out };
}

/** Endpoints travel back with their `address`-era fields; the CTI contract knows these. */
function trimEndpoint(e: unknown): unknown {
  return isObj(e) ? pick(e, ['endpointARN', 'type', 'name', 'phoneNumber', 'agentLogin', 'queue']) : e;
}

/**
 * The engine request for a CRM's `api_request`, or the typed error to answer at once.
 *
 * @example
 * toEngineRequest('acceptContact', { contactId }); // { ok: true, method: 'acceptContact', params: { contactId } }
 * toEngineRequest('pauseContact', { contactId });  // { ok: false, error: { type: 'UnknownMethodError', … } }
 */
export function toEngineRequest(method: string, params: Obj): EngineRequest {
  const op = operationOf(method);
  if (!op || !SERVED_CONDUIT_METHODS.has(op) || method !== op.charAt(0).toLowerCase() + op.slice(1)) {
    return { ok: false, error: unservedMethodError(method) };
  }
  switch (op) {
    case 'UpdateAgentConfiguration':
      return { ok: true, method, params: trimConfiguration(params) };
    case 'CreateOutboundContact':
      return { ok: true, method, params: { ...pick(params, ['queueARN']), endpoint: trimEndpoint(params.endpoint) } };
    case 'CreateAdditionalConnection':
      return { ok: true, method, params: { ...pick(params, ['contactId']), endpoint: trimEndpoint(params.endpoint) } };
    default:
      return { ok: true, method, params };
  }
}
