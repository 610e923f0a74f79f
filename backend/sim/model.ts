/**
 * The simulation's records. Times are epoch milliseconds inside; `snapshot.ts` turns them into the wire's epoch
 * seconds. Records are plain data so a reset is just "build them again".
 */
import type { AgentConfigurationCore, Endpoint, Queue } from '../../shared/cti';
import type { StateDefinition } from './seed';
import type { TimerId } from './clock';

export interface AgentStateRecord extends StateDefinition {
  startMs: number;
}

export interface StateTypeRecord {
  type: string;
  atMs: number;
}

export interface ConnectionRecord {
  connectionId: string;
  /** `agent`, `inbound`, `outbound` (ConnectionType). */
  type: string;
  /** True for the leg that started the contact (the customer's). */
  initial: boolean;
  state: StateTypeRecord;
  endpoint?: Endpoint;
  /** MuteParticipant/UnmuteParticipant: the party is muted for the conference (Streams' connection `mute`). */
  mute?: boolean;
  /** Pending "the far end answers" timer of an outbound leg. */
  dialTimer?: TimerId;
}

export interface TranscriptLine {
  participant: 'CUSTOMER' | 'AGENT';
  text: string;
  atMs: number;
}

export interface ContactRecord {
  contactId: string;
  initialContactId?: string;
  /** ContactType: voice, queue_callback, chat, task. */
  type: string;
  state: StateTypeRecord;
  queue?: Queue;
  queueMs?: number;
  initiationMethod: string;
  attributes: Record<string, string>;
  connections: ConnectionRecord[];
  name?: string;
  description?: string;
  references?: Record<string, { value: string; type: string }>;
  /** DTMF sent by the agent, in order (control-API view only). */
  digitsSent: string;
  transcript: TranscriptLine[];
  /** Pending "not accepted in time → missed" timer of a ringing inbound contact. */
  ringTimer?: TimerId;
  /** Set when the agent handed the contact over (transfer): who or where it went. */
  transferTo?: Endpoint;
}

export interface AgentRecord {
  username: string;
  password: string;
  agentARN: string;
  /** What the snapshot reports now (may be a system state: AfterCallWork, MissedCallAgent). */
  state: AgentStateRecord;
  /** A chosen state waiting for the agent's contacts to be cleared. */
  nextState?: AgentStateRecord;
  /** The chosen state to go back to when a system state ends. */
  returnState?: AgentStateRecord;
  contacts: ContactRecord[];
  configuration: AgentConfigurationCore;
  /** Snapshot version; unique across the whole process, so tokens from before a reset never match again. */
  version: number;
}
