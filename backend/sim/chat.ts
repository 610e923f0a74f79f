/**
 * Chat transcripts. Each line is kept on the contact and mirrored into its `transcript` attribute (the last lines,
 * as JSON), so a new message travels to every tab through the ordinary snapshot path with no extra endpoint.
 */
import { ContactType } from '../../shared/enums';
import { invalidState } from '../errors';
import { toEpochSeconds } from './clock';
import { isLive } from './contacts';
import type { AgentRecord, ContactRecord, TranscriptLine } from './model';
import type { Simulation } from './simulation';

/** Enough history for a chat pane; keeps the attribute (and every snapshot carrying it) small. */
export const TRANSCRIPT_LINES_IN_ATTRIBUTE = 50;
/** Lines kept per contact for the control API's transcript view. */
const MAX_TRANSCRIPT_LINES = 1000;

export function transcriptJson(lines: readonly TranscriptLine[]): string {
  return JSON.stringify(lines.slice(-TRANSCRIPT_LINES_IN_ATTRIBUTE)
    .map((l) => ({ participant: l.participant, text: l.text, timestamp: toEpochSeconds(l.atMs) })));
}

export function addChatMessage(sim: Simulation, agent: AgentRecord, contact: ContactRecord,
  participant: TranscriptLine['participant'], text: string): TranscriptLine {
  if (contact.type !== ContactType.CHAT) throw invalidState(`contact ${contact.contactId} is ${contact.type}, not chat`);
  if (!isLive(contact)) throw invalidState(`contact ${contact.contactId} is ${contact.state.type}`);
  const line: TranscriptLine = { participant, text, atMs: sim.now() };
  contact.transcript.push(line);
  if (contact.transcript.length > MAX_TRANSCRIPT_LINES) contact.transcript.shift();
  contact.attributes.transcript = transcriptJson(contact.transcript);
  sim.changed(agent);
  return line;
}
