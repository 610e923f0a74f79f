/**
 * Comlink's wire format for a call's answer that throws, for the places that answer a call without running it: a
 * guard refusing it (`comlink-guard.ts`), a leader or a CCP frame without the caller's hello, and a CRM ending a call
 * its dead frame never answered (Comlink keeps the resolver until an answer with the id arrives). Apart, so that a
 * chunk that only answers does not carry the guard.
 */

/** The answer that makes the caller's promise reject with exactly `error`. */
export function thrownReply(id: string, error: { type: string; message: string }): unknown {
  return { id, type: 'HANDLER', name: 'throw', value: { isError: false, value: error } };
}
