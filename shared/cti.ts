/**
 * The CTI contract (AWS JSON 1.0, `X-Amz-Target: AmazonConnectCTIService.<Operation>`), as the backend serves it
 * and the engine consumes it. Timestamps on the wire are **epoch seconds** (fractions allowed, so milliseconds
 * survive); the engine keeps them as they came and the `connect` API turns them into `Date`s.
 *
 * The state a tab sees (`AgentData`) is the snapshot plus the assembled configuration: exactly these shapes, so a
 * recorded engine state is a valid test fixture for the API objects.
 */

/** Epoch seconds, possibly fractional. */
export type EpochSeconds = number;

export const CTI_TARGET_PREFIX = 'AmazonConnectCTIService';

export interface Authentication {
  agentARN?: string;
  authToken?: string;
}

export interface Queue {
  queueARN?: string;
  name?: string;
  /** Added by the engine: alias of `queueARN`, as the original worker did. */
  queueId?: string;
}

export interface Endpoint {
  endpointARN?: string;
  type: string;
  name?: string;
  phoneNumber?: string;
  agentLogin?: string;
  queue?: Queue;
}

export interface AgentState {
  agentStateARN?: string;
  type: string;
  name: string;
  startTimestamp?: EpochSeconds;
}

export interface StateWithTimestamp {
  type: string;
  timestamp: EpochSeconds;
}

export interface SoftphoneMediaInfo {
  callType?: string;
  autoAccept?: boolean;
  mediaLegContextToken?: string;
  callContextToken?: string;
  callConfigJson?: string;
}

export interface ChatMediaInfo {
  chatAutoAccept?: boolean;
  /** JSON string carrying `ConnectionAuthenticationToken`. */
  connectionData?: string;
  customerName?: string;
}

export interface MonitoringInfo {
  agent?: { agentName?: string };
  joinTimeStamp?: EpochSeconds;
}

export interface Connection {
  connectionId: string;
  endpoint?: Endpoint;
  state: StateWithTimestamp;
  type: string;
  initial: boolean;
  softphoneMediaInfo?: SoftphoneMediaInfo;
  chatMediaInfo?: ChatMediaInfo;
  monitoringInfo?: MonitoringInfo;
  /** Whether the party is muted (MuteParticipant/UnmuteParticipant); Streams' `VoiceConnection.isMute()` reads it. */
  mute?: boolean;
}

export interface Contact {
  contactId: string;
  initialContactId?: string;
  contactFeatures?: { attachmentsEnabled?: boolean };
  type: string;
  state: StateWithTimestamp;
  queue?: Queue;
  queueTimestamp?: EpochSeconds;
  connections: Connection[];
  attributes: Record<string, { name: string; value?: string }>;
  contactDuration?: string;
  name?: string;
  description?: string;
  references?: Record<string, { value: string; type: string }>;
  initiationMethod?: string;
}

export interface AgentSnapshot {
  state: AgentState;
  nextState?: AgentState;
  agentAvailabilityState?: { state: string; timeStamp?: EpochSeconds };
  contacts: Contact[];
  /** The server's clock when the snapshot was taken. */
  snapshotTimestamp: EpochSeconds;
}

export interface RoutingProfile {
  name?: string;
  routingProfileARN?: string;
  defaultOutboundQueue?: Queue;
  channelConcurrencyMap?: Record<string, number>;
  /** Assembled by the engine from GetRoutingProfileQueues (every page). */
  queues?: Queue[];
  /** Added by the engine: alias of `routingProfileARN`. */
  routingProfileId?: string;
}

/** S1h as GetAgentConfiguration returns it. */
export interface AgentConfigurationCore {
  name: string;
  username?: string;
  softphoneEnabled: boolean;
  softphoneAutoAccept: boolean;
  extension: string;
  routingProfile: RoutingProfile;
  agentPreferences?: Record<string, string>;
}

/** The configuration as tabs see it: S1h plus the four paginated lists. */
export interface AgentConfiguration extends AgentConfigurationCore {
  permissions: string[];
  agentStates: AgentState[];
  dialableCountries: string[];
}

/** What every tab holds and renders: the engine's state. */
export interface AgentData {
  snapshot: AgentSnapshot;
  configuration: AgentConfiguration;
}

// ---------------------------------------------------------------------------------------------------------------
// Operations: name → input and output. The input shapes exclude `authentication`, which the CTI client adds.
// ---------------------------------------------------------------------------------------------------------------

export interface Paged {
  nextToken?: string | null;
  maxResults?: number;
}

export interface CtiOperations {
  AcceptContact: { in: { contactId: string }; out: Record<string, never> };
  ClearContact: { in: { contactId: string }; out: Record<string, never> };
  CompleteContact: { in: { contactId: string }; out: Record<string, never> };
  ConferenceConnections: { in: { contactId: string }; out: Record<string, never> };
  CreateAdditionalConnection: { in: { contactId: string; endpoint: Endpoint }; out: Record<string, never> };
  CreateOutboundContact: { in: { endpoint: Endpoint; queueARN?: string }; out: Record<string, never> };
  CreateTaskContact: {
    in: {
      endpoint: Endpoint;
      name: string;
      previousContactId?: string;
      description?: string;
      references?: Record<string, { value: string; type: string }>;
      idempotencyToken?: string;
    };
    out: { contactId: string };
  };
  CreateTransport: {
    in: { transportType: string; participantId?: string; contactId?: string; softphoneClientId?: string };
    out: {
      webSocketTransport?: { url: string; transportLifeTimeInSeconds: number; expiry?: string };
      chatTokenTransport?: { participantToken: string; expiry: string };
      softphoneTransport?: { softphoneMediaConnections: { username: string; credential: string; urls: string[] }[] };
    };
  };
  DestroyConnection: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  GetAgentConfiguration: { in: Record<string, never>; out: { configuration: AgentConfigurationCore } };
  GetAgentPermissions: { in: Paged; out: { permissions: string[]; nextToken?: string } };
  GetAgentSnapshot: {
    in: { nextToken?: string | null; timeout?: number };
    out: { snapshot: AgentSnapshot; nextToken: string };
  };
  GetAgentStates: { in: Paged; out: { states: AgentState[]; nextToken?: string } };
  GetDialableCountryCodes: { in: Paged; out: { countryCodes: string[]; nextToken?: string } };
  GetEndpoints: { in: Paged & { queueARNs: string[] }; out: { endpoints?: Endpoint[]; nextToken?: string } };
  GetNewAuthToken: {
    in: { refreshToken: string };
    /** `refreshToken` (ours, additive): a refresh token is spent on use, so the next one comes with the answer. */
    out: { newAuthToken?: string; expirationDateTime?: EpochSeconds; refreshToken?: string };
  };
  GetRoutingProfileQueues: { in: Paged & { routingProfileARN: string }; out: { queues: Queue[]; nextToken?: string } };
  HoldConnection: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  MuteParticipant: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  NotifyContactIssue: {
    in: { contactId: string; issueCode?: string; description?: string; clientLogs?: string };
    out: Record<string, never>;
  };
  PutAgentState: { in: { state: AgentState; enqueueNextState?: boolean }; out: Record<string, never> };
  RejectContact: { in: { contactId: string }; out: Record<string, never> };
  ResumeConnection: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  SendClientLogs: {
    in: { logEvents: { timestamp: EpochSeconds; component: string; message: string }[] };
    out: Record<string, never>;
  };
  SendDigits: { in: { contactId: string; connectionId: string; digits: string }; out: Record<string, never> };
  SendSoftphoneCallMetrics: {
    in: { contactId: string; softphoneStreamStatistics: unknown[]; ccpVersion?: string };
    out: Record<string, never>;
  };
  SendSoftphoneCallReport: {
    in: { contactId: string; report: Record<string, unknown>; ccpVersion?: string };
    out: Record<string, never>;
  };
  ToggleActiveConnections: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  UnmuteParticipant: { in: { contactId: string; connectionId: string }; out: Record<string, never> };
  UpdateAgentConfiguration: { in: { configuration: AgentConfigurationCore }; out: Record<string, never> };
}

export type CtiOperation = keyof CtiOperations;
export type CtiInput<Op extends CtiOperation> = CtiOperations[Op]['in'];
export type CtiOutput<Op extends CtiOperation> = CtiOperations[Op]['out'];

/** All 30 operations of the contract, in the model's order. */
export const CTI_OPERATIONS: readonly CtiOperation[] = [
  'AcceptContact', 'ClearContact', 'CompleteContact', 'ConferenceConnections', 'CreateAdditionalConnection',
  'CreateOutboundContact', 'CreateTaskContact', 'CreateTransport', 'DestroyConnection', 'GetAgentConfiguration',
  'GetAgentPermissions', 'GetAgentSnapshot', 'GetAgentStates', 'GetDialableCountryCodes', 'GetEndpoints',
  'GetNewAuthToken', 'GetRoutingProfileQueues', 'HoldConnection', 'MuteParticipant', 'NotifyContactIssue',
  'PutAgentState', 'RejectContact', 'ResumeConnection', 'SendClientLogs', 'SendDigits', 'SendSoftphoneCallMetrics',
  'SendSoftphoneCallReport', 'ToggleActiveConnections', 'UnmuteParticipant', 'UpdateAgentConfiguration',
];

/** Operations that change state: they accept `X-Idempotency-Token` and a repeat returns the first outcome. */
export const MUTATING_OPERATIONS: ReadonlySet<CtiOperation> = new Set<CtiOperation>([
  'AcceptContact', 'ClearContact', 'CompleteContact', 'ConferenceConnections', 'CreateAdditionalConnection',
  'CreateOutboundContact', 'CreateTaskContact', 'DestroyConnection', 'HoldConnection', 'MuteParticipant',
  'NotifyContactIssue', 'PutAgentState', 'RejectContact', 'ResumeConnection', 'SendDigits', 'ToggleActiveConnections',
  'UnmuteParticipant', 'UpdateAgentConfiguration',
]);

/** The Streams client method name (camelCase) of each operation, as `connect` API actions name them. */
export function methodOf(op: CtiOperation): string {
  return op.charAt(0).toLowerCase() + op.slice(1);
}

/** The operation a Streams client method name refers to, or undefined. */
export function operationOf(method: string): CtiOperation | undefined {
  const op = (method.charAt(0).toUpperCase() + method.slice(1)) as CtiOperation;
  return (CTI_OPERATIONS as readonly string[]).includes(op) ? op : undefined;
}

/**
 * The service's own exception names, beside the Streams `CTIExceptions` (shared/enums.ts) every operation may raise:
 * these come from the AWS service layer (bad input, unknown resource, throttling, outage, a bug).
 */
export enum ServiceException {
  VALIDATION = 'ValidationException',
  RESOURCE_NOT_FOUND = 'ResourceNotFoundException',
  THROTTLING = 'ThrottlingException',
  SERVICE_UNAVAILABLE = 'ServiceUnavailableException',
  INTERNAL_SERVICE = 'InternalServiceException',
}

/** The error body of the contract: `{"__type": "<Name>Exception", "message": …}`. */
export interface CtiErrorBody {
  __type: string;
  message: string;
}

/** Header that makes a mutating call idempotent. */
export const IDEMPOTENCY_HEADER = 'X-Idempotency-Token';
export const BEARER_HEADER = 'X-Amz-Bearer';
export const TARGET_HEADER = 'X-Amz-Target';
/** Names the engine that sent a call (diagnostics: the backend's stats record which engines polled, and when). */
export const ENGINE_ID_HEADER = 'X-Engine-Id';
export const CTI_CONTENT_TYPE = 'application/x-amz-json-1.0';
