/**
 * `POST /api` (and `/connect/api`): the CTI service, AWS JSON 1.0. One request goes through:
 *   origin check → operation from X-Amz-Target → "down" fault → body (capped) → token → stats → latency and error
 *   faults → auth verdict → idempotency → handler (validates fully, then applies) → answer.
 * A handler's CtiError becomes `{"__type", "message"}` with its status; anything else is a logged 500, never a crash.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BEARER_HEADER, CTI_CONTENT_TYPE, CTI_TARGET_PREFIX, ENGINE_ID_HEADER, IDEMPOTENCY_HEADER, MUTATING_OPERATIONS,
  TARGET_HEADER, type CtiOperation,
} from '../shared/cti';
import type { AuthService, TokenCheck } from './auth';
import type { OpContext } from './cti/context';
import { isOperation, OPERATION_HANDLERS } from './cti/operations';
import { accessDenied, asCtiError, CtiError, unauthorized, validationError } from './errors';
import type { FaultInjector } from './faults';
import { parseJsonObject, readBody, sendJson } from './http';
import { checkIdempotencyToken, type IdempotencyStore, type Outcome } from './idempotency';
import type { BackendLogger } from './log';
import type { LongPollLimiter } from './long-poll-limiter';
import type { ApprovedOrigins } from './origins';
import type { Simulation } from './sim/simulation';
import type { BackendStats } from './stats';
import { isObject, optionalString, type JsonObject } from './validate';

export interface ApiDeps {
  sim: Simulation;
  auth: AuthService;
  stats: BackendStats;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  origins: ApprovedOrigins;
  logger: BackendLogger;
  longPolls: LongPollLimiter;
}

/** Filled in while a request is handled, for the request log line. */
export interface RequestInfo {
  op?: string;
  agent?: string;
}

interface InFlight {
  op: string;
  res: ServerResponse;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function operationOf(req: IncomingMessage): CtiOperation | CtiError {
  const target = header(req, TARGET_HEADER);
  if (target === undefined) return new CtiError('UnknownOperationException', `${TARGET_HEADER} header is required`, 400);
  const prefix = `${CTI_TARGET_PREFIX}.`;
  const name = target.startsWith(prefix) ? target.slice(prefix.length) : '';
  if (!isOperation(name)) {
    return new CtiError('UnknownOperationException', `${TARGET_HEADER} "${target.slice(0, 200)}" is not an operation of ${CTI_TARGET_PREFIX}`, 400);
  }
  return name;
}

/** The body's `authentication` member (shape S2), checked whether or not the header carries the token. */
function authenticationOf(input: JsonObject): { authToken?: string; agentARN?: string } {
  const auth = input.authentication;
  if (auth === undefined || auth === null) return {};
  if (!isObject(auth)) throw validationError('authentication must be an object');
  return { authToken: optionalString(auth, 'authToken', 'authentication'),
    agentARN: optionalString(auth, 'agentARN', 'authentication') };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

function errorOutcome(err: CtiError): Outcome {
  return { status: err.status, body: err.toBody() };
}

export class CtiApi {
  private readonly inFlight = new Set<InFlight>();

  constructor(private readonly deps: ApiDeps) {}

  /** Drops (destroys the connection of) every in-flight request whose operation matches: the "down" fault. */
  dropInFlight(matches: (op: string) => boolean): number {
    let dropped = 0;
    for (const entry of [...this.inFlight]) {
      if (!matches(entry.op)) continue;
      entry.res.destroy();
      dropped++;
    }
    return dropped;
  }

  async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
    const cors = this.deps.origins.corsHeaders(req);
    const reply = (outcome: Outcome): void => {
      const body = outcome.body as Partial<{ __type: string }>;
      const errorHeader: Record<string, string> = outcome.status >= 400 && body.__type ? { 'x-amzn-ErrorType': body.__type } : {};
      sendJson(res, outcome.status, outcome.body, { 'Content-Type': CTI_CONTENT_TYPE, ...cors, ...errorHeader });
    };
    if (req.method === 'OPTIONS') return this.deps.origins.answerPreflight(req, res);
    if (req.method !== 'POST') return reply(errorOutcome(new CtiError('MethodNotAllowedException', 'use POST', 405)));
    if (!this.deps.origins.allows(req)) {
      return reply(errorOutcome(accessDenied(`origin ${req.headers.origin} is not an approved origin`)));
    }
    const op = operationOf(req);
    info.op = typeof op === 'string' ? op : '(unknown)';
    if (typeof op === 'string' && this.deps.faults.isDown(op)) {
      this.deps.stats.countRequest(op);
      res.destroy();
      return;
    }
    const entry: InFlight = { op: info.op, res };
    this.inFlight.add(entry);
    const aborted = new AbortController();
    res.on('close', () => {
      this.inFlight.delete(entry);
      if (!res.writableFinished) aborted.abort();
    });
    try {
      reply(await this.process(req, op, info, aborted.signal));
    } catch (err) {
      const error = asCtiError(err);
      if (error.status >= 500) this.deps.logger.error('CTI request failed', { op: info.op, error: String(err) });
      reply(errorOutcome(error));
    }
  }

  private async process(req: IncomingMessage, op: CtiOperation | CtiError, info: RequestInfo, signal: AbortSignal):
    Promise<Outcome> {
    const input = parseJsonObject(await readBody(req));
    if (op instanceof CtiError) {
      this.deps.stats.countRequest('(unknown)');
      throw op;
    }
    const authentication = authenticationOf(input);
    // The bearer: `X-Amz-Bearer`, else the body's `authentication.authToken`.
    const token = header(req, BEARER_HEADER) || authentication.authToken;
    const verdict: TokenCheck = this.deps.auth.check(token);
    if (verdict.ok) info.agent = verdict.username;
    this.deps.stats.countRequest(op, info.agent);
    if (op === 'GetAgentSnapshot' && info.agent !== undefined) this.deps.stats.pollStarted(info.agent, header(req, ENGINE_ID_HEADER));
    const latency = this.deps.faults.latencyFor(op);
    if (latency > 0) await sleep(latency, signal);
    const injected = this.deps.faults.errorFor(op);
    if (injected) return errorOutcome(injected);
    if (!verdict.ok) throw unauthorized(verdict.reason);
    const agent = this.deps.sim.requireAgent(verdict.username);
    if (authentication.agentARN !== undefined && authentication.agentARN !== agent.agentARN) {
      throw accessDenied('authentication.agentARN is not the token\'s agent');
    }
    // A long poll takes one of its token's slots; past the cap the oldest held poll answers at once.
    const slot = op === 'GetAgentSnapshot' && token ? this.deps.longPolls.hold(token) : undefined;
    const ctx: OpContext = {
      sim: this.deps.sim, auth: this.deps.auth, stats: this.deps.stats, username: agent.username,
      agent: () => this.deps.sim.requireAgent(agent.username),
      host: req.headers.host ?? 'localhost',
      signal: slot ? AbortSignal.any([signal, slot.signal]) : signal,
      stillAuthorized: () => this.deps.auth.check(token).ok,
    };
    try {
      return await this.applyOnce(op, ctx, input, header(req, IDEMPOTENCY_HEADER));
    } finally {
      slot?.release();
    }
  }

  /** Runs the handler; a mutating call with an idempotency token runs at most once per (agent, token). */
  private async applyOnce(op: CtiOperation, ctx: OpContext, input: JsonObject, idemToken: string | undefined):
    Promise<Outcome> {
    const execute = async (): Promise<Outcome> => {
      try {
        return { status: 200, body: (await OPERATION_HANDLERS[op](ctx, input)) ?? {} };
      } catch (err) {
        const error = asCtiError(err);
        if (error.status >= 500) this.deps.logger.error('CTI handler failed', { op, error: String(err) });
        return errorOutcome(error);
      }
    };
    const mutating = MUTATING_OPERATIONS.has(op);
    if (!mutating || idemToken === undefined) {
      const outcome = await execute();
      if (mutating && outcome.status === 200) this.deps.stats.countApplied(op, ctx.username);
      return outcome;
    }
    checkIdempotencyToken(idemToken);
    const { outcome, replayed } = await this.deps.idempotency.run(ctx.username, idemToken, op, execute, input);
    if (!replayed && outcome.status === 200) this.deps.stats.countApplied(op, ctx.username);
    return outcome;
  }
}
