/**
 * Compiled by `npm run build` (`tsc -p tsconfig.dts-check.json`) against the EMITTED declarations, after they are
 * written: the `.d.ts` consumers get must declare every member of the guide (the same table the runtime test
 * checks on the built object), and the guide's own examples must type-check against it. A drift between the
 * declarations and the runtime therefore fails the build.
 */
import type { connect as Connect } from '../dist/types/client/index';
import type { AllTrue, GuideSurface } from '../testing/client/guide-surface';

type C = typeof Connect;

const surface: AllTrue = null as unknown as GuideSurface<C>;
void surface;

/** The guide's examples, written as a library consumer would, against the emitted types. Never called. */
export function guideExamples(connect: C, container: HTMLElement): void {
  connect.core.initCCP(container, {
    ccpUrl: 'https://ccp.example/ccp', loginPopup: true, loginUrl: 'https://ccp.example/login', region: 'us-west-2',
    softphone: { allowFramedSoftphone: true, disableRingtone: false, ringtoneUrl: 'https://crm.example/ring.mp3' },
  });
  const agentSub = connect.agent((agent) => {
    agent.onStateChange(({ agent: a, oldState, newState }) => { const names: string = `${oldState}→${newState}`; void names; void a.getName(); });
    agent.onRefresh((a) => void a.getState().name);
    agent.onRoutable(() => undefined);
    agent.onMuteToggle(({ muted }) => { const m: boolean = muted; void m; });
    const state: { name: string; type: string; duration: number } = agent.getState();
    const millis: number = agent.getStateDuration();
    const permissions: string[] = agent.getPermissions();
    const config = agent.getConfiguration();
    config.extension = '+12061231234';
    config.softphoneEnabled = false;
    agent.setConfiguration(config, { success: () => undefined, failure: (e) => void e.type });
    const routable = agent.getAgentStates().filter((s) => s.type === connect.AgentStateType.ROUTABLE)[0]!;
    agent.setState(routable, { success: () => undefined, failure: (e) => { const t: string = e.type; const msg: string = e.message; void t; void msg; } });
    const voice: number = agent.getChannelConcurrency('VOICE');
    const map: Record<string, number> = agent.getChannelConcurrency();
    const dialable: boolean = agent.getDialableCountries().includes('US');
    const softphone: boolean = agent.isSoftphoneEnabled();
    agent.connect(connect.Endpoint.byPhoneNumber('2061231234'), { queueARN: 'arn:queue', success: () => undefined, failure: () => undefined });
    const arns: string[] = agent.getAllQueueARNs();
    agent.getEndpoints(arns, { success: ({ endpoints }) => endpoints.map((e) => e.phoneNumber), failure: () => undefined }, { maxResults: 95 });
    const contacts = agent.getContacts(connect.ContactType.VOICE);
    const snapshot = agent.toSnapshot();
    agent.mute();
    agent.unmute();
    void [state, millis, permissions, voice, map, dialable, softphone, contacts, snapshot, agent.getRoutingProfile().name, agent.getExtension()];
  });
  agentSub.unsubscribe();
  connect.contact((contact) => {
    contact.onIncoming(() => undefined);
    contact.onConnecting(() => undefined);
    contact.onAccepted(() => undefined);
    contact.onEnded(() => undefined);
    contact.onACW(() => undefined);
    const name: string = contact.getEventName(connect.ContactEvents.CONNECTED);
    const id: string = contact.getContactId();
    const type: string = contact.getType();
    const status: { type: string; duration: number } = contact.getStatus();
    const attributes = contact.getAttributes();
    const initial = contact.getInitialConnection();
    const third = contact.getSingleActiveThirdPartyConnection();
    contact.accept({ success: () => undefined, failure: () => undefined });
    contact.notifyIssue('issue', 'description', { success: () => undefined });
    contact.addConnection(connect.Endpoint.byPhoneNumber('+12065550100'), {});
    contact.toggleActiveConnections({});
    contact.conferenceConnections({});
    for (const conn of contact.getConnections()) {
      const connected: boolean = conn.isConnected() || conn.isOnHold() || conn.isConnecting() || conn.isActive();
      conn.hold({ success: () => undefined });
      conn.resume({});
      conn.sendDigits('123#', {});
      conn.destroy({});
      void [connected, conn.getEndpoint().phoneNumber, conn.getStatus().type, conn.getStatusDuration(), conn.getMonitorInfo()];
    }
    if (contact.getType() === connect.ContactType.CHAT) {
      const chat = contact.getAgentConnection() as InstanceType<C['ChatConnection']>;
      void chat.getConnectionToken().then((t) => t).catch((e: unknown) => e);
    }
    void [name, id, type, status, attributes, initial, third, contact.isInbound(), contact.isSoftphoneCall()];
  }).unsubscribe();
  connect.core.onAuthFail(() => undefined);
  connect.core.onAccessDenied(() => undefined);
  connect.core.onViewContact(() => undefined);
  connect.core.onInitialized(() => undefined);
  connect.core.getEventBus().subscribe(connect.EventType.TERMINATED, () => undefined).unsubscribe();
  connect.core.getEventBus().subscribeAll((data, eventName) => void [data, eventName]);
  const eventHandler = { _onAgentRefresh(): void { /* a method */ } };
  connect.agent((agent) => agent.onRefresh(connect.hitch(eventHandler, eventHandler._onAgentRefresh)));
  connect.getLog().warn('The %s broke!', 'widget').withException(new Error('x')).withObject({ a: 1, b: 2 });
  connect.getLog().download();
  connect.core.terminate();
}
