/**
 * Runtime validation of the messages a tab sends up (tab → engine): checked by the engine and by the CCP frame that
 * relays for a CRM page, never by a page's own bundle (see `validate.ts` for the kit and the down messages).
 */
import { MasterMethod, MAX_UP_MESSAGE_CHARS, TabRole, UpType, type LogRecord, type Up } from './protocol';
import {
  bool, compact, fail, MAX_ID_CHARS, MAX_LOG_ENTRIES, MAX_NAME_CHARS, MAX_TOKEN_CHARS, MAX_URL_CHARS, num, obj, oneOf, run, str,
  type Obj, type Validated,
} from './validate';

function logRecord(x: unknown, path: string): LogRecord {
  const o = obj(x, path);
  const exception = o.exception === undefined ? undefined : obj(o.exception, `${path}.exception`);
  if (o.objects !== undefined && !Array.isArray(o.objects)) fail(`${path}.objects must be an array`);
  return compact({
    level: str(o, 'level', path, 16) as string,
    time: num(o, 'time', path) as number,
    text: str(o, 'text', path, MAX_UP_MESSAGE_CHARS, true) ?? '',
    component: str(o, 'component', path, MAX_NAME_CHARS, true),
    source: str(o, 'source', path, MAX_ID_CHARS, true) ?? '',
    exception: exception && compact({
      type: str(exception, 'type', `${path}.exception`, MAX_NAME_CHARS) as string,
      message: str(exception, 'message', `${path}.exception`, MAX_UP_MESSAGE_CHARS, true) ?? '',
      stack: Array.isArray(exception.stack) ? exception.stack.filter((l): l is string => typeof l === 'string') : undefined,
    }),
    objects: o.objects as unknown[] | undefined,
  });
}

function upBody(o: Obj, type: UpType): Up {
  const p = type;
  switch (type) {
    case UpType.HELLO:
      return compact({
        type,
        tabId: str(o, 'tabId', p, MAX_ID_CHARS) as string,
        protocol: num(o, 'protocol', p, { integer: true }) as number,
        role: oneOf(o, 'role', p, Object.values(TabRole)),
        url: str(o, 'url', p, MAX_URL_CHARS, true),
        knownVersion: num(o, 'knownVersion', p, { optional: true, integer: true, min: 0 }),
        wantsLogs: bool(o, 'wantsLogs', p),
      });
    case UpType.SYNCHRONIZE:
      return { type, seq: num(o, 'seq', p, { integer: true, min: 0 }) as number };
    case UpType.REQUEST:
      return compact({
        type,
        requestId: str(o, 'requestId', p, MAX_ID_CHARS) as string,
        method: str(o, 'method', p, MAX_NAME_CHARS) as string,
        params: o.params === undefined ? {} : obj(o.params, `${p}.params`),
        idempotencyKey: str(o, 'idempotencyKey', p, MAX_ID_CHARS, true),
        timeoutMs: num(o, 'timeoutMs', p, { optional: true, min: 1 }),
      });
    case UpType.MASTER:
      return {
        type,
        requestId: str(o, 'requestId', p, MAX_ID_CHARS) as string,
        method: oneOf(o, 'method', p, Object.values(MasterMethod)),
        topic: str(o, 'topic', p, MAX_NAME_CHARS) as string,
      };
    case UpType.BROADCAST:
      return compact({ type, event: str(o, 'event', p, MAX_NAME_CHARS) as string, data: o.data });
    case UpType.SESSION:
      return compact({
        type,
        authToken: str(o, 'authToken', p, MAX_TOKEN_CHARS) as string,
        expiration: num(o, 'expiration', p, { optional: true }),
      });
    case UpType.LOG: {
      if (!Array.isArray(o.entries)) fail(`${p}.entries must be an array`);
      if (o.entries.length > MAX_LOG_ENTRIES) fail(`${p}.entries has more than ${MAX_LOG_ENTRIES} entries`);
      return { type, entries: o.entries.map((e, i) => logRecord(e, `${p}.entries[${i}]`)) };
    }
    case UpType.RELOAD_CONFIGURATION:
    case UpType.RESYNC:
    case UpType.INSPECT:
    case UpType.TERMINATE:
    case UpType.BYE:
      return { type };
  }
}

function jsonLength(x: unknown): number {
  try {
    return JSON.stringify(x)?.length ?? 0;
  } catch {
    fail('message is not serialisable as JSON');
  }
}

/**
 * Checks a message from a tab: an object of a known `type`, every field of the right type and length, the whole no
 * longer than `MAX_UP_MESSAGE_CHARS` as JSON. Returns a copy with only the known fields.
 *
 * @example
 * const r = validateUp({ type: 'synchronize', seq: 4 });
 * if (!r.ok) reply(r.error); // { type: 'ValidationError', message: 'synchronize.seq must be …' }
 */
export function validateUp(msg: unknown): Validated<Up> {
  return run(() => {
    const o = obj(msg, 'message');
    if (typeof o.type !== 'string') fail('message.type must be a string');
    if (!(Object.values(UpType) as string[]).includes(o.type)) fail(`unknown message type '${o.type.slice(0, 64)}'`);
    const size = jsonLength(o);
    if (size > MAX_UP_MESSAGE_CHARS) fail(`message is ${size} characters of JSON; the limit is ${MAX_UP_MESSAGE_CHARS}`);
    return upBody(o, o.type as UpType);
  });
}

/**
 * Persisted log lines (another version of the code may have written them): the valid ones, in order.
 *
 * @example
 * ring.prepend(validLogRecords(await store.loadLogs()));
 */
export function validLogRecords(x: unknown): LogRecord[] {
  if (!Array.isArray(x)) return [];
  const out: LogRecord[] = [];
  for (const [i, e] of x.entries()) {
    const r = run(() => logRecord(e, `logs[${i}]`));
    if (r.ok) out.push({ ...r.value, source: r.value.source || 'engine' });
  }
  return out;
}
