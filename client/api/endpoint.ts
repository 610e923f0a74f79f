/**
 * `connect.Endpoint` (alias `connect.Address`): where a contact or connection goes — a phone number, an agent or a
 * queue (quick connects come back from `agent.getEndpoints` as these).
 */
import type { Endpoint as CtiEndpoint, Queue } from '../../shared/cti';
import { EndpointType } from '../../shared/enums';

export interface EndpointParams {
  endpointARN?: string | null;
  /** Alias of `endpointARN` accepted on input, as the original did. */
  endpointId?: string | null;
  type?: string | null;
  name?: string | null;
  phoneNumber?: string | null;
  agentLogin?: string | null;
  queue?: Queue | null;
}

/**
 * @example
 * const ep = connect.Endpoint.byPhoneNumber('+12065550100', 'Customer');
 * agent.connect(ep, { success: () => {}, failure: (e) => console.log(e.type) });
 */
export class Endpoint {
  endpointARN: string | null;
  endpointId: string | null;
  type: string | null;
  name: string | null;
  phoneNumber: string | null;
  agentLogin: string | null;
  queue: Queue | null;

  constructor(params: EndpointParams = {}) {
    const p = params ?? {};
    this.endpointARN = p.endpointId ?? p.endpointARN ?? null;
    this.endpointId = this.endpointARN;
    this.type = p.type ?? null;
    this.name = p.name ?? null;
    this.phoneNumber = p.phoneNumber ?? null;
    this.agentLogin = p.agentLogin ?? null;
    this.queue = p.queue ?? null;
  }

  /** The phone number without a `sip:` prefix or `@host` suffix (`sip:+1206…@host` → `+1206…`). */
  stripPhoneNumber(): string {
    const n = this.phoneNumber ?? '';
    const m = /^sip:([^@]*)@/.exec(n);
    return m ? m[1]! : n;
  }

  /**
   * A phone number endpoint.
   *
   * @example
   * contact.addConnection(connect.Endpoint.byPhoneNumber('+12065550100'), callbacks);
   */
  static byPhoneNumber(number: string, name?: string): Endpoint {
    return new Endpoint({ type: EndpointType.PHONE_NUMBER, phoneNumber: number, name: name ?? null });
  }

  /** An agent endpoint (a quick connect to another agent). */
  static byAgent(agentLogin: string, endpointARN?: string, name?: string): Endpoint {
    return new Endpoint({ type: EndpointType.AGENT, agentLogin, endpointARN, name: name ?? agentLogin });
  }

  /** A queue endpoint (a quick connect that transfers into a queue). */
  static byQueue(queue: Queue, endpointARN?: string, name?: string): Endpoint {
    return new Endpoint({ type: EndpointType.QUEUE, queue, endpointARN, name: name ?? queue.name ?? null });
  }
}

/**
 * The endpoint as the CTI contract takes it: `endpointId` (a client-side alias) and absent fields left out.
 * Accepts an `Endpoint` or any object of the same shape.
 */
export function toCtiEndpoint(e: EndpointParams): CtiEndpoint {
  const out: CtiEndpoint = { type: String(e.type ?? '') };
  const arn = e.endpointARN ?? e.endpointId;
  if (arn) out.endpointARN = arn;
  if (e.name) out.name = e.name;
  if (e.phoneNumber) out.phoneNumber = e.phoneNumber;
  if (e.agentLogin) out.agentLogin = e.agentLogin;
  if (e.queue) out.queue = e.queue;
  return out;
}

/** `connect.Address` is the same class. */
export const Address = Endpoint;
