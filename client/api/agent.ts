/**
 * `connect.Agent`: a live handle on the agent, reading the tab's state at call time. `new connect.Agent()` throws a
 * `StateError` until the first agent data arrived. `AgentSnapshot` is frozen on the data it was made from.
 */
import type { AgentConfiguration, AgentConfigurationCore, AgentData, AgentState, RoutingProfile } from '../../shared/cti';
import { AgentEvents, ChannelType, ConfigurationEvents, EventType } from '../../shared/enums';
import type { AgentStateChange } from '../../shared/events';
import { requireUpstream, runAction, settle, type ActionCallbacks } from './action';
import { Contact, ContactSnapshot } from './contact';
import { getContext } from '../tab/context';
import { Endpoint, toCtiEndpoint, type EndpointParams } from './endpoint';
import type { EventCallback, Subscription } from './event-bus';
import type { Upstream } from '../tab/tab-context';
import { StateError, ValidationError, type SoftphoneError } from './errors';
import { deepCopy, deepFreeze, elapsedSince, toDate } from './util';
import type { EndpointPageInfo } from './agent-rules';
import { loadAgentRules } from '../tab/on-demand';

/** The agent's state as the API hands it out. */
export interface AgentStateInfo {
  agentStateARN?: string;
  type: string;
  name: string;
  startTimestamp: Date | null;
  /** Skew-corrected milliseconds in this state when read. */
  duration: number;
}

/** `agent.onStateChange` data. */
export interface AgentStateChangeEvent extends AgentStateChange {
  agent: Agent;
}

export type AgentCallback = (agent: Agent) => void;

/** When a routing profile has no concurrency map: one voice and one chat, as the original assumed. */
export const DEFAULT_CHANNEL_CONCURRENCY: Readonly<Record<string, number>> = { [ChannelType.VOICE]: 1, [ChannelType.CHAT]: 1 };

/**
 * @example
 * connect.agent((agent) => {
 *   agent.onStateChange(({ oldState, newState }) => console.log(oldState, '→', newState));
 *   const available = agent.getAgentStates().find((s) => s.type === connect.AgentStateType.ROUTABLE);
 *   if (available) agent.setState(available, { failure: (e) => console.log(e.type, e.message) });
 * });
 */
export class Agent {
  constructor() {
    if (!this.isReadable()) throw new StateError('The agent is not yet initialized!');
  }

  /** True when there is data to read (live: the tab has received agent data; snapshots: always). */
  protected isReadable(): boolean {
    return getContext().state.initialized;
  }

  protected agentData(): AgentData {
    const data = getContext().state.data;
    if (!data) throw new StateError('The agent is not yet initialized!');
    return data;
  }

  protected skewMs(): number {
    return getContext().state.skew;
  }

  protected makeContact(contactId: string): Contact {
    return new Contact(contactId);
  }

  private config(): AgentConfiguration {
    return this.agentData().configuration;
  }

  // ---- events ------------------------------------------------------------------------------------------------------

  private on(event: string, f: EventCallback): Subscription {
    return getContext().bus.subscribe(event, f);
  }

  /** Whenever the agent's data changes. */
  onRefresh(f: AgentCallback): Subscription { return this.on(AgentEvents.REFRESH, f); }
  /** When one of the agent's contacts enters `pending`. */
  onContactPending(f: AgentCallback): Subscription { return this.on(AgentEvents.CONTACT_PENDING, f); }
  /** When the agent state's name changes: `{agent, oldState, newState}` (the first old state is `Init`). */
  onStateChange(f: (change: AgentStateChangeEvent) => void): Subscription { return this.on(AgentEvents.STATE_CHANGE, f); }
  onRoutable(f: AgentCallback): Subscription { return this.on(AgentEvents.ROUTABLE, f); }
  onNotRoutable(f: AgentCallback): Subscription { return this.on(AgentEvents.NOT_ROUTABLE, f); }
  onOffline(f: AgentCallback): Subscription { return this.on(AgentEvents.OFFLINE, f); }
  /** When the agent enters one of the `AgentErrorStates`. */
  onError(f: AgentCallback): Subscription { return this.on(AgentEvents.ERROR, f); }
  onSoftphoneError(f: (error: SoftphoneError) => void): Subscription { return this.on(AgentEvents.SOFTPHONE_ERROR, f); }
  onAfterCallWork(f: AgentCallback): Subscription { return this.on(AgentEvents.ACW, f); }
  /** After `mute()` / `unmute()` in any tab: `{muted}`. */
  onMuteToggle(f: (status: { muted: boolean }) => void): Subscription { return this.on(AgentEvents.MUTE_TOGGLE, f); }
  onWebSocketConnectionLost(f: AgentCallback): Subscription { return this.on(AgentEvents.WEBSOCKET_CONNECTION_LOST, f); }
  onWebSocketConnectionGained(f: AgentCallback): Subscription { return this.on(AgentEvents.WEBSOCKET_CONNECTION_GAINED, f); }
  onLocalMediaStreamCreated(f: (data: { connectionId: string }) => void): Subscription {
    return this.on(AgentEvents.LOCAL_MEDIA_STREAM_CREATED, f);
  }
  onSpeakerDeviceChanged(f: (data: { deviceId: string }) => void): Subscription {
    return this.on(ConfigurationEvents.SPEAKER_DEVICE_CHANGED, f);
  }
  onMicrophoneDeviceChanged(f: (data: { deviceId: string }) => void): Subscription {
    return this.on(ConfigurationEvents.MICROPHONE_DEVICE_CHANGED, f);
  }
  onRingerDeviceChanged(f: (data: { deviceId: string }) => void): Subscription {
    return this.on(ConfigurationEvents.RINGER_DEVICE_CHANGED, f);
  }

  // ---- getters -----------------------------------------------------------------------------------------------------

  getState(): AgentStateInfo {
    const s = this.agentData().snapshot.state;
    return {
      ...(s.agentStateARN !== undefined ? { agentStateARN: s.agentStateARN } : {}),
      type: s.type,
      name: s.name,
      startTimestamp: toDate(s.startTimestamp),
      duration: elapsedSince(s.startTimestamp, this.skewMs()),
    };
  }
  getStatus(): AgentStateInfo { return this.getState(); }

  /** The state the agent moves to after the current contacts (set by `setState` while busy), or null. */
  getNextState(): AgentState | null { return deepCopy(this.agentData().snapshot.nextState) ?? null; }

  getAvailabilityState(): { state: string; timeStamp: Date | null } | null {
    const a = this.agentData().snapshot.agentAvailabilityState;
    return a ? { state: a.state, timeStamp: toDate(a.timeStamp) } : null;
  }

  /** Milliseconds in the current state, corrected for the skew between this machine and the server. */
  getStateDuration(): number { return elapsedSince(this.agentData().snapshot.state.startTimestamp, this.skewMs()); }
  getStatusDuration(): number { return this.getStateDuration(); }

  getPermissions(): string[] { return [...this.config().permissions]; }

  /** The agent's contacts, optionally of one `ContactType` only. */
  getContacts(contactTypeFilter?: string): Contact[] {
    return this.agentData().snapshot.contacts
      .filter((c) => !contactTypeFilter || c.type === contactTypeFilter)
      .map((c) => this.makeContact(c.contactId));
  }

  /** A copy of the whole configuration (changing it changes nothing until `setConfiguration`). */
  getConfiguration(): AgentConfiguration { return deepCopy(this.config()); }
  getAgentStates(): AgentState[] { return deepCopy(this.config().agentStates); }
  getRoutingProfile(): RoutingProfile { return deepCopy(this.config().routingProfile); }

  /** The concurrency map (`{VOICE: 1, CHAT: 3}`), or one channel's value (0 when absent). */
  getChannelConcurrency(): Record<string, number>;
  getChannelConcurrency(channel: string): number;
  getChannelConcurrency(channel?: string): Record<string, number> | number {
    const map = this.config().routingProfile.channelConcurrencyMap ?? DEFAULT_CHANNEL_CONCURRENCY;
    if (channel === undefined) return { ...map };
    return map[channel] ?? 0;
  }

  getName(): string { return this.config().name; }
  getExtension(): string { return this.config().extension; }
  getDialableCountries(): string[] { return [...this.config().dialableCountries]; }
  isSoftphoneEnabled(): boolean { return this.config().softphoneEnabled; }
  /** The shared mute status (as last broadcast by `mute()` / `unmute()` in any tab). */
  isMuted(): boolean { return getContext().muted; }

  /** ARNs of the routing profile's queues. */
  getAllQueueARNs(): string[] {
    return (this.config().routingProfile.queues ?? []).map((q) => q.queueARN).filter((a): a is string => !!a);
  }

  /** A copy frozen on the current data. */
  toSnapshot(): AgentSnapshot {
    return new AgentSnapshot(deepCopy(this.agentData()), this.skewMs());
  }

  // ---- actions -----------------------------------------------------------------------------------------------------

  /**
   * Sets the agent state (`putAgentState`). While the agent handles contacts the backend queues it as the next
   * state (`enqueueNextState`, default true).
   */
  setState(state: AgentState, callbacks?: ActionCallbacks, options: { enqueueNextState?: boolean } = {}): void {
    runAction({
      method: 'putAgentState',
      params: () => {
        if (!state || typeof state.name !== 'string' || typeof state.type !== 'string') {
          throw new ValidationError('state must be an AgentState with string name and type');
        }
        const s: AgentState = { type: state.type, name: state.name };
        if (state.agentStateARN) s.agentStateARN = state.agentStateARN;
        return { state: s, enqueueNextState: options.enqueueNextState ?? true };
      },
    }, callbacks);
  }
  setStatus(state: AgentState, callbacks?: ActionCallbacks, options?: { enqueueNextState?: boolean }): void {
    this.setState(state, callbacks, options);
  }

  /**
   * Updates the configuration. With softphone off the extension must be E.164 (`+` and up to 15 digits); a
   * preferred locale must be one the CCP supports. On success the engine re-reads the configuration.
   */
  setConfiguration(configuration: Partial<AgentConfigurationCore>, callbacks?: ActionCallbacks): void {
    // The configuration is read now (no agent data: a StateError); its validation is in the chunk
    // `connect-agent-rules.js`, loaded only then. Either failing fails the action through the one `settle` below.
    new Promise<AgentConfiguration>((resolve) => resolve(this.config()))
      .then((current) => loadAgentRules().then((rules) => runAction({
        method: 'updateAgentConfiguration',
        params: () => ({ configuration: rules.validateConfiguration(current, configuration) }),
        after: (_data, upstream) => upstream.reloadConfiguration(),
      }, callbacks)))
      .catch((e: unknown) => settle(Promise.reject(e), callbacks, 'updateAgentConfiguration'));
  }

  /** Calls `endpoint` (`createOutboundContact`), in `queueARN` or the routing profile's default outbound queue. */
  connect(endpoint: EndpointParams, params: ActionCallbacks & { queueARN?: string; queueId?: string } = {}): void {
    runAction({
      method: 'createOutboundContact',
      params: () => {
        if (!endpoint || typeof endpoint !== 'object' || !endpoint.type) throw new ValidationError('endpoint.type is required');
        const queueARN = params.queueARN ?? params.queueId ?? this.config().routingProfile.defaultOutboundQueue?.queueARN;
        return { endpoint: toCtiEndpoint(endpoint), ...(queueARN ? { queueARN } : {}) };
      },
    }, params);
  }

  /**
   * The quick-connect endpoints of `queueARNs` (every page), plus `pageInfo.endpoints`; `success` gets
   * `{endpoints, addresses}` (the same `Endpoint[]`).
   */
  getEndpoints(queueARNs: string | string[], callbacks?: ActionCallbacks<{ endpoints: Endpoint[]; addresses: Endpoint[] }>,
    pageInfo: EndpointPageInfo = {}): void {
    // Not connected: a NotConnectedError, read at call time, and the chunk is not loaded.
    settle(new Promise<Upstream>((resolve) => resolve(requireUpstream()))
      .then((upstream) => loadAgentRules().then((rules) => rules.fetchAllEndpoints(upstream, queueARNs, pageInfo)))
      .then((endpoints) => ({ endpoints, addresses: endpoints })), callbacks, 'getEndpoints');
  }
  getAddresses(queueARNs: string | string[], callbacks?: ActionCallbacks<{ endpoints: Endpoint[]; addresses: Endpoint[] }>,
    pageInfo?: EndpointPageInfo): void {
    this.getEndpoints(queueARNs, callbacks, pageInfo);
  }

  /** Mutes the agent's microphone (in the softphone tab); every tab raises `agent::mute_toggle`. */
  mute(): void { this.broadcast(EventType.MUTE, { mute: true }); }
  unmute(): void { this.broadcast(EventType.MUTE, { mute: false }); }

  setSpeakerDevice(deviceId: string): void { this.broadcast(ConfigurationEvents.SET_SPEAKER_DEVICE, { deviceId }); }
  setMicrophoneDevice(deviceId: string): void { this.broadcast(ConfigurationEvents.SET_MICROPHONE_DEVICE, { deviceId }); }
  setRingerDevice(deviceId: string): void { this.broadcast(ConfigurationEvents.SET_RINGER_DEVICE, { deviceId }); }

  private broadcast(event: string, data: unknown): void {
    const upstream = getContext().upstream;
    if (!upstream) {
      getContext().log.warn('%s ignored: the tab is not connected to the engine', event);
      return;
    }
    upstream.broadcast(event, data);
  }
}

/**
 * The agent frozen on the data it was made from; its contacts are `ContactSnapshot`s.
 *
 * @example
 * log.info('agent').withObject(agent.toSnapshot().getState());
 */
export class AgentSnapshot extends Agent {
  private readonly frozen: AgentData;

  constructor(data: AgentData, private readonly frozenSkew = 0) {
    super();
    this.frozen = deepFreeze(data);
  }

  protected override isReadable(): boolean { return true; }
  protected override agentData(): AgentData { return this.frozen; }
  protected override skewMs(): number { return this.frozenSkew; }
  protected override makeContact(contactId: string): Contact {
    const c = this.frozen.snapshot.contacts.find((x) => x.contactId === contactId);
    return c ? new ContactSnapshot(c, this.frozenSkew) : new Contact(contactId);
  }
}
