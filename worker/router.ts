/**
 * A tab's API request → one backend call → one `Response` to that tab. Every request settles within its deadline:
 * with the operation's output, a typed error (`{type, message}` — CTI exception names pass through), or
 * `TimeoutError`. Auth failures are answered like any error and also reported to the engine (which raises `auth_fail`).
 */
import { MUTATING_OPERATIONS, operationOf, type CtiOperation } from '../shared/cti';
import { LogLevel } from '../shared/enums';
import { DownType, ErrorType, wireError, type Request, type Response, type WireError } from '../shared/protocol';
import type { CtiClient } from './cti-client';
import { asCtiError, CtiError, isUnauthorized } from './cti-error';
import { toWireError } from '../shared/errors';
import { checkParams } from './request-rules';
import type { EngineTimings } from './timings';

/** Operations tabs may not call: the long poll is the engine's own; tabs receive the state it produces. */
const ENGINE_ONLY: ReadonlySet<CtiOperation> = new Set<CtiOperation>(['GetAgentSnapshot']);

export interface RouterOptions {
  cti: CtiClient;
  timings: Pick<EngineTimings, 'requestDeadlineMs' | 'requestDeadlineCapMs'>;
  newId: () => string;
  /** A call was refused for auth (after the tab got its answer). */
  onUnauthorized: (error: CtiError) => void;
  /** A call succeeded. */
  onSuccess: (op: CtiOperation) => void;
  log: (level: LogLevel, text: string) => void;
}

/**
 * @example
 * const router = new Router({ cti, timings, newId: () => crypto.randomUUID(), onUnauthorized, onSuccess, log });
 * const res = await router.handle({ type: 'request', requestId: 'r1', method: 'acceptContact', params: { contactId } });
 * // { type: 'response', requestId: 'r1', ok: true, data: {} }
 */
export class Router {
  constructor(private readonly o: RouterOptions) {}

  async handle(req: Request): Promise<Response> {
    const op = operationOf(req.method);
    if (!op || ENGINE_ONLY.has(op)) {
      const why = op ? `${req.method} is the engine's own long poll; tabs receive the state it produces` : `no such method: ${req.method}`;
      return failure(req.requestId, wireError(ErrorType.UNKNOWN_METHOD, why));
    }
    const { authentication: _ignored, ...params } = req.params;
    const invalid = checkParams(op, params);
    if (invalid) return failure(req.requestId, invalid);
    const deadline = Math.min(req.timeoutMs ?? this.o.timings.requestDeadlineMs, this.o.timings.requestDeadlineCapMs);
    // Writes always carry a key, so the CTI client may retry them without applying them twice.
    const idempotencyKey = req.idempotencyKey ?? (MUTATING_OPERATIONS.has(op) ? this.o.newId() : undefined);
    try {
      const data = await this.callWithDeadline(op, params, idempotencyKey, deadline);
      this.o.onSuccess(op);
      return { type: DownType.RESPONSE, requestId: req.requestId, ok: true, data };
    } catch (e) {
      const err = asCtiError(e);
      if (err.type !== ErrorType.TIMEOUT) this.o.log(LogLevel.INFO, `${op} failed: ${err.type}: ${err.message}`);
      else this.o.log(LogLevel.WARN, `${op}: no answer within ${deadline} ms`);
      const answer = failure(req.requestId, toWireError(err));
      if (isUnauthorized(err)) queueMicrotask(() => this.o.onUnauthorized(err));
      return answer;
    }
  }

  /** The call, settled by its own deadline even if the client ignored the abort. */
  private callWithDeadline(op: CtiOperation, params: Record<string, unknown>, idempotencyKey: string | undefined,
    deadline: number): Promise<unknown> {
    const controller = new AbortController();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new CtiError(ErrorType.TIMEOUT, `no answer within ${deadline} ms`, 0));
        controller.abort();
      }, deadline);
      this.o.cti.call(op, params as never, { idempotencyKey, signal: controller.signal, timeoutMs: deadline })
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }
}

function failure(requestId: string, error: WireError): Response {
  return { type: DownType.RESPONSE, requestId, ok: false, error };
}
