/**
 * The id, name and version limits that both sides of the wire check: the tab on what it receives
 * (`validate-down.ts`) and the engine on what it is sent (`validate-kit.ts` and the validators that use it). Their
 * own module, so that neither validator imports the other for them (the down checks ship in the page's bundle).
 */
/** Longest ids (tab, request, idempotency key): UUIDs are 36 chars; 128 leaves room for prefixes. */
export const MAX_ID_CHARS = 128;
/** Longest method, topic or event name. */
export const MAX_NAME_CHARS = 256;
/** Largest state version accepted from storage or the wire. A version grows by one per observable change: even a
 * change every millisecond takes 35 years to reach 2^40, while a bogus huge value (or one near MAX_SAFE_INTEGER,
 * where `+ 1` stops changing the number) would freeze every tab's gap detection. */
export const MAX_STATE_VERSION = 2 ** 40;
