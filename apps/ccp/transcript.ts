/**
 * Chat transcripts as the backend mirrors them into the contact attribute `transcript`: a JSON array of
 * `{participant, text, timestamp}` (epoch seconds). The attribute crosses the network, so it is checked line by
 * line; a malformed line is skipped, never shown half-parsed.
 */

export interface TranscriptLine {
  participant: 'CUSTOMER' | 'AGENT' | 'SYSTEM';
  text: string;
  /** Epoch seconds. */
  timestamp: number | null;
}

function parseLine(raw: unknown): TranscriptLine | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as { participant?: unknown; text?: unknown; timestamp?: unknown };
  if (typeof o.text !== 'string') return null;
  const participant = o.participant === 'AGENT' || o.participant === 'CUSTOMER' ? o.participant : 'SYSTEM';
  const timestamp = typeof o.timestamp === 'number' && Number.isFinite(o.timestamp) ? o.timestamp : null;
  return { participant, text: o.text, timestamp };
}

/** The lines of a `transcript` attribute value; [] when it is absent or not a JSON array. */
export function parseTranscript(value: string | undefined): TranscriptLine[] {
  if (!value) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.map(parseLine).filter((l): l is TranscriptLine => l !== null);
}

/** Who said it, in words. */
export function speakerLabel(line: TranscriptLine, customerName: string): string {
  if (line.participant === 'AGENT') return 'You';
  if (line.participant === 'CUSTOMER') return customerName;
  return 'System';
}
