/**
 * The rules behind two agent actions that do more than one request: configuration validation (`setConfiguration`)
 * and endpoint pagination (`getEndpoints`).
 */
import type { AgentConfiguration, AgentConfigurationCore, Endpoint as CtiEndpoint } from '../../shared/cti';
import { ValidationError } from './errors';
import type { Upstream } from '../tab/tab-context';
import { Endpoint } from './endpoint';

/** E.164: a `+`, a non-zero country digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The locales the CCP offers (`agentPreferences.locale`). */
export const SUPPORTED_LOCALES: readonly string[] = [
  'en_US', 'de_DE', 'es_ES', 'fr_FR', 'ja_JP', 'it_IT', 'ko_KR', 'pt_BR', 'zh_CN', 'zh_TW',
];

/** Page size of `getEndpoints`, as the original's batch size (the backend's maximum). */
export const ENDPOINTS_PAGE_SIZE = 500;
/** Pages followed at most: 200 × 500 endpoints is far above any real quick-connect list, and a backend that keeps
 * answering with new tokens must not keep the action from settling. */
export const MAX_ENDPOINT_PAGES = 200;

/**
 * The configuration to send: the current one overlaid with `given`, restricted to what `UpdateAgentConfiguration`
 * takes (the lists the engine assembles — permissions, states, countries, queues — are not sent back).
 * Throws `ValidationError` naming the field.
 */
export function validateConfiguration(current: AgentConfiguration, given: Partial<AgentConfigurationCore>): AgentConfigurationCore {
  if (!given || typeof given !== 'object') throw new ValidationError('configuration must be an object');
  const merged = { ...current, ...given };
  if (typeof merged.softphoneEnabled !== 'boolean') throw new ValidationError('configuration.softphoneEnabled must be a boolean');
  if (typeof merged.extension !== 'string') throw new ValidationError('configuration.extension must be a string');
  if (!merged.softphoneEnabled && !E164.test(merged.extension)) {
    throw new ValidationError(`configuration.extension must be an E.164 number (e.g. +12065550100) when softphone is disabled; got "${merged.extension}"`);
  }
  const locale = merged.agentPreferences?.locale;
  if (locale !== undefined && !SUPPORTED_LOCALES.includes(locale)) {
    throw new ValidationError(`configuration.agentPreferences.locale "${locale}" is not one of ${SUPPORTED_LOCALES.join(', ')}`);
  }
  const { queues: _queues, routingProfileId: _id, ...routingProfile } = merged.routingProfile ?? {};
  const out: AgentConfigurationCore = {
    name: merged.name,
    softphoneEnabled: merged.softphoneEnabled,
    softphoneAutoAccept: !!merged.softphoneAutoAccept,
    extension: merged.extension,
    routingProfile,
  };
  if (merged.username !== undefined) out.username = merged.username;
  if (merged.agentPreferences !== undefined) out.agentPreferences = { ...merged.agentPreferences };
  return out;
}

export interface EndpointPageInfo {
  /** Endpoints to add in front of the fetched ones. */
  endpoints?: (Endpoint | CtiEndpoint)[];
  maxResults?: number;
  /** Start from this page. */
  nextToken?: string | null;
}

/** Follows every page of `getEndpoints` for `queueARNs`. Rejects with the first failure (typed). */
export async function fetchAllEndpoints(upstream: Upstream, queueARNs: string | string[], pageInfo: EndpointPageInfo): Promise<Endpoint[]> {
  const arns = Array.isArray(queueARNs) ? queueARNs : [queueARNs];
  if (arns.length === 0 || arns.some((a) => typeof a !== 'string' || !a)) {
    throw new ValidationError('queueARNs must be a queue ARN or a non-empty list of them');
  }
  const maxResults = pageInfo.maxResults ?? ENDPOINTS_PAGE_SIZE;
  const out = (pageInfo.endpoints ?? []).map((e) => (e instanceof Endpoint ? e : new Endpoint(e)));
  const seenTokens = new Set<string>();
  let nextToken = pageInfo.nextToken ?? null;
  for (let page = 0; page < MAX_ENDPOINT_PAGES; page++) {
    const res = await upstream.request('getEndpoints', { queueARNs: arns, nextToken, maxResults }) as
      { endpoints?: CtiEndpoint[]; nextToken?: string | null } | null;
    for (const e of res?.endpoints ?? []) out.push(new Endpoint(e));
    nextToken = res?.nextToken ?? null;
    if (!nextToken || seenTokens.has(nextToken)) return out;
    seenTokens.add(nextToken);
  }
  return out;
}
