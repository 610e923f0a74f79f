/**
 * Builders of CTI data for tests (never bundled: only tests import this folder).
 */
import type { AgentConfiguration, AgentConfigurationCore, AgentSnapshot, Contact } from '../../shared/cti';

export const ROUTING_PROFILE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/1111/routing-profile/rp1';
export const QUEUE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/1111/queue/q1';

export function contact(id: string, stateType = 'connected', timestamp = 1_700_000_000, extra: Partial<Contact> = {}): Contact {
  return {
    contactId: id,
    type: 'voice',
    state: { type: stateType, timestamp },
    queue: { queueARN: QUEUE_ARN, name: 'Q1' },
    connections: [
      { connectionId: `${id}-a`, type: 'agent', initial: false, state: { type: 'connected', timestamp } },
      { connectionId: `${id}-c`, type: 'inbound', initial: true, state: { type: 'connected', timestamp },
        endpoint: { type: 'phone_number', phoneNumber: '+15550001111' } },
    ],
    attributes: {},
    ...extra,
  };
}

export function snapshot(contacts: Contact[] = [], opts: { stateName?: string; time?: number } = {}): AgentSnapshot {
  return {
    state: { type: 'routable', name: opts.stateName ?? 'Available', startTimestamp: 1_700_000_000 },
    contacts,
    snapshotTimestamp: opts.time ?? 1_700_000_100,
  };
}

export function configurationCore(name = 'Agent One'): AgentConfigurationCore {
  return {
    name,
    softphoneEnabled: true,
    softphoneAutoAccept: false,
    extension: '',
    routingProfile: {
      name: 'Basic',
      routingProfileARN: ROUTING_PROFILE_ARN,
      defaultOutboundQueue: { queueARN: QUEUE_ARN, name: 'Q1' },
    },
  };
}

export function configuration(name = 'Agent One'): AgentConfiguration {
  return {
    ...configurationCore(name),
    permissions: ['outboundCall'],
    agentStates: [{ type: 'routable', name: 'Available' }, { type: 'not_routable', name: 'Lunch' }],
    dialableCountries: ['us', 'ca'],
  };
}
