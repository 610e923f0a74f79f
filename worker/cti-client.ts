/**
 * The CTI backend over HTTP: AWS JSON 1.0 (`POST`, `X-Amz-Target: AmazonConnectCTIService.<Op>`), bearer token in
 * the header and (for most operations) in the body's `authentication`. Every call has a deadline; failures are
 * `CtiError`s with the exception name as `type`. Retry-safe calls (reads, and writes carrying an idempotency key)
 * are retried a couple of times on transient failures within their deadline.
 */
import {
  BEARER_HEADER, CTI_CONTENT_TYPE, CTI_TARGET_PREFIX, IDEMPOTENCY_HEADER, MUTATING_OPERATIONS, TARGET_HEADER,
  type CtiInput, type CtiOperation, type CtiOutput,
} from '../shared/cti';
import { ErrorType } from '../shared/protocol';
import { ABORTED, CtiError, isTransient, THROTTLED } from './cti-error';
import { Backoff } from './backoff';
import { DEFAULT_TIMINGS } from './timings';

export interface CtiCallOptions {
  /** Sent as `X-Idempotency-Token`; makes a write safe to retry. */
  idempotencyKey?: string;
  /** Aborts the call (the engine stopping); it then fails with `AbortError`. */
  signal?: AbortSignal;
  /** Deadline of the whole call, retries included; it then fails with `TimeoutError`. */
  timeoutMs?: number;
  /** Override of the retry count (the long poll passes 0: the poller has its own backoff). */
  retries?: number;
}

/** What the engine needs from the backend. */
export interface CtiClient {
  /**
   * One operation; resolves with its output or rejects with a `CtiError`.
   *
   * @example
   * const { configuration } = await cti.call('GetAgentConfiguration', {}, { timeoutMs: 15_000 });
   */
  call<Op extends CtiOperation>(op: Op, input: CtiInput<Op>, opts?: CtiCallOptions): Promise<CtiOutput<Op>>;
  /** The token used from the next call on (undefined: none yet). */
  setAuthToken(token: string | undefined): void;
}

/** Operations whose body carries no `authentication` (as the original client sent them). */
const NO_AUTH_BODY: ReadonlySet<CtiOperation> = new Set<CtiOperation>([
  'ClearContact', 'CompleteContact', 'RejectContact', 'CreateTaskContact',
]);

export interface HttpCtiClientOptions {
  /** The CTI endpoint, e.g. `new URL('/api', self.location.origin)`. */
  endpoint: string | URL;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  defaultTimeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
  /** Extra headers sent with every call (e.g. `X-Engine-Id`). */
  headers?: Record<string, string>;
}

/**
 * `CtiClient` over `fetch`.
 *
 * @example
 * const cti = new HttpCtiClient({ endpoint: new URL('/api', self.location.origin) });
 * cti.setAuthToken(token);
 * await cti.call('AcceptContact', { contactId }, { idempotencyKey: crypto.randomUUID() });
 */
export class HttpCtiClient implements CtiClient {
  private token: string | undefined;
  private readonly endpoint: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly defaultTimeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly extraHeaders: Record<string, string>;

  constructor(opts: HttpCtiClientOptions) {
    this.endpoint = String(opts.endpoint);
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? (() => Date.now());
    this.random = opts.random ?? Math.random;
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMINGS.requestDeadlineMs;
    this.retries = opts.retries ?? DEFAULT_TIMINGS.ctiRetries;
    this.retryBaseMs = opts.retryBaseMs ?? DEFAULT_TIMINGS.ctiRetryBaseMs;
    this.extraHeaders = { ...(opts.headers ?? {}) };
  }

  setAuthToken(token: string | undefined): void {
    this.token = token;
  }

  async call<Op extends CtiOperation>(op: Op, input: CtiInput<Op>, opts: CtiCallOptions = {}): Promise<CtiOutput<Op>> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = this.now() + timeoutMs;
    const call = new CallAbort(opts.signal, timeoutMs);
    const retrySafe = !MUTATING_OPERATIONS.has(op) || opts.idempotencyKey !== undefined;
    const retries = retrySafe ? (opts.retries ?? this.retries) : 0;
    const backoff = new Backoff(this.retryBaseMs, timeoutMs, this.random);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.once(op, input, opts.idempotencyKey, call);
        } catch (e) {
          const err = call.explain(e);
          if (attempt >= retries || !isTransient(err) || err.type === ErrorType.TIMEOUT || err.type === ABORTED) throw err;
          const wait = backoff.next(err);
          if (this.now() + wait >= deadline) throw err;
          await call.sleep(wait);
        }
      }
    } catch (e) {
      throw call.explain(e);
    } finally {
      call.dispose();
    }
  }

  private async once<Op extends CtiOperation>(op: Op, input: CtiInput<Op>, idempotencyKey: string | undefined,
    call: CallAbort): Promise<CtiOutput<Op>> {
    const { authentication: _dropped, ...params } = input as Record<string, unknown>;
    const body = NO_AUTH_BODY.has(op) ? params : { ...params, authentication: { authToken: this.token } };
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      'Content-Type': CTI_CONTENT_TYPE,
      [TARGET_HEADER]: `${CTI_TARGET_PREFIX}.${op}`,
    };
    if (this.token) headers[BEARER_HEADER] = this.token;
    if (idempotencyKey) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(this.endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal: call.signal });
      text = await res.text();
    } catch (e) {
      throw call.explain(e, `${op}: the backend could not be reached (${errorText(e)})`);
    }
    if (!res.ok) throw this.errorFrom(op, res, text);
    return parseOutput(op, text, res.status) as CtiOutput<Op>;
  }

  private errorFrom(op: CtiOperation, res: Response, text: string): CtiError {
    const body = parseJsonObject(text);
    const named = exceptionName(body?.__type) ?? exceptionName(body?.code) ?? exceptionName(res.headers.get('x-amzn-ErrorType'));
    const message = stringOr(body?.message, stringOr(body?.Message, `${op}: HTTP ${res.status}`));
    if (res.status === 429) return new CtiError(THROTTLED, message, 429, parseRetryAfter(res.headers.get('Retry-After'), this.now()));
    const type = named ?? statusType(res.status);
    return new CtiError(type, message, res.status, parseRetryAfter(res.headers.get('Retry-After'), this.now()));
  }
}

/** The deadline timer and the caller's signal, merged into one `AbortSignal`. */
class CallAbort {
  private readonly controller = new AbortController();
  private timedOut = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(private readonly outer: AbortSignal | undefined, private readonly timeoutMs: number) {
    this.timer = setTimeout(() => { this.timedOut = true; this.controller.abort(); }, timeoutMs);
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', this.onOuterAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The failure as a `CtiError`, telling a deadline from the caller's abort from a network failure. */
  explain(e: unknown, networkMessage?: string): CtiError {
    if (this.timedOut) return new CtiError(ErrorType.TIMEOUT, `no answer within ${this.timeoutMs} ms`, 0);
    if (this.controller.signal.aborted) return new CtiError(ABORTED, 'the call was aborted', 0);
    if (e instanceof CtiError) return e;
    return new CtiError(ErrorType.NETWORK, networkMessage ?? errorText(e), 0);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => { clearTimeout(t); this.controller.signal.removeEventListener('abort', done); };
      const t = setTimeout(() => { done(); resolve(); }, ms);
      this.controller.signal.addEventListener('abort', () => { done(); reject(new Error('aborted')); }, { once: true });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

function parseOutput(op: CtiOperation, text: string, status: number): unknown {
  if (text.trim() === '') return {};
  const body = parseJsonObject(text);
  if (!body) throw new CtiError(ErrorType.NETWORK, `${op}: the answer is not a JSON object`, status);
  return body;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `ns#UnauthorizedException` or `UnauthorizedException:http://…` → `UnauthorizedException`. */
function exceptionName(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const afterHash = raw.slice(raw.lastIndexOf('#') + 1);
  const name = afterHash.split(':')[0]?.trim();
  return name ? name : undefined;
}

function statusType(status: number): string {
  if (status === 401) return ErrorType.UNAUTHORIZED;
  if (status === 403) return ErrorType.ACCESS_DENIED;
  return ErrorType.NETWORK;
}

/** `Retry-After` as seconds or an HTTP date, in ms from now. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
