/**
 * Minimal shape rules of each operation's params, checked before a tab's request reaches the backend: the required
 * fields and their JSON types (the backend does the full validation; this catches broken callers with a clear
 * `ValidationError` naming the field, without a round trip).
 */
import type { CtiOperation } from '../shared/cti';
import { ErrorType, wireError, type WireError } from '../shared/protocol';

type Kind = 'string' | 'object' | 'array' | 'boolean' | 'number';
type Rules = Record<string, Kind>;

const contact: Rules = { contactId: 'string' };
const connection: Rules = { contactId: 'string', connectionId: 'string' };

const REQUIRED: Partial<Record<CtiOperation, Rules>> = {
  AcceptContact: contact,
  ClearContact: contact,
  CompleteContact: contact,
  ConferenceConnections: contact,
  RejectContact: contact,
  NotifyContactIssue: contact,
  CreateAdditionalConnection: { contactId: 'string', endpoint: 'object' },
  CreateOutboundContact: { endpoint: 'object' },
  CreateTaskContact: { endpoint: 'object', name: 'string' },
  CreateTransport: { transportType: 'string' },
  DestroyConnection: connection,
  HoldConnection: connection,
  MuteParticipant: connection,
  UnmuteParticipant: connection,
  ResumeConnection: connection,
  ToggleActiveConnections: connection,
  SendDigits: { ...connection, digits: 'string' },
  GetEndpoints: { queueARNs: 'array' },
  GetNewAuthToken: { refreshToken: 'string' },
  GetRoutingProfileQueues: { routingProfileARN: 'string' },
  PutAgentState: { state: 'object' },
  SendClientLogs: { logEvents: 'array' },
  SendSoftphoneCallMetrics: { contactId: 'string', softphoneStreamStatistics: 'array' },
  SendSoftphoneCallReport: { contactId: 'string', report: 'object' },
  UpdateAgentConfiguration: { configuration: 'object' },
};

/** Nested members whose absence would make the backend's answer meaningless. */
const NESTED: Partial<Record<CtiOperation, [string, string, Kind][]>> = {
  PutAgentState: [['state', 'type', 'string'], ['state', 'name', 'string']],
  CreateOutboundContact: [['endpoint', 'type', 'string']],
  CreateAdditionalConnection: [['endpoint', 'type', 'string']],
  CreateTaskContact: [['endpoint', 'type', 'string']],
  UpdateAgentConfiguration: [['configuration', 'routingProfile', 'object']],
};

function kindOf(v: unknown): Kind | 'null' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'object' || t === 'boolean' || t === 'number' ? t : 'other';
}

/**
 * Null when the params fit the operation, else a `ValidationError` naming the first bad field.
 *
 * @example
 * checkParams('AcceptContact', {}); // { type: 'ValidationError', message: 'AcceptContact: params.contactId must be a string' }
 */
export function checkParams(op: CtiOperation, params: Record<string, unknown>): WireError | null {
  for (const [field, kind] of Object.entries(REQUIRED[op] ?? {})) {
    const v = params[field];
    if (kindOf(v) !== kind || (kind === 'string' && v === '')) {
      return wireError(ErrorType.VALIDATION, `${op}: params.${field} must be ${kind === 'array' ? 'an' : 'a'} ${kind}${kind === 'string' ? ' (not empty)' : ''}`);
    }
  }
  for (const [outer, inner, kind] of NESTED[op] ?? []) {
    const v = (params[outer] as Record<string, unknown>)[inner];
    if (kindOf(v) !== kind) return wireError(ErrorType.VALIDATION, `${op}: params.${outer}.${inner} must be a ${kind}`);
  }
  return null;
}
