/**
 * A fake engine link for unit tests: records every call, answers requests from per-method handlers (default `{}`),
 * and, when `loopback` is on, delivers broadcasts back to this tab's bus asynchronously as the engine would.
 */
import type { MasterMethod, MasterResult, WireError } from '../../shared/protocol';
import { getContext, type Upstream } from '../../client/tab/context';

export interface RecordedRequest {
  method: string;
  params: Record<string, unknown>;
}

type Handler = (params: Record<string, unknown>) => unknown;

export class FakeUpstream implements Upstream {
  readonly requests: RecordedRequest[] = [];
  readonly broadcasts: { event: string; data: unknown }[] = [];
  readonly masterCalls: { method: MasterMethod; topic: string }[] = [];
  reloads = 0;
  private readonly handlers = new Map<string, Handler>();
  masterAnswer: (method: MasterMethod, topic: string) => MasterResult | WireError =
    (_m, topic) => ({ topic, masterId: 'me', isMaster: true });

  constructor(private readonly loopback = false) {}

  /** Answers `method` with `f(params)` (a thrown value becomes the rejection). */
  on(method: string, f: Handler): this {
    this.handlers.set(method, f);
    return this;
  }

  /** Makes `method` fail with `error`. */
  failWith(method: string, error: WireError): this {
    return this.on(method, () => { throw error; });
  }

  request(method: string, params: Record<string, unknown>): Promise<unknown> {
    this.requests.push({ method, params: JSON.parse(JSON.stringify(params)) as Record<string, unknown> });
    const h = this.handlers.get(method);
    try {
      return Promise.resolve(h ? h(params) : {});
    } catch (e) {
      return Promise.reject(e);
    }
  }

  master(method: MasterMethod, topic: string): Promise<MasterResult> {
    this.masterCalls.push({ method, topic });
    const a = this.masterAnswer(method, topic);
    return 'isMaster' in a ? Promise.resolve(a) : Promise.reject(a);
  }

  broadcast(event: string, data?: unknown): void {
    this.broadcasts.push({ event, data });
    if (this.loopback) {
      const json = JSON.stringify(data ?? null);
      queueMicrotask(() => getContext().bus.trigger(event, JSON.parse(json)));
    }
  }

  reloadConfiguration(): void {
    this.reloads++;
  }

  methods(): string[] {
    return this.requests.map((r) => r.method);
  }
}

/** `{success, failure}` callbacks and a promise of whichever is called first. */
export function outcome<T = unknown>(): {
  callbacks: { success: (data: T) => void; failure: (error: WireError) => void };
  result: Promise<{ ok: true; data: T } | { ok: false; error: WireError }>;
} {
  let resolve!: (r: { ok: true; data: T } | { ok: false; error: WireError }) => void;
  const result = new Promise<{ ok: true; data: T } | { ok: false; error: WireError }>((r) => { resolve = r; });
  return {
    callbacks: { success: (data) => resolve({ ok: true, data }), failure: (error) => resolve({ ok: false, error }) },
    result,
  };
}

/** Lets queued microtasks and promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}
