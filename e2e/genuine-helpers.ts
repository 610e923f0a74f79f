/**
 * Helpers of the genuine-library specs: open the genuine CRM page (`apps/crm/genuine.html`, which runs the
 * unmodified amazon-connect-streams release and embeds our CCP), run Streams API actions and read the getters a CRM
 * reads. The actions and readers use only the Streams API, so the same helper drives a genuine-library tab and a
 * connect-sync tab (demo CRM or CCP) alike.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { CRM_PORT } from '../playwright.config';
import { crmUrl } from './api-helpers';
import { waitForAgent } from './fixtures';

export const CRM_ORIGIN = `http://127.0.0.1:${CRM_PORT}`;
export const genuineUrl = (query = 'loginPopup=0', origin = CRM_ORIGIN): string => `${origin}/genuine.html?${query}`;

/** Streams events recorded in a tab: agent and contact events by name, in order. */
export interface Recorded {
  names: string[];
  stateChanges: { oldState: string; newState: string }[];
}

/** Opens the genuine CRM page and waits until the library holds agent data. */
export async function openGenuine(context: BrowserContext, query?: string, origin?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(genuineUrl(query, origin));
  await waitForStreamsAgent(page);
  return page;
}

/** The mixed browser of the drop-in specs: a CCP tab, our demo CRM, and a genuine-library CRM (its page errors kept). */
export interface MixedPages {
  ccp: Page;
  ours: Page;
  genuine: Page;
  /** Uncaught errors of the genuine page, from its first load on. */
  errors: string[];
}

/** Opens the CCP tab (through the `openTabs` fixture), our demo CRM and a genuine CRM, each with the agent loaded. */
export async function openMixedPages(context: BrowserContext, openTabs: (n: number) => Promise<Page[]>): Promise<MixedPages> {
  const [ccp] = await openTabs(1);
  const ours = await context.newPage();
  await ours.goto(crmUrl);
  await waitForAgent(ours);
  const genuine = await openGenuine(context);
  const errors: string[] = [];
  genuine.on('pageerror', (e) => errors.push(String(e)));
  return { ccp: ccp!, ours, genuine, errors };
}

/** Waits until `new connect.Agent()` answers in the page (genuine or ours). */
export async function waitForStreamsAgent(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(() => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const c = (window as any).connect;
      return !!c && !!new c.Agent().getState().name;
    } catch {
      return false;
    }
  }, null, { timeout });
}

/** Starts recording agent and contact events (names, state-change data) on the page's bus (genuine or ours). */
export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = window as any;
    const rec = { names: [] as string[], stateChanges: [] as unknown[] };
    w.__streamsRec = rec;
    w.connect.core.getEventBus().subscribeAll((data: { oldState?: string; newState?: string } | null, name: string) => {
      if (!/^(agent|contact)::/.test(name)) return;
      rec.names.push(name);
      if (name === 'agent::state_change' && data) rec.stateChanges.push({ oldState: data.oldState, newState: data.newState });
    });
  });
}

/**
 * Deliberate differences of event names between the libraries, removed before comparing sequences:
 * - the genuine library's bus also carries the raw conduit message `agent::update` (its bridge re-raises every
 *   message of the frame by name); it is a transport message, not an API event;
 * - ours raises `contact::init` also as `contact::init::<contactId>` (like every other contact event); the genuine
 *   library raises only the plain name;
 * - `contact::refresh` (and `::<contactId>`): the genuine library raises it for every contact on every update, ours
 *   only for a contact whose data changed (no refresh storm every 30 s of configuration rounds); removed from both.
 */
export function comparableNames(names: readonly string[], library: 'genuine' | 'ours'): string[] {
  const kept = names.filter((n) => !n.startsWith('contact::refresh'));
  return library === 'genuine'
    ? kept.filter((n) => n !== 'agent::update')
    : kept.filter((n) => !n.startsWith('contact::init::'));
}

export function recorded(page: Page): Promise<Recorded> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.evaluate(() => (window as any).__streamsRec as Recorded);
}

export type Action =
  | 'setState' | 'accept' | 'reject' | 'clear' | 'hold' | 'resume' | 'hangup' | 'connect' | 'addConnection'
  | 'conference' | 'toggle' | 'mute' | 'unmute' | 'ifMaster' | 'becomeMaster' | 'getEndpoints' | 'sendDigits'
  | 'destroyThirdParty' | 'call' | 'muteParticipant' | 'unmuteParticipant';

export interface ActionArgs {
  name?: string;
  enqueue?: boolean;
  contactId?: string;
  phoneNumber?: string;
  topic?: string;
  digits?: string;
  method?: string;
}

/**
 * Runs one Streams API action in `page`; resolves with `'ok'` (or the action's answer: master or not, endpoint count)
 * or `'error:<type>'` from the failure callback (the genuine library hands over `err` as a JSON string; ours an object).
 */
export function streamsAction(page: Page, action: Action, args: ActionArgs = {}): Promise<string> {
  return page.evaluate(([action, a]) => new Promise<string>((resolve) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (window as any).connect;
    const fail = (e: unknown): void => {
      let type: unknown = e;
      if (typeof e === 'string') {
        try { type = (JSON.parse(e) as { type?: unknown }).type; } catch { type = e; }
      } else if (e && typeof e === 'object') type = (e as { type?: unknown }).type;
      resolve(`error:${String(type)}`);
    };
    const cb = { success: () => resolve('ok'), failure: fail };
    const timer = setTimeout(() => resolve('error:no answer within 10 s'), 10_000);
    const done = { ...cb, success: (d?: unknown) => { clearTimeout(timer); cb.success(); void d; } };
    try {
      const agent = new c.Agent();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const contact = (): any => agent.getContacts().find((x: { getContactId(): string }) => x.getContactId() === a.contactId);
      switch (action) {
        case 'setState': {
          const state = agent.getAgentStates().find((s: { name: string }) => s.name === a.name);
          agent.setState(state, done, a.enqueue ? { enqueueNextState: true } : undefined);
          return;
        }
        case 'accept': contact().accept(done); return;
        case 'reject': contact().reject(done); return;
        case 'clear': contact().clear(done); return;
        case 'hold': contact().getInitialConnection().hold(done); return;
        case 'resume': contact().getInitialConnection().resume(done); return;
        case 'hangup': contact().getAgentConnection().destroy(done); return;
        case 'destroyThirdParty': contact().getSingleActiveThirdPartyConnection().destroy(done); return;
        case 'muteParticipant': contact().getInitialConnection().muteParticipant(done); return;
        case 'unmuteParticipant': contact().getInitialConnection().unmuteParticipant(done); return;
        case 'sendDigits': contact().getAgentConnection().sendDigits(a.digits, done); return;
        case 'connect': agent.connect(c.Endpoint.byPhoneNumber(a.phoneNumber), done); return;
        case 'addConnection': contact().addConnection(c.Endpoint.byPhoneNumber(a.phoneNumber), done); return;
        case 'conference': contact().conferenceConnections(done); return;
        case 'toggle': contact().toggleActiveConnections(done); return;
        case 'mute': agent.mute(); clearTimeout(timer); resolve('ok'); return;
        case 'unmute': agent.unmute(); clearTimeout(timer); resolve('ok'); return;
        case 'ifMaster':
          c.ifMaster(a.topic, () => { clearTimeout(timer); resolve('master'); }, () => { clearTimeout(timer); resolve('not-master'); });
          return;
        case 'becomeMaster':
          c.becomeMaster(a.topic, () => { clearTimeout(timer); resolve('ok'); }, fail);
          return;
        case 'getEndpoints':
          agent.getEndpoints(agent.getAllQueueARNs(), {
            success: (d: { endpoints: unknown[] }) => { clearTimeout(timer); resolve(`endpoints:${d.endpoints.length}`); },
            failure: fail,
          });
          return;
        case 'call':
          c.core.getClient().call(a.method, {}, {
            success: () => { clearTimeout(timer); resolve('ok'); },
            failure: (e: unknown) => { clearTimeout(timer); fail(e); },
          });
          return;
      }
    } catch (e) {
      clearTimeout(timer);
      resolve(`error:thrown ${String(e)}`);
    }
  }), [action, args] as const);
}

/** `isMute()` of the contact's initial (customer) connection, as the page's library answers it. */
export function initialIsMute(page: Page, contactId: string): Promise<unknown> {
  return page.evaluate((id) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const contact = new (window as any).connect.Agent().getContacts().find((x: any) => x.getContactId() === id);
    return contact ? contact.getInitialConnection().isMute() : 'no contact';
  }, contactId);
}

/** What a CRM reads: the agent and its contacts through the Streams getters (same code for both libraries). */
export interface StreamsView {
  state: string;
  stateType: string;
  nextState: string | null;
  stateDurationMs: number;
  routingProfile: string;
  queues: number;
  contacts: {
    id: string; type: string; state: string; inbound: boolean; durationMs: number; queue: string | null;
    connections: { type: string; state: string; initial: boolean; phone: string | null; active: boolean; onHold: boolean }[];
  }[];
}

export function streamsView(page: Page): Promise<StreamsView> {
  return page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = (window as any).connect;
    const agent = new c.Agent();
    const next = agent.getNextState();
    return {
      state: agent.getState().name,
      stateType: agent.getState().type,
      nextState: next ? next.name : null,
      stateDurationMs: agent.getStateDuration(),
      routingProfile: agent.getRoutingProfile().name,
      queues: agent.getAllQueueARNs().length,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      contacts: agent.getContacts().map((x: any) => ({
        id: x.getContactId(),
        type: x.getType(),
        state: x.getStatus().type,
        inbound: x.isInbound(),
        durationMs: x.getStatusDuration(),
        queue: x.getQueue() ? x.getQueue().name : null,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        connections: x.getConnections().map((k: any) => ({
          type: k.getType(),
          state: k.getStatus().type,
          initial: k.isInitialConnection(),
          phone: k.getEndpoint() ? k.getEndpoint().phoneNumber ?? null : null,
          active: k.isActive(),
          onHold: k.isOnHold(),
        })),
      })),
    };
  });
}
