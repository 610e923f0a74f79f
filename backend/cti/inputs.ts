/**
 * Parsers for the input members several operations share (ids, endpoints, agent states). They only check shapes;
 * whether the thing exists is the simulation's call.
 */
import type { Endpoint } from '../../shared/cti';
import { optionalObject, optionalString, requireObject, requireString, type JsonObject } from '../validate';

export function contactIdOf(input: JsonObject): string {
  return requireString(input, 'contactId');
}

export function connectionIdOf(input: JsonObject): string {
  return requireString(input, 'connectionId');
}

/** `endpoint` (shape Se): `type` required; the rest optional strings; `queue` an object. */
export function endpointOf(input: JsonObject, field = 'endpoint'): Endpoint {
  const raw = requireObject(input, field);
  const endpoint: Endpoint = { type: requireString(raw, 'type', field) };
  for (const key of ['endpointARN', 'name', 'phoneNumber', 'agentLogin'] as const) {
    const value = optionalString(raw, key, field);
    if (value !== undefined) endpoint[key] = value;
  }
  const queue = optionalObject(raw, 'queue', field);
  if (queue) {
    endpoint.queue = {};
    const queueARN = optionalString(queue, 'queueARN', `${field}.queue`);
    const name = optionalString(queue, 'name', `${field}.queue`);
    if (queueARN !== undefined) endpoint.queue.queueARN = queueARN;
    if (name !== undefined) endpoint.queue.name = name;
  }
  return endpoint;
}

export interface StateRef {
  name: string;
  type: string;
  agentStateARN?: string;
}

/** `state` (shape S1z): `type` and `name` required, `agentStateARN` optional. */
export function stateRefOf(input: JsonObject): StateRef {
  const raw = requireObject(input, 'state');
  const ref: StateRef = { name: requireString(raw, 'name', 'state'), type: requireString(raw, 'type', 'state') };
  const arn = optionalString(raw, 'agentStateARN', 'state');
  if (arn !== undefined) ref.agentStateARN = arn;
  return ref;
}
