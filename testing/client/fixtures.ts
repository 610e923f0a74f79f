/**
 * Recorded engine states (`testing/fixtures/*.json`) for unit tests, typed as `StateFull`. Each call returns a fresh
 * deep copy, so a test may change it freely.
 */
import type { StateFull } from '../../shared/protocol';
import agentAvailable from '../fixtures/agent-available.json';
import afterCallWork from '../fixtures/after-call-work.json';
import chatCallbackTask from '../fixtures/chat-callback-task.json';
import inboundVoiceConnecting from '../fixtures/inbound-voice-connecting.json';
import monitoring from '../fixtures/monitoring.json';
import voiceConnectedThirdParty from '../fixtures/voice-connected-third-party.json';

const FIXTURES = {
  'agent-available': agentAvailable,
  'after-call-work': afterCallWork,
  'chat-callback-task': chatCallbackTask,
  'inbound-voice-connecting': inboundVoiceConnecting,
  monitoring,
  'voice-connected-third-party': voiceConnectedThirdParty,
} as const;

export type FixtureName = keyof typeof FIXTURES;
export const FIXTURE_NAMES = Object.keys(FIXTURES) as FixtureName[];

/** The `snapshotTimestamp` of every fixture, in epoch ms: tests set the fake clock relative to it. */
export const FIXTURE_SERVER_TIME_MS = 1763900000 * 1000;

export function fixture(name: FixtureName, overrides: Partial<StateFull> = {}): StateFull {
  const copy = JSON.parse(JSON.stringify(FIXTURES[name])) as StateFull;
  return { ...copy, ...overrides };
}
