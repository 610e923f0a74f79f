/**
 * A scriptable `CtiClient` for tests: handlers per operation, a record of every call, and long polls that stay
 * pending until the test answers them.
 */
import type { AgentSnapshot, CtiInput, CtiOperation, CtiOutput } from '../../shared/cti';
import type { CtiCallOptions, CtiClient } from '../../worker/cti-client';
import { ABORTED, CtiError } from '../../worker/cti-error';
import { configuration, configurationCore } from './agent-data';

export type Handler = (input: Record<string, unknown>, opts: CtiCallOptions) => unknown;

export interface RecordedCall {
  op: CtiOperation;
  input: Record<string, unknown>;
  opts: CtiCallOptions;
  token: string | undefined;
}

export interface PendingPoll {
  input: { nextToken?: string | null; timeout?: number };
  resolve(out: { snapshot: AgentSnapshot; nextToken: string }): void;
  reject(e: unknown): void;
}

/** A handler serving `items` in pages of `size`, tokens `p1`, `p2`, …; it records each requested page. */
export function paged(key: string, items: unknown[], size: number): Handler {
  return (input) => {
    const start = input.nextToken ? Number(String(input.nextToken).slice(1)) * size : 0;
    const end = start + size;
    const out: Record<string, unknown> = { [key]: items.slice(start, end) };
    if (end < items.length) out.nextToken = `p${end / size}`;
    return out;
  };
}

export class FakeCti implements CtiClient {
  readonly calls: RecordedCall[] = [];
  readonly polls: PendingPoll[] = [];
  token: string | undefined;
  private readonly handlers = new Map<CtiOperation, Handler>();

  constructor() {
    const cfg = configuration();
    this.on('GetAgentConfiguration', () => ({ configuration: configurationCore(cfg.name) }));
    this.on('GetAgentPermissions', paged('permissions', cfg.permissions, 500));
    this.on('GetAgentStates', paged('states', cfg.agentStates, 500));
    this.on('GetDialableCountryCodes', paged('countryCodes', cfg.dialableCountries, 500));
    this.on('GetRoutingProfileQueues', paged('queues', [], 500));
  }

  on(op: CtiOperation, handler: Handler): this {
    this.handlers.set(op, handler);
    return this;
  }

  setAuthToken(token: string | undefined): void {
    this.token = token;
  }

  callsOf(op: CtiOperation): RecordedCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  call<Op extends CtiOperation>(op: Op, input: CtiInput<Op>, opts: CtiCallOptions = {}): Promise<CtiOutput<Op>> {
    const rec = { op, input: input as Record<string, unknown>, opts, token: this.token };
    this.calls.push(rec);
    if (op === 'GetAgentSnapshot' && !this.handlers.has(op)) {
      return this.pendingPoll(rec) as Promise<CtiOutput<Op>>;
    }
    const handler = this.handlers.get(op);
    return Promise.resolve().then(() => {
      if (!handler) throw new CtiError('UnknownOperation', op, 400);
      return handler(rec.input, opts) as CtiOutput<Op>;
    });
  }

  /** The oldest unanswered long poll (throws when none). */
  nextPoll(): PendingPoll {
    const p = this.polls.shift();
    if (!p) throw new Error('no pending poll');
    return p;
  }

  private pendingPoll(rec: RecordedCall): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry: PendingPoll = { input: rec.input, resolve, reject };
      this.polls.push(entry);
      rec.opts.signal?.addEventListener('abort', () => {
        const i = this.polls.indexOf(entry);
        if (i >= 0) this.polls.splice(i, 1);
        reject(new CtiError(ABORTED, 'aborted', 0));
      });
    });
  }
}
