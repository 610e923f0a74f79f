/**
 * Encoders of the engine's down messages (one `JSON.stringify` each; the hub sends the string as is).
 */
import { DownType, type Acknowledge, type EventDown, type LogDown, type LogRecord, type Response, type WireError } from '../shared/protocol';

export function eventJson(event: string, data?: unknown): string {
  const msg: EventDown = data === undefined ? { type: DownType.EVENT, event } : { type: DownType.EVENT, event, data };
  return JSON.stringify(msg);
}

export function ackJson(tabId: string, seq: number, version: number): string {
  const msg: Acknowledge = { type: DownType.ACKNOWLEDGE, tabId, seq, version };
  return JSON.stringify(msg);
}

export function logJson(entries: LogRecord[]): string {
  const msg: LogDown = { type: DownType.LOG, entries };
  return JSON.stringify(msg);
}

/** A failed `Response` for a message that may not even have a request id. */
export function errorResponse(raw: unknown, error: WireError): Response {
  const id = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
  return { type: DownType.RESPONSE, requestId: typeof id === 'string' ? id.slice(0, 128) : '', ok: false, error };
}
