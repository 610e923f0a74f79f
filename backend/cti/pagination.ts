/**
 * Real pagination for the list operations: `maxResults` is honoured and `nextToken` is an opaque cursor bound to
 * its list, so a token from one list (or a made-up one) is refused with a PaginationException.
 */
import { paginationError } from '../errors';
import { optionalNumber, optionalString, type JsonObject } from '../validate';

/** Default page when the client does not ask: small enough that clients must follow pages, as they should. */
export const DEFAULT_PAGE_SIZE = 100;
/** The worker asks for 500 per page; allow up to 1000 like the hosted service's biggest pages. */
export const MAX_PAGE_SIZE = 1000;

function encodeCursor(list: string, offset: number): string {
  return Buffer.from(`${list}:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(list: string, token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):(\d{1,9})$/.exec(text);
  if (!match || match[1] !== list) throw paginationError(`nextToken is not a ${list} page token`);
  return Number(match[2]);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Checks `maxResults` and `nextToken` of `input` and cuts the page out of `items`. */
export function paginate<T>(list: string, items: readonly T[], input: JsonObject): Page<T> {
  const maxResults = optionalNumber(input, 'maxResults', undefined, { min: 1, max: MAX_PAGE_SIZE, integer: true })
    ?? DEFAULT_PAGE_SIZE;
  const token = optionalString(input, 'nextToken');
  const offset = token === undefined ? 0 : decodeCursor(list, token);
  if (offset > items.length) throw paginationError('nextToken points past the end of the list');
  const end = offset + maxResults;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encodeCursor(list, end);
  return page;
}
