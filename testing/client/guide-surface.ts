/**
 * Every member the Streams API guide documents, as data: the runtime test checks each exists with the right
 * `typeof` on the built `connect` object, and the type test checks the public types (source and emitted `.d.ts`)
 * declare each as a function of the same name. One table for both, so types and runtime cannot drift apart.
 */

/** `connect.*` functions of the guide (plus the helpers the issue names). */
export const CONNECT_FUNCTIONS = ['agent', 'contact', 'hitch', 'getLog', 'ifMaster', 'becomeMaster'] as const;

/** `connect.*` classes (constructors). */
export const CONNECT_CLASSES = [
  'Agent', 'AgentSnapshot', 'Contact', 'ContactSnapshot', 'BaseConnection', 'Connection', 'VoiceConnection',
  'ChatConnection', 'Endpoint', 'EventBus', 'Subscription', 'Logger', 'LogEntry', 'SoftphoneError',
] as const;

/** `connect.*` enumerations with the exact values of the guide (a subset of each: the guide's own lines). */
export const GUIDE_ENUM_VALUES = {
  AgentStateType: { INIT: 'init', ROUTABLE: 'routable', NOT_ROUTABLE: 'not_routable', OFFLINE: 'offline' },
  EndpointType: { PHONE_NUMBER: 'phone_number', AGENT: 'agent', QUEUE: 'queue' },
  ConnectionType: { AGENT: 'agent', INBOUND: 'inbound', OUTBOUND: 'outbound', MONITORING: 'monitoring' },
  ContactStateType: { INCOMING: 'incoming', CONNECTING: 'connecting' },
  ConnectionStateType: { CONNECTING: 'connecting', CONNECTED: 'connected', HOLD: 'hold', DISCONNECTED: 'disconnected' },
  ContactType: { VOICE: 'voice', QUEUE_CALLBACK: 'queue_callback' },
  EventType: { ACKNOWLEDGE: 'acknowledge', ACK_TIMEOUT: 'ack_timeout', AUTH_FAIL: 'auth_fail', LOG: 'log', TERMINATED: 'terminated' },
  MasterTopics: { LOGIN_POPUP: 'connect::loginPopup', RINGTONE: 'connect::ringtone' },
  AgentEvents: { INIT: 'agent::init', REFRESH: 'agent::refresh', STATE_CHANGE: 'agent::state_change', MUTE_TOGGLE: 'agent::mute_toggle' },
  ContactEvents: { INIT: 'contact::init', CONNECTED: 'contact::connected', ENDED: 'contact::ended', ACCEPTED: 'contact::accepted' },
} as const;

/** `connect.core.*` functions the guide and the issue name. */
export const CORE_FUNCTIONS = [
  'initCCP', 'initSharedWorker', 'terminate', 'getEventBus', 'onViewContact', 'viewContact', 'onAuthFail',
  'onAccessDenied', 'onInitialized', 'getSkew', 'getContactEventName', 'getAgentDataProvider', 'supplySession', 'logout',
  'openLoginPopup', 'getPageOptions',
] as const;

export const AGENT_METHODS = [
  'onContactPending', 'onRefresh', 'onStateChange', 'onRoutable', 'onNotRoutable', 'onOffline', 'onError',
  'onSoftphoneError', 'onAfterCallWork', 'onMuteToggle', 'getState', 'getStateDuration', 'getPermissions',
  'getContacts', 'getConfiguration', 'getAgentStates', 'getRoutingProfile', 'getChannelConcurrency', 'getName',
  'getExtension', 'getDialableCountries', 'isSoftphoneEnabled', 'setConfiguration', 'setState', 'connect',
  'getAllQueueARNs', 'getEndpoints', 'toSnapshot', 'mute', 'unmute',
] as const;

export const CONTACT_METHODS = [
  'onRefresh', 'onIncoming', 'onPending', 'onConnecting', 'onAccepted', 'onMissed', 'onEnded', 'onDestroy', 'onACW',
  'onConnected', 'getEventName', 'getContactId', 'getOriginalContactId', 'getType', 'getStatus', 'getState',
  'getStatusDuration', 'getQueue', 'getQueueTimestamp', 'getConnections', 'getInitialConnection',
  'getActiveInitialConnection', 'getThirdPartyConnections', 'getSingleActiveThirdPartyConnection',
  'getAgentConnection', 'getAttributes', 'isSoftphoneCall', 'isInbound', 'isConnected', 'accept', 'reject', 'destroy',
  'clear', 'notifyIssue', 'addConnection', 'toggleActiveConnections', 'conferenceConnections', 'toSnapshot',
] as const;

export const CONNECTION_METHODS = [
  'getContactId', 'getConnectionId', 'getEndpoint', 'getStatus', 'getStatusDuration', 'getType', 'getMonitorInfo',
  'isInitialConnection', 'isActive', 'isConnected', 'isConnecting', 'isOnHold', 'destroy', 'sendDigits', 'hold',
  'resume',
] as const;

/** `muteParticipant`, `unmuteParticipant`, `isMute`: ➕ ours (issue #14), checked here so runtime and `.d.ts` keep them. */
export const VOICE_CONNECTION_METHODS = [
  ...CONNECTION_METHODS, 'getMediaInfo', 'getMediaType', 'getMediaController', 'muteParticipant', 'unmuteParticipant',
  'isMute',
] as const;

export const CHAT_CONNECTION_METHODS = [
  ...CONNECTION_METHODS, 'getMediaInfo', 'getConnectionToken', 'getMediaType', 'getMediaController',
] as const;

export const EVENT_BUS_METHODS = ['subscribe', 'subscribeAll', 'trigger'] as const;
export const SUBSCRIPTION_METHODS = ['unsubscribe'] as const;
export const LOGGER_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'critical', 'download'] as const;
export const LOG_ENTRY_METHODS = ['withException', 'withObject'] as const;
export const ENDPOINT_STATICS = ['byPhoneNumber'] as const;

// ---- type-level checks over the same table ------------------------------------------------------------------------

type AnyFunction = (...args: never[]) => unknown;

/** `T` has every name of `K` as a function; else the type names what is missing. */
export type HasFunctions<T, K extends readonly string[]> =
  [Exclude<K[number], { [P in keyof T]: T[P] extends AnyFunction ? P : never }[keyof T]>] extends [never]
    ? true
    : { missingOrNotAFunction: Exclude<K[number], { [P in keyof T]: T[P] extends AnyFunction ? P : never }[keyof T]> };

/** `T` has every name of `K` as a constructor. */
export type HasClasses<T, K extends readonly string[]> =
  [Exclude<K[number], { [P in keyof T]: T[P] extends abstract new (...args: never[]) => unknown ? P : never }[keyof T]>] extends [never]
    ? true
    : { missingOrNotAClass: Exclude<K[number], { [P in keyof T]: T[P] extends abstract new (...args: never[]) => unknown ? P : never }[keyof T]> };

type Instance<C> = C extends abstract new (...args: never[]) => infer I ? I : never;

/** Every guide member on a `connect` namespace type: `true` when all are there. */
export type GuideSurface<C extends { core: unknown }> = [
  HasFunctions<C, typeof CONNECT_FUNCTIONS>,
  HasClasses<C, typeof CONNECT_CLASSES>,
  HasFunctions<C['core'], typeof CORE_FUNCTIONS>,
  HasFunctions<Instance<C[Extract<'Agent', keyof C>]>, typeof AGENT_METHODS>,
  HasFunctions<Instance<C[Extract<'Contact', keyof C>]>, typeof CONTACT_METHODS>,
  HasFunctions<Instance<C[Extract<'BaseConnection', keyof C>]>, typeof CONNECTION_METHODS>,
  HasFunctions<Instance<C[Extract<'VoiceConnection', keyof C>]>, typeof VOICE_CONNECTION_METHODS>,
  HasFunctions<Instance<C[Extract<'ChatConnection', keyof C>]>, typeof CHAT_CONNECTION_METHODS>,
  HasFunctions<Instance<C[Extract<'EventBus', keyof C>]>, typeof EVENT_BUS_METHODS>,
  HasFunctions<Instance<C[Extract<'Subscription', keyof C>]>, typeof SUBSCRIPTION_METHODS>,
  HasFunctions<Instance<C[Extract<'Logger', keyof C>]>, typeof LOGGER_METHODS>,
  HasFunctions<Instance<C[Extract<'LogEntry', keyof C>]>, typeof LOG_ENTRY_METHODS>,
  HasFunctions<C[Extract<'Endpoint', keyof C>], typeof ENDPOINT_STATICS>,
];

/** What `GuideSurface` is when everything is there. */
export type AllTrue = [true, true, true, true, true, true, true, true, true, true, true, true, true];
