/**
 * The control API (`/sim/*`, JSON): drives the simulation for demos, tests and users' resilience suites. It has no
 * passwords, so who may reach it is decided here (see {@link ControlAccess}): never a page of another origin (an
 * approved CRM included: 403); without a token only on a loopback bind; on other interfaces only with
 * `CONTROL_API=on`, and then every call carries the start-up token in `X-Control-Token`. When it is off every route
 * is a 404. Bodies are validated like the CTI API's; errors are `{__type, type, message}` with REST statuses (400 bad
 * input, 401 no control token, 403 foreign page, 404 unknown thing, 409 conflicting state).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ContactType, CTIExceptions } from '../shared/enums';
import type { CtiApi } from './api';
import { sessionCookie, type AuthService, type CookieOptions } from './auth';
import { ControlApiMode } from './config';
import {
  asCtiError, controlConflict, controlNotFound, controlTokenRequired, CtiError, notSameOrigin, validationError,
} from './errors';
import type { HostPolicy } from './host-policy';
import { parseFaultSpec, type FaultInjector } from './faults';
import { parseJsonObject, readBody, sameSecret, sendError, sendJson } from './http';
import { addChatMessage } from './sim/chat';
import { acceptContact, addInboundContact, customerHangsUp } from './sim/contacts';
import type { AgentRecord, ContactRecord } from './sim/model';
import { routeInbound } from './sim/routing';
import { DEFAULT_QUEUE } from './sim/seed';
import type { Simulation } from './sim/simulation';
import type { BackendStats } from './stats';
import type { BackendLogger } from './log';
import type { ApprovedOrigins } from './origins';
import { optionalString, optionalStringMap, requireString, type JsonObject } from './validate';

/** Control bodies are tiny; attributes and a chat line fit many times over. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024;
const INBOUND_TYPES: readonly string[] = [ContactType.VOICE, ContactType.CHAT, ContactType.QUEUE_CALLBACK, ContactType.TASK];

/** The header that carries the control token when the control API is open beyond loopback. */
export const CONTROL_TOKEN_HEADER = 'X-Control-Token';

/** Who may reach `/sim/*`. */
export interface ControlAccess {
  mode: ControlApiMode;
  /** True on a loopback bind without PUBLIC_ORIGIN: only this machine can connect, so no token is needed. */
  local: boolean;
  /** The random start-up token every call must carry when not `local` (and mode is `on`). */
  token: string | undefined;
}

export interface ControlDeps {
  control: ControlAccess;
  hosts: HostPolicy;
  cookie: CookieOptions;
  sim: Simulation;
  auth: AuthService;
  stats: BackendStats;
  faults: FaultInjector;
  origins: ApprovedOrigins;
  api: CtiApi;
  logger: BackendLogger;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  body: JsonObject;
  deps: ControlDeps;
}

type Route = { method: string; pattern: RegExp; run(call: Call): void };

function agentOf(sim: Simulation, username: string): AgentRecord {
  const agent = sim.agent(username);
  if (!agent) throw controlNotFound(`no agent "${username}"`);
  return agent;
}

function contactOf(sim: Simulation, contactId: string): { agent: AgentRecord; contact: ContactRecord } {
  const found = sim.findContact(contactId);
  if (!found) throw controlNotFound(`no contact ${contactId} on any agent's snapshot`);
  return found;
}

/** Sim state errors (InvalidStateException, 400 on the CTI API) are conflicts here. */
function asConflict<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CtiError && err.type === CTIExceptions.INVALID_STATE_EXCEPTION) throw controlConflict(err.type, err.message);
    throw err;
  }
}

function login({ res, body, deps }: Call): void {
  const username = requireString(body, 'username');
  const agent = agentOf(deps.sim, username);
  const sessionId = deps.auth.openSession(username);
  const grant = deps.auth.grant(username, sessionId);
  sendJson(res, 200, { token: grant.accessToken, accessToken: grant.accessToken, expiration: grant.expiration,
    refreshToken: grant.refreshToken, username, agentARN: agent.agentARN }, { 'Set-Cookie': sessionCookie(sessionId, deps.cookie) });
}

function inbound({ res, body, deps }: Call): void {
  const type = requireString(body, 'type');
  if (!INBOUND_TYPES.includes(type)) throw validationError(`type must be one of ${INBOUND_TYPES.join(', ')}`);
  const username = optionalString(body, 'username');
  const queue = optionalString(body, 'queue');
  const from = optionalString(body, 'from', undefined, { maxLength: 200 });
  const attributes = optionalStringMap(body, 'attributes');
  const routed = routeInbound(deps.sim, { type, username, queue, from, attributes });
  if (!routed.ok) {
    if (routed.reason === 'no-agent') throw controlConflict('AgentUnavailableException', routed.message);
    throw controlNotFound(routed.message);
  }
  sendJson(res, 201, { contactId: routed.contact.contactId, username: routed.agent.username });
}

function hangup({ res, params, deps }: Call): void {
  const { agent, contact } = contactOf(deps.sim, params[0]!);
  const outcome = asConflict(() => customerHangsUp(deps.sim, agent, contact));
  sendJson(res, 200, { contactId: contact.contactId, username: agent.username, outcome });
}

function message({ res, params, body, deps }: Call): void {
  const text = requireString(body, 'text', undefined, { maxLength: 4000 });
  const participant = optionalString(body, 'participant') ?? 'CUSTOMER';
  if (participant !== 'CUSTOMER' && participant !== 'AGENT') throw validationError('participant must be CUSTOMER or AGENT');
  const { agent, contact } = contactOf(deps.sim, params[0]!);
  asConflict(() => addChatMessage(deps.sim, agent, contact, participant, text));
  sendJson(res, 200, { contactId: contact.contactId, lines: contact.transcript.length });
}

function transcript({ res, params, deps }: Call): void {
  const { contact } = contactOf(deps.sim, params[0]!);
  sendJson(res, 200, {
    contactId: contact.contactId,
    messages: contact.transcript.map((l) => ({ participant: l.participant, text: l.text, timestamp: l.atMs / 1000 })),
  });
}

/** The server's truth for an agent: the snapshot's fields at the top level, plus version and bookkeeping. */
function agentView({ res, params, deps }: Call): void {
  const agent = agentOf(deps.sim, params[0]!);
  const digitsSent: Record<string, string> = {};
  for (const c of agent.contacts) if (c.digitsSent) digitsSent[c.contactId] = c.digitsSent;
  sendJson(res, 200, {
    username: agent.username,
    agentARN: agent.agentARN,
    version: agent.version,
    nextToken: String(agent.version),
    ...deps.sim.snapshot(agent),
    configuration: agent.configuration,
    applied: deps.stats.appliedOf(agent.username),
    digitsSent,
    longPolls: deps.sim.watchers.count(agent.username),
  });
}

/** Most contacts `bulk-contacts` adds in one call: a realistic worst case for one agent is tens of contacts. */
const MAX_BULK_CONTACTS = 200;

/** Puts `count` connected chats on an agent at once, past routing limits: a heavy snapshot for benchmarks and load
 * tests (e.g. the twenty-contact agent), which ordinary routing (3 chats) cannot build. */
function bulkContacts({ res, params, body, deps }: Call): void {
  const agent = agentOf(deps.sim, params[0]!);
  const count = body['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BULK_CONTACTS) {
    throw validationError(`count must be an integer from 1 to ${MAX_BULK_CONTACTS}`);
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const contact = addInboundContact(deps.sim, agent, {
      type: ContactType.CHAT, queue: DEFAULT_QUEUE, from: `Customer ${i + 1}`,
      attributes: { customerName: `Customer ${i + 1}`, accountId: String(100000 + i) },
    });
    acceptContact(deps.sim, agent, contact);
    ids.push(contact.contactId);
  }
  sendJson(res, 201, { username: agent.username, contactIds: ids });
}

function expireSession({ res, params, deps }: Call): void {
  const agent = agentOf(deps.sim, params[0]!);
  const revoked = deps.auth.expireAgent(agent.username);
  // Held long polls answer now, with 401, instead of after up to 30 s.
  deps.sim.watchers.notify(agent.username);
  sendJson(res, 200, { username: agent.username, ...revoked });
}

function setFaults({ res, body, deps }: Call): void {
  const spec = parseFaultSpec(body);
  deps.faults.set(spec);
  const dropped = spec.down ? deps.api.dropInFlight((op) => deps.faults.isDown(op)) : 0;
  sendJson(res, 200, { faults: deps.faults.current(), dropped });
}

const ROUTE_LIST = [
  'POST /sim/login', 'POST /sim/contacts', 'POST /sim/contacts/:contactId/hangup', 'POST /sim/contacts/:contactId/message',
  'GET /sim/contacts/:contactId/transcript', 'GET /sim/agents/:username', 'POST /sim/agents/:username/expire-session',
  'POST /sim/agents/:username/bulk-contacts',
  'GET /sim/stats', 'POST /sim/stats/reset', 'GET /sim/faults', 'POST /sim/faults', 'DELETE /sim/faults', 'POST /sim/reset',
];

/** `GET /sim`: tells a page (the CCP's control strip) that the control API is on, and what it offers. */
function describe({ res }: Call): void {
  sendJson(res, 200, { enabled: true, routes: ROUTE_LIST });
}

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/sim\/?$/, run: describe },
  { method: 'POST', pattern: /^\/sim\/login$/, run: login },
  { method: 'POST', pattern: /^\/sim\/contacts$/, run: inbound },
  { method: 'POST', pattern: /^\/sim\/contacts\/([^/]+)\/hangup$/, run: hangup },
  { method: 'POST', pattern: /^\/sim\/contacts\/([^/]+)\/message$/, run: message },
  { method: 'GET', pattern: /^\/sim\/contacts\/([^/]+)\/transcript$/, run: transcript },
  { method: 'GET', pattern: /^\/sim\/agents\/([^/]+)$/, run: agentView },
  { method: 'POST', pattern: /^\/sim\/agents\/([^/]+)\/expire-session$/, run: expireSession },
  { method: 'POST', pattern: /^\/sim\/agents\/([^/]+)\/bulk-contacts$/, run: bulkContacts },
  { method: 'GET', pattern: /^\/sim\/stats$/, run: ({ res, deps }) => sendJson(res, 200, deps.stats.view()) },
  { method: 'POST', pattern: /^\/sim\/stats\/reset$/, run: ({ res, deps }) => { deps.stats.reset(); sendJson(res, 200, { ok: true }); } },
  { method: 'GET', pattern: /^\/sim\/faults$/, run: ({ res, deps }) => sendJson(res, 200, { faults: deps.faults.current() }) },
  { method: 'POST', pattern: /^\/sim\/faults$/, run: setFaults },
  { method: 'DELETE', pattern: /^\/sim\/faults$/, run: ({ res, deps }) => { deps.faults.clear(); sendJson(res, 200, { faults: {} }); } },
  { method: 'POST', pattern: /^\/sim\/reset$/, run: ({ res, deps }) => { deps.sim.reset(); sendJson(res, 200, { ok: true }); } },
];

function decodeParams(match: RegExpExecArray): string[] {
  return match.slice(1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      throw validationError('path parameter is not valid percent-encoding');
    }
  });
}

/**
 * What start-up prints about the control token (empty when none is needed): the only place the token appears. Pages
 * never get it — the CCP's and inspector's control strip stays hidden where a token is needed.
 */
export function controlBanner(token: string | undefined): string {
  if (!token) return '';
  return `Control API (/sim/*) is open beyond loopback: send "${CONTROL_TOKEN_HEADER}: ${token}" on every call `
    + '(e2e fixtures and scripts: CONTROL_TOKEN=<token>).';
}

/** Whether the control API answers at all here: off, or `auto` beyond loopback, leaves `/sim/*` to the 404. */
export function controlEnabled(access: ControlAccess): boolean {
  return access.mode !== ControlApiMode.OFF && (access.local || access.mode === ControlApiMode.ON);
}

function checkAccess(req: IncomingMessage, deps: ControlDeps): void {
  if (!deps.hosts.isSameOrigin(req)) {
    throw notSameOrigin(`${req.headers.origin ?? 'another site'} may not drive the simulation: the control API answers `
      + 'scripts and the CCP origin only');
  }
  if (deps.control.local) return;
  const given = req.headers[CONTROL_TOKEN_HEADER.toLowerCase()];
  if (typeof given !== 'string' || deps.control.token === undefined || !sameSecret(given, deps.control.token)) {
    throw controlTokenRequired(`the control API is open beyond loopback: send the token printed at start-up in ${CONTROL_TOKEN_HEADER}`);
  }
}

/** Handles `/sim/*`; false when the path is not under `/sim` or the control API is off here. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps):
  Promise<boolean> {
  if (url.pathname !== '/sim' && !url.pathname.startsWith('/sim/')) return false;
  if (!controlEnabled(deps.control)) return false;
  try {
    checkAccess(req, deps);
    const candidates = ROUTES.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      if (candidates.length === 0) throw controlNotFound(`no control route ${url.pathname}`);
      throw new CtiError('MethodNotAllowedException', `${req.method} is not allowed on ${url.pathname}`, 405);
    }
    const body = req.method === 'GET' ? {} : parseJsonObject(await readBody(req, MAX_CONTROL_BODY_BYTES));
    route.run({ req, res, params: decodeParams(route.pattern.exec(url.pathname)!), body, deps });
  } catch (err) {
    const error = asCtiError(err);
    if (error.status >= 500) deps.logger.error('control request failed', { path: url.pathname, error: String(err) });
    sendError(res, error);
  }
  return true;
}
