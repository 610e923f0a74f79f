/**
 * One configuration round: `GetAgentConfiguration` plus the four paginated lists, each followed through every page,
 * assembled into the `AgentConfiguration` tabs see. The three lists that do not depend on the configuration start at
 * once, in parallel with it; the routing-profile queues start when its ARN is known.
 */
import type { AgentConfiguration, AgentState, CtiOperation, CtiOutput, Queue } from '../shared/cti';
import { ErrorType } from '../shared/protocol';
import type { CtiClient } from './cti-client';
import { CtiError } from './cti-error';

export interface ConfigLoadOptions {
  pageSize: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A server whose `nextToken` never ends must not keep the engine paging forever. */
const MAX_PAGES = 1_000;

type PagedOp = 'GetAgentPermissions' | 'GetAgentStates' | 'GetDialableCountryCodes' | 'GetRoutingProfileQueues';

/**
 * Every item of a paginated list, in server order.
 *
 * @example
 * const states = await allPages(cti, 'GetAgentStates', {}, (o) => o.states, opts);
 */
export async function allPages<Op extends PagedOp, Item>(cti: CtiClient, op: Op, input: Record<string, unknown>,
  items: (out: CtiOutput<Op>) => Item[] | undefined, opts: ConfigLoadOptions): Promise<Item[]> {
  const out: Item[] = [];
  const seen = new Set<string>();
  let nextToken: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await cti.call(op as CtiOperation, { ...input, nextToken, maxResults: opts.pageSize } as never,
      { timeoutMs: opts.timeoutMs, signal: opts.signal }) as CtiOutput<Op> & { nextToken?: string | null };
    const got = items(res);
    if (!Array.isArray(got)) throw new CtiError(ErrorType.NETWORK, `${op}: the answer has no list`, 200);
    out.push(...got);
    if (!res.nextToken) return out;
    if (seen.has(res.nextToken)) throw new CtiError(ErrorType.NETWORK, `${op}: nextToken repeats`, 200);
    seen.add(res.nextToken);
    nextToken = res.nextToken;
  }
  throw new CtiError(ErrorType.NETWORK, `${op}: more than ${MAX_PAGES} pages`, 200);
}

/**
 * The whole configuration (raw: aliases are added when the state is built).
 *
 * @example
 * const configuration = await loadConfiguration(cti, { pageSize: 500, timeoutMs: 15_000 });
 */
export async function loadConfiguration(cti: CtiClient, opts: ConfigLoadOptions): Promise<AgentConfiguration> {
  const callOpts = { timeoutMs: opts.timeoutMs, signal: opts.signal };
  const core = cti.call('GetAgentConfiguration', {}, callOpts).then((r) => {
    if (!r || typeof r.configuration !== 'object' || r.configuration === null) {
      throw new CtiError(ErrorType.NETWORK, 'GetAgentConfiguration: the answer has no configuration', 200);
    }
    return r.configuration;
  });
  const permissions = allPages(cti, 'GetAgentPermissions', {}, (o) => o.permissions, opts);
  const agentStates = allPages<'GetAgentStates', AgentState>(cti, 'GetAgentStates', {}, (o) => o.states, opts);
  const dialableCountries = allPages(cti, 'GetDialableCountryCodes', {}, (o) => o.countryCodes, opts);
  const queues = core.then((c) => {
    const arn = c.routingProfile?.routingProfileARN;
    return arn
      ? allPages<'GetRoutingProfileQueues', Queue>(cti, 'GetRoutingProfileQueues', { routingProfileARN: arn }, (o) => o.queues, opts)
      : [];
  });
  // Settle all before failing, so no call is left running unobserved after a failed round.
  const [c, p, s, d, q] = await Promise.allSettled([core, permissions, agentStates, dialableCountries, queues]);
  for (const r of [c, p, s, d, q]) if (r.status === 'rejected') throw r.reason;
  const cfg = (c as PromiseFulfilledResult<Awaited<typeof core>>).value;
  return {
    ...cfg,
    routingProfile: { ...cfg.routingProfile, queues: (q as PromiseFulfilledResult<Queue[]>).value },
    permissions: (p as PromiseFulfilledResult<string[]>).value,
    agentStates: (s as PromiseFulfilledResult<AgentState[]>).value,
    dialableCountries: (d as PromiseFulfilledResult<string[]>).value,
  };
}
