/**
 * Text and object handling for log entries: printf-style formatting and the redaction of credentials, so a log file
 * an agent downloads and sends to support never carries a session.
 */

/** Keys whose values are never logged. */
export const SECRET_KEY = /token|password|authorization|bearer|credential|secret/i;
/** `AuthToken=<value>` inside URLs and free text (the CCP's authorize links). */
const AUTH_TOKEN_IN_TEXT = /(AuthToken=)[^&\s"',;]+/gi;
export const REDACTED = '[redacted]';
/** Objects nested deeper than this are cut: logs want context, not whole heaps, and cycles must end. */
const MAX_DEPTH = 12;

/** `text` with every `AuthToken=…` value replaced. */
export function redactText(text: string): string {
  return text.replace(AUTH_TOKEN_IN_TEXT, `$1${REDACTED}`);
}

/**
 * A JSON-safe deep copy of `value` with secrets redacted: keys matching `SECRET_KEY` lose their value, strings lose
 * `AuthToken=…`, cycles become `[Circular]`, errors become `{type, message}`, dates ISO strings, functions vanish.
 */
export function redactedCopy(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) return { type: value.name, message: redactText(value.message) };
  if (depth >= MAX_DEPTH) return '[MaxDepth]';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  seen.add(obj);
  let out: unknown;
  if (Array.isArray(obj)) {
    out = obj.map((v) => redactedCopy(v, depth + 1, seen) ?? null);
  } else {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const copied = SECRET_KEY.test(k) && v !== undefined && v !== null ? REDACTED : redactedCopy(v, depth + 1, seen);
      if (copied !== undefined) o[k] = copied;
    }
    out = o;
  }
  seen.delete(obj);
  return out;
}

function asJson(arg: unknown): string {
  try {
    return JSON.stringify(redactedCopy(arg)) ?? 'undefined';
  } catch {
    return String(arg);
  }
}

function asString(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  if (arg && typeof arg === 'object') return asJson(arg);
  return String(arg);
}

function asInteger(arg: unknown): string {
  const n = typeof arg === 'number' ? arg : Number.parseInt(String(arg), 10);
  return String(Number.isFinite(n) ? Math.trunc(n) : Number.NaN);
}

/**
 * printf-style formatting: `%s` string, `%d`/`%i` integer, `%f` number, `%j`/`%o`/`%O` JSON (redacted), `%%` a
 * percent sign. Arguments left over are appended, separated by spaces; placeholders without an argument stay as is.
 */
export function formatLogText(fmt: unknown, args: readonly unknown[]): string {
  const template = typeof fmt === 'string' ? fmt : asString(fmt);
  let next = 0;
  const text = template.replace(/%([sdifjoO%])/g, (whole, spec: string) => {
    if (spec === '%') return '%';
    if (next >= args.length) return whole;
    const arg = args[next++];
    switch (spec) {
      case 's': return asString(arg);
      case 'd':
      case 'i': return asInteger(arg);
      case 'f': return String(Number(arg));
      default: return asJson(arg);
    }
  });
  const rest = args.slice(next).map(asString);
  return redactText(rest.length ? `${text} ${rest.join(' ')}` : text);
}

/** An exception as a log entry carries it: `{type, message, stack[]}`. */
export function describeException(e: unknown): { type: string; message: string; stack: string[] } {
  if (e instanceof Error) {
    const stack = (e.stack ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    const type = typeof (e as { type?: unknown }).type === 'string' ? (e as unknown as { type: string }).type : e.name;
    return { type, message: redactText(e.message), stack };
  }
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    const t = (e as { type?: unknown }).type;
    return { type: typeof t === 'string' ? t : 'Error', message: redactText((e as { message: string }).message), stack: [] };
  }
  return { type: typeof e, message: redactText(String(e)), stack: [] };
}
