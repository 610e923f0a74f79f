/**
 * Resolving an endpoint a client sent (a quick connect by ARN, or a phone number, agent or queue by value) against
 * the instance. Anything that cannot be reached is a BadEndpointException naming why.
 */
import type { Endpoint } from '../../shared/cti';
import { EndpointType } from '../../shared/enums';
import { badEndpoint } from '../errors';
import { E164 } from '../validate';
import { findQueue } from './seed';
import type { Simulation } from './simulation';

export function resolveEndpoint(sim: Simulation, input: Endpoint): Endpoint {
  if (input.endpointARN !== undefined) {
    const known = sim.endpoints.find((e) => e.endpointARN === input.endpointARN);
    if (!known) throw badEndpoint(`endpoint.endpointARN ${input.endpointARN} is not a quick connect of this instance`);
    return structuredClone(known);
  }
  switch (input.type) {
    case EndpointType.PHONE_NUMBER: {
      const number = input.phoneNumber;
      if (number === undefined || !E164.test(number)) {
        throw badEndpoint(`endpoint.phoneNumber must be an E.164 number like +12065550100, got ${JSON.stringify(number ?? null)}`);
      }
      return { type: EndpointType.PHONE_NUMBER, phoneNumber: number, name: input.name ?? number };
    }
    case EndpointType.AGENT: {
      const login = input.agentLogin;
      if (login === undefined || !sim.agent(login)) throw badEndpoint(`endpoint.agentLogin ${JSON.stringify(login ?? null)} is not an agent`);
      return { type: EndpointType.AGENT, agentLogin: login, name: input.name ?? login };
    }
    case EndpointType.QUEUE: {
      const queue = input.queue?.queueARN !== undefined ? findQueue(input.queue.queueARN) : undefined;
      if (!queue) throw badEndpoint('endpoint.queue.queueARN is not a queue of this instance');
      return { type: EndpointType.QUEUE, queue: { ...queue }, name: input.name ?? queue.name };
    }
    default:
      throw badEndpoint(`endpoint.type must be phone_number, agent or queue, got ${JSON.stringify(input.type)}`);
  }
}
