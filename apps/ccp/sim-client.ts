/**
 * A client for the backend's control API (`/sim/*`, same origin as the CCP) used by the control strip and by the
 * chat reply box (the simulated chat service). Failures reject with a typed `{type, message}`.
 */
import type { TypedError } from './connect-global';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface FaultSettings {
  latencyMs?: number;
  errorRate?: number;
  status?: number;
  down?: boolean;
}

export interface InboundSettings {
  type: 'voice' | 'chat' | 'queue_callback';
  username?: string;
  from?: string;
  attributes?: Record<string, string>;
}

function typedError(status: number, body: unknown, fallback: string): TypedError {
  const o = (body && typeof body === 'object' ? body : {}) as { type?: unknown; __type?: unknown; message?: unknown };
  const type = typeof o.type === 'string' ? o.type : typeof o.__type === 'string' ? o.__type : `HTTP ${status}`;
  return { type, message: typeof o.message === 'string' ? o.message : fallback };
}

export class SimClient {
  constructor(private readonly fetchFn: FetchLike = (input, init) => fetch(input, init), private readonly base = '') {}

  /** True when the control API answers (`GET /sim` is 200); false when it is off (404) or unreachable. */
  async isEnabled(): Promise<boolean> {
    try {
      const res = await this.fetchFn(`${this.base}/sim`, { credentials: 'same-origin' });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw { type: 'NetworkError', message: `${method} ${path}: ${e instanceof Error ? e.message : String(e)}` } satisfies TypedError;
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw typedError(res.status, parsed, `${method} ${path} answered ${res.status}`);
    return parsed as T;
  }

  inbound(settings: InboundSettings): Promise<{ contactId: string; username: string }> {
    return this.call('POST', '/sim/contacts', settings);
  }

  hangup(contactId: string): Promise<unknown> {
    return this.call('POST', `/sim/contacts/${encodeURIComponent(contactId)}/hangup`);
  }

  message(contactId: string, text: string, participant: 'CUSTOMER' | 'AGENT'): Promise<unknown> {
    return this.call('POST', `/sim/contacts/${encodeURIComponent(contactId)}/message`, { text, participant });
  }

  expireSession(username: string): Promise<unknown> {
    return this.call('POST', `/sim/agents/${encodeURIComponent(username)}/expire-session`);
  }

  setFaults(faults: FaultSettings): Promise<{ faults: FaultSettings }> {
    return this.call('POST', '/sim/faults', faults);
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/sim/faults');
  }

  reset(): Promise<unknown> {
    return this.call('POST', '/sim/reset');
  }
}

/** Several control-API users on one page share one answer to "is it on?". */
let enabled: Promise<boolean> | null = null;
export function controlApiEnabled(client: SimClient): Promise<boolean> {
  enabled ??= client.isEnabled();
  return enabled;
}
