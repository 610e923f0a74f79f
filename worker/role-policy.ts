/**
 * What each tab role may ask of the engine. The threat model: the CCP origin is trusted; an approved CRM origin embeds
 * the CCP and acts *as a CRM* (its messages reach the engine only through the CCP frame's relay, which stamps them
 * role `crm` whatever the page claims); nothing else reaches the engine at all. So `ccp`, `page` and `inspector` are
 * tabs of the trusted origin (their role is their own word, not a boundary) and `crm` is the one restricted role.
 *
 * | action                                         | ccp / page / inspector | crm                                  |
 * |------------------------------------------------|------------------------|--------------------------------------|
 * | requests (CTI operations), synchronize, resync | yes                    | yes                                  |
 * | broadcast an engine event (`auth_fail`, …)     | no                     | no                                   |
 * | broadcast anything else                        | yes                    | only `CRM_BROADCAST_EVENTS`          |
 * | `session` (hand the engine a token)            | yes                    | no                                   |
 * | `terminate` (log out: every tab `terminated`)  | yes                    | yes (`CRM_MAY_LOG_OUT`)              |
 * | master of `CCP_ONLY_TOPICS`                    | yes                    | no (`checkMaster` answers not-master)|
 * | master of other topics                         | yes                    | yes                                  |
 * | inspect                                        | everything             | counts, itself, its own topics       |
 * | log lines pushed                               | every line             | its own and the engine's             |
 * | hello with the id of a connected tab           | same role only         | same role only                       |
 *
 * A refusal is a `ForbiddenError` (`ErrorType.FORBIDDEN`) and changes nothing.
 */
import {
  AgentEvents, ConfigurationEvents, ContactEvents, EventType, MasterTopics as Topic,
} from '../shared/enums';
import { contactEventName } from '../shared/events';
import {
  ENGINE_EVENTS, ErrorType, TabRole, UpType, wireError, type EngineInfo, type LogRecord, type Up, type WireError,
} from '../shared/protocol';
import { MAX_ID_CHARS } from '../shared/validate';

/**
 * Names only the engine raises on the tabs (its own events and the protocol's internal names, which every tab's bus
 * would otherwise raise as if they were true): a tab broadcasting one could tell every tab the session failed, the
 * agent logged out, another tab took the ringtone, or a fake ACK arrived.
 */
export const ENGINE_OWNED_EVENTS: ReadonlySet<string> = new Set<string>([
  EventType.ACKNOWLEDGE, EventType.ACK_TIMEOUT, EventType.AUTH_FAIL, EventType.ACCESS_DENIED, EventType.TERMINATED,
  EventType.TERMINATE, EventType.UPDATE_CONNECTED_CCPS, ENGINE_EVENTS.MASTER_CHANGED, EventType.INIT, EventType.LOG,
  EventType.TRANSPORT, EventType.API_REQUEST, EventType.API_RESPONSE, EventType.MASTER_REQUEST, EventType.MASTER_RESPONSE,
  EventType.SYNCHRONIZE, EventType.CLOSE, EventType.CONFIGURE, EventType.SEND_LOGS, EventType.RELOAD_AGENT_CONFIGURATION,
  EventType.BROADCAST,
]);

/**
 * What a CRM page legitimately raises across tabs (the Streams guide and the conduit research, "broadcast payloads a
 * CRM produces"): `contact.accept()` → `contact::accepted` (+ per contact), `connect.core.viewContact` →
 * `contact::view`, `agent.mute()/unmute()` → `mute` (each tab then raises `agent::mute_toggle`; a CRM running its own
 * softphone raises that directly), the agent's device setters, and the ringer device it changed. Not here: the
 * softphone's own reports (`agent::softphone_error`, `connection::session_init`, …), which come from the CCP, and
 * every event tabs derive from the agent's state (`contact::incoming`, `agent::routable`, …).
 */
export const CRM_BROADCAST_EVENTS: ReadonlySet<string> = new Set<string>([
  ContactEvents.ACCEPTED, ContactEvents.VIEW, EventType.MUTE, AgentEvents.MUTE_TOGGLE,
  ConfigurationEvents.SET_SPEAKER_DEVICE, ConfigurationEvents.SET_MICROPHONE_DEVICE, ConfigurationEvents.SET_RINGER_DEVICE,
  ConfigurationEvents.RINGER_DEVICE_CHANGED,
]);

/** Events a CRM may also raise per contact (`<event>::<contactId>`). */
const CRM_PER_CONTACT_EVENTS: readonly string[] = [ContactEvents.ACCEPTED];

/** Topics whose master acts for the whole browser from a CCP page: the tab that rings, opens the login popup, runs
 * the softphone. A CRM holding one would silence the ringtone (calls missed), or own the sign-in. */
export const CCP_ONLY_TOPICS: ReadonlySet<string> = new Set<string>([Topic.RINGTONE, Topic.LOGIN_POPUP, Topic.SOFTPHONE]);

/**
 * A CRM may log out. A CRM has a sign-out button, and Streams CRMs end their session by `terminate` through the
 * frame; refusing would leave the agent signed in — and routable, ringing for calls nobody answers — after they
 * believe they signed out. It gives a CRM no power it lacks: it may already set the agent offline or end contacts.
 * What a CRM can never do is *fake* a logout (broadcast `terminated`) or sign the engine in with a session of its own.
 */
export const CRM_MAY_LOG_OUT = true;

/** True for the roles that may see other tabs (inspect, every log line). */
export function seesOtherTabs(role: TabRole): boolean {
  return role !== TabRole.CRM;
}

function forbidden(role: TabRole, what: string): WireError {
  return wireError(ErrorType.FORBIDDEN, `a ${role} tab may not ${what}`);
}

/** True when a CRM may broadcast `event`. */
export function crmMayBroadcast(event: string): boolean {
  if (CRM_BROADCAST_EVENTS.has(event)) return true;
  return CRM_PER_CONTACT_EVENTS.some((base) => {
    const prefix = contactEventName(base, '');
    const contactId = event.startsWith(prefix) ? event.slice(prefix.length) : '';
    return contactId.length > 0 && contactId.length <= MAX_ID_CHARS && !contactId.includes('::');
  });
}

/**
 * Null when `role` may send `msg` as it is, else the `ForbiddenError` to answer. Master requests on a CCP-only topic
 * from a CRM are not refused here when they only ask (`checkMaster`, `releaseMaster`): see `masterIsReadOnly`.
 *
 * @example
 * refusal(TabRole.CRM, { type: 'session', authToken: 't' }); // { type: 'ForbiddenError', message: 'a crm tab may not …' }
 */
export function refusal(role: TabRole, msg: Up): WireError | null {
  switch (msg.type) {
    case UpType.BROADCAST:
      if (ENGINE_OWNED_EVENTS.has(msg.event)) return forbidden(role, `broadcast '${msg.event}': it is the engine's own event`);
      if (role === TabRole.CRM && !crmMayBroadcast(msg.event)) return forbidden(role, `broadcast '${msg.event}'`);
      return null;
    case UpType.SESSION:
      return role === TabRole.CRM ? forbidden(role, 'supply a session') : null;
    case UpType.TERMINATE:
      return role === TabRole.CRM && !CRM_MAY_LOG_OUT ? forbidden(role, 'log the agent out') : null;
    case UpType.MASTER:
      return role === TabRole.CRM && CCP_ONLY_TOPICS.has(msg.topic) && msg.method === 'becomeMaster'
        ? forbidden(role, `become master of ${msg.topic}`) : null;
    default:
      return null;
  }
}

/** True when `role` may only look at `topic` (its `checkMaster` must not make it master, nor queue it for later). */
export function masterIsReadOnly(role: TabRole, topic: string): boolean {
  return role === TabRole.CRM && CCP_ONLY_TOPICS.has(topic);
}

/** What `role` (tab `tabId`) may see of the engine's picture. */
export function inspectionFor(role: TabRole, tabId: string, info: EngineInfo): EngineInfo {
  if (seesOtherTabs(role)) return info;
  return {
    ...info,
    tabs: info.tabs.filter((t) => t.tabId === tabId),
    topics: Object.fromEntries(Object.entries(info.topics).filter(([, master]) => master === tabId)),
    recentEvents: [],
  };
}

/** The log lines `role` (tab `tabId`) may receive. */
export function logsFor(role: TabRole, tabId: string, entries: LogRecord[]): LogRecord[] {
  return seesOtherTabs(role) ? entries : entries.filter((e) => e.source === tabId || e.source === 'engine');
}
