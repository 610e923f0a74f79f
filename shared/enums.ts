/**
 * The Streams enumerations, with the exact string values of the API guide. Keys are the UPPER_SNAKE form of
 * the value, as the original library derives them, so `connect.AgentStateType.NOT_ROUTABLE === 'not_routable'`.
 *
 * Where the original's `index.d.ts` disagreed with its runtime (e.g. `ContactEvents` values without the
 * `contact::` prefix), the runtime values win: they are what events are actually named on the bus.
 */

export enum AgentStateType {
  INIT = 'init',
  ROUTABLE = 'routable',
  NOT_ROUTABLE = 'not_routable',
  OFFLINE = 'offline',
}

export enum AgentAvailStates {
  INIT = 'Init',
  BUSY = 'Busy',
  AFTER_CALL_WORK = 'AfterCallWork',
  CALLING_CUSTOMER = 'CallingCustomer',
  DIALING = 'Dialing',
  JOINING = 'Joining',
  PENDING_AVAILABLE = 'PendingAvailable',
  PENDING_BUSY = 'PendingBusy',
}

export enum AgentErrorStates {
  ERROR = 'Error',
  AGENT_HUNG_UP = 'AgentHungUp',
  BAD_ADDRESS_AGENT = 'BadAddressAgent',
  BAD_ADDRESS_CUSTOMER = 'BadAddressCustomer',
  DEFAULT = 'Default',
  FAILED_CONNECT_AGENT = 'FailedConnectAgent',
  FAILED_CONNECT_CUSTOMER = 'FailedConnectCustomer',
  INVALID_LOCALE = 'InvalidLocale',
  LINE_ENGAGED_AGENT = 'LineEngagedAgent',
  LINE_ENGAGED_CUSTOMER = 'LineEngagedCustomer',
  MISSED_CALL_AGENT = 'MissedCallAgent',
  MISSED_CALL_CUSTOMER = 'MissedCallCustomer',
  MULTIPLE_CCP_WINDOWS = 'MultipleCcpWindows',
  REALTIME_COMMUNICATION_ERROR = 'RealtimeCommunicationError',
}

export enum EndpointType {
  PHONE_NUMBER = 'phone_number',
  AGENT = 'agent',
  QUEUE = 'queue',
}

export enum ConnectionType {
  AGENT = 'agent',
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
  MONITORING = 'monitoring',
}

export enum ConnectionStateType {
  INIT = 'init',
  CONNECTING = 'connecting',
  CONNECTED = 'connected',
  HOLD = 'hold',
  DISCONNECTED = 'disconnected',
}

export const CONNECTION_ACTIVE_STATES: ReadonlySet<string> = new Set([
  ConnectionStateType.CONNECTING,
  ConnectionStateType.CONNECTED,
  ConnectionStateType.HOLD,
]);

export enum ContactStateType {
  INIT = 'init',
  INCOMING = 'incoming',
  PENDING = 'pending',
  CONNECTING = 'connecting',
  CONNECTED = 'connected',
  MISSED = 'missed',
  ERROR = 'error',
  ENDED = 'ended',
}

export const CONTACT_ACTIVE_STATES: ReadonlySet<string> = new Set([
  ContactStateType.INCOMING,
  ContactStateType.PENDING,
  ContactStateType.CONNECTING,
  ContactStateType.CONNECTED,
]);

export enum ContactType {
  VOICE = 'voice',
  QUEUE_CALLBACK = 'queue_callback',
  CHAT = 'chat',
  TASK = 'task',
}

export enum ContactInitiationMethod {
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
  TRANSFER = 'transfer',
  QUEUE_TRANSFER = 'queue_transfer',
  CALLBACK = 'callback',
  API = 'api',
  DISCONNECT = 'disconnect',
}

export enum ChannelType {
  VOICE = 'VOICE',
  CHAT = 'CHAT',
  TASK = 'TASK',
}

export enum MediaType {
  SOFTPHONE = 'softphone',
  CHAT = 'chat',
  TASK = 'task',
}

export enum SoftphoneCallType {
  AUDIO_VIDEO = 'audio_video',
  VIDEO_ONLY = 'video_only',
  AUDIO_ONLY = 'audio_only',
  NONE = 'none',
}

export enum SoftphoneErrorTypes {
  UNSUPPORTED_BROWSER = 'unsupported_browser',
  MICROPHONE_NOT_SHARED = 'microphone_not_shared',
  SIGNALLING_HANDSHAKE_FAILURE = 'signalling_handshake_failure',
  SIGNALLING_CONNECTION_FAILURE = 'signalling_connection_failure',
  ICE_COLLECTION_TIMEOUT = 'ice_collection_timeout',
  USER_BUSY_ERROR = 'user_busy_error',
  WEBRTC_ERROR = 'webrtc_error',
  REALTIME_COMMUNICATION_ERROR = 'realtime_communication_error',
  OTHER = 'other',
}

export enum CTIExceptions {
  ACCESS_DENIED_EXCEPTION = 'AccessDeniedException',
  INVALID_STATE_EXCEPTION = 'InvalidStateException',
  BAD_ENDPOINT_EXCEPTION = 'BadEndpointException',
  INVALID_AGENT_ARNEXCEPTION = 'InvalidAgentARNException',
  INVALID_CONFIGURATION_EXCEPTION = 'InvalidConfigurationException',
  INVALID_CONTACT_TYPE_EXCEPTION = 'InvalidContactTypeException',
  PAGINATION_EXCEPTION = 'PaginationException',
  REFRESH_TOKEN_EXPIRED_EXCEPTION = 'RefreshTokenExpiredException',
  SEND_DATA_FAILED_EXCEPTION = 'SendDataFailedException',
  UNAUTHORIZED_EXCEPTION = 'UnauthorizedException',
  QUOTA_EXCEEDED_EXCEPTION = 'QuotaExceededException',
}

/** Internal and public event names (plain strings), as on the original's event bus. */
export enum EventType {
  ACKNOWLEDGE = 'acknowledge',
  ACK_TIMEOUT = 'ack_timeout',
  INIT = 'init',
  API_REQUEST = 'api_request',
  API_RESPONSE = 'api_response',
  AUTH_FAIL = 'auth_fail',
  ACCESS_DENIED = 'access_denied',
  CLOSE = 'close',
  CONFIGURE = 'configure',
  LOG = 'log',
  MASTER_REQUEST = 'master_request',
  MASTER_RESPONSE = 'master_response',
  SYNCHRONIZE = 'synchronize',
  TERMINATE = 'terminate',
  TERMINATED = 'terminated',
  SEND_LOGS = 'send_logs',
  RELOAD_AGENT_CONFIGURATION = 'reload_agent_configuration',
  BROADCAST = 'broadcast',
  API_METRIC = 'api_metric',
  CLIENT_METRIC = 'client_metric',
  SOFTPHONE_STATS = 'softphone_stats',
  SOFTPHONE_REPORT = 'softphone_report',
  CLIENT_SIDE_LOGS = 'client_side_logs',
  SERVER_BOUND_INTERNAL_LOG = 'server_bound_internal_log',
  MUTE = 'mute',
  IFRAME_STYLE = 'iframe_style',
  UPDATE_CONNECTED_CCPS = 'update_connected_ccps',
  /** Ours: which transport a tab is on (`{transport, epoch?}`), raised once per (re)connection. */
  TRANSPORT = 'transport',
}

export enum MasterTopics {
  LOGIN_POPUP = 'connect::loginPopup',
  SEND_LOGS = 'connect::sendLogs',
  SOFTPHONE = 'connect::softphone',
  RINGTONE = 'connect::ringtone',
  METRICS = 'connect::metrics',
}

export enum AgentEvents {
  INIT = 'agent::init',
  UPDATE = 'agent::update',
  REFRESH = 'agent::refresh',
  ROUTABLE = 'agent::routable',
  NOT_ROUTABLE = 'agent::not_routable',
  PENDING = 'agent::pending',
  CONTACT_PENDING = 'agent::contact_pending',
  OFFLINE = 'agent::offline',
  ERROR = 'agent::error',
  SOFTPHONE_ERROR = 'agent::softphone_error',
  WEBSOCKET_CONNECTION_LOST = 'agent::websocket_connection_lost',
  WEBSOCKET_CONNECTION_GAINED = 'agent::websocket_connection_gained',
  STATE_CHANGE = 'agent::state_change',
  ACW = 'agent::acw',
  /** A next state was queued (`setState` with `enqueueNextState` during a contact). */
  ENQUEUED_NEXT_STATE = 'agent::enqueued_next_state',
  /** The queued next state went (applied, or replaced by a state change). */
  CLEARED_NEXT_STATE = 'agent::cleared_next_state',
  MUTE_TOGGLE = 'agent::mute_toggle',
  LOCAL_MEDIA_STREAM_CREATED = 'agent::local_media_stream_created',
}

export enum ContactEvents {
  INIT = 'contact::init',
  REFRESH = 'contact::refresh',
  DESTROYED = 'contact::destroyed',
  INCOMING = 'contact::incoming',
  PENDING = 'contact::pending',
  CONNECTING = 'contact::connecting',
  CONNECTED = 'contact::connected',
  MISSED = 'contact::missed',
  ACW = 'contact::acw',
  VIEW = 'contact::view',
  ENDED = 'contact::ended',
  ERROR = 'contact::error',
  ACCEPTED = 'contact::accepted',
}

export enum ConnectionEvents {
  SESSION_INIT = 'connection::session_init',
  READY_TO_START_SESSION = 'connection::ready_to_start_session',
}

export enum ConfigurationEvents {
  CONFIGURE = 'configuration::configure',
  SET_SPEAKER_DEVICE = 'configuration::set_speaker_device',
  SET_MICROPHONE_DEVICE = 'configuration::set_microphone_device',
  SET_RINGER_DEVICE = 'configuration::set_ringer_device',
  SPEAKER_DEVICE_CHANGED = 'configuration::speaker_device_changed',
  MICROPHONE_DEVICE_CHANGED = 'configuration::microphone_device_changed',
  RINGER_DEVICE_CHANGED = 'configuration::ringer_device_changed',
}

export enum LogLevel {
  TEST = 'TEST',
  TRACE = 'TRACE',
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  LOG = 'LOG',
  WARN = 'WARN',
  ERROR = 'ERROR',
  CRITICAL = 'CRITICAL',
}

/** Numeric order of the log levels (a level is kept when its rank is at least the logger's level). */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = {
  [LogLevel.TEST]: 0,
  [LogLevel.TRACE]: 10,
  [LogLevel.DEBUG]: 20,
  [LogLevel.INFO]: 30,
  [LogLevel.LOG]: 40,
  [LogLevel.WARN]: 50,
  [LogLevel.ERROR]: 100,
  [LogLevel.CRITICAL]: 200,
};

export enum LogComponent {
  CCP = 'ccp',
  SOFTPHONE = 'softphone',
  CHAT = 'chat',
  TASK = 'task',
}

/** Ours: raised on the bus of the one tab that plays the ringtone (the master of `connect::ringtone`). Data:
 * `{contactId, contactType}` (`FAILED` also `{error}`: `play()` was refused, e.g. by an autoplay policy). */
export enum RingtoneEvents {
  STARTED = 'ringtone::started',
  STOPPED = 'ringtone::stopped',
  FAILED = 'ringtone::failed',
}

/** Ours: the login popup after `auth_fail`, raised on every tab's bus (data `{tabId}` of the tab that opened or
 * tried to open it), so any UI can say "signing in…" or offer a "Sign in" button. */
export enum LoginPopupEvents {
  OPENED = 'login_popup::opened',
  /** The browser refused to open it (popup blocker): a user gesture must open it (`connect.core.openLoginPopup()`). */
  BLOCKED = 'login_popup::blocked',
  /** The popup handed a session to the engine. */
  SIGNED_IN = 'login_popup::signed_in',
}
