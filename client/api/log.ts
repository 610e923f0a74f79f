/**
 * The logger behind `connect.getLog()`: printf-style entries kept in a bounded, time-ordered buffer that also holds
 * the entries of the engine and of other tabs (merged without duplicates), echoed to the console from a level, and
 * downloadable as JSON.
 */
import { LOG_LEVEL_RANK, LogComponent, LogLevel } from '../../shared/enums';
import type { LogRecord } from '../../shared/protocol';
import { describeException, formatLogText, redactedCopy } from './log-format';

/**
 * Entries kept in memory. An entry is typically 200–500 bytes, so 5000 cost at most a few MB; at the rate a busy tab
 * logs (about one entry a second, a burst per call) that is over an hour of history — enough to cover the call an
 * agent reports — while the original's unbounded buffer (its roll timer never ran) grew for the whole shift.
 */
export const MAX_LOG_ENTRIES = 5000;

const COMPONENTS: ReadonlySet<string> = new Set(Object.values(LogComponent));
const LEVELS: ReadonlySet<string> = new Set(Object.values(LogLevel));

function rankOf(level: string): number {
  return LEVELS.has(level) ? LOG_LEVEL_RANK[level as LogLevel] : LOG_LEVEL_RANK[LogLevel.INFO];
}

/**
 * One log line. Returned by every logging call so that context can be chained on.
 *
 * @example
 * connect.getLog().warn('The %s broke!', 'widget').withException(e).withObject({ a: 1 });
 */
export class LogEntry {
  exception?: { type: string; message: string; stack: string[] };
  readonly objects: unknown[] = [];

  constructor(
    readonly level: string,
    readonly text: string,
    readonly time: number,
    readonly source: string,
    readonly component?: string,
  ) {}

  /** Adds an exception as `{type, message, stack[]}`. */
  withException(e: unknown): this {
    this.exception = describeException(e);
    return this;
  }

  /** Adds a deep copy of `o`, with tokens, passwords and authorization values redacted. */
  withObject(o: unknown): this {
    this.objects.push(redactedCopy(o) ?? null);
    return this;
  }

  /** The entry as it travels between tabs and the engine. */
  toRecord(): LogRecord {
    const r: LogRecord = { level: this.level, time: this.time, text: this.text, source: this.source };
    if (this.component) r.component = this.component;
    if (this.exception) r.exception = this.exception;
    if (this.objects.length) r.objects = this.objects;
    return r;
  }

  toString(): string {
    const comp = this.component ? ` ${this.component}` : '';
    return `${new Date(this.time).toISOString()} [${this.level}]${comp} ${this.text}`;
  }

  static fromRecord(r: LogRecord): LogEntry {
    const e = new LogEntry(r.level, r.text, r.time, r.source, r.component);
    if (r.exception) e.exception = { ...r.exception, stack: r.exception.stack ?? [] };
    if (r.objects) e.objects.push(...r.objects);
    return e;
  }
}

function keyOf(r: { source: string; time: number; level: string; text: string }): string {
  return `${r.source}\u0000${r.time}\u0000${r.level}\u0000${r.text}`;
}

export interface LoggerOptions {
  /** Who writes this logger's entries (the tab id once known). */
  source?: string;
  maxEntries?: number;
  /** Where echoes go (tests pass a fake). */
  console?: Pick<Console, 'debug' | 'info' | 'log' | 'warn' | 'error'>;
}

export interface DownloadOptions {
  logName?: string;
  /** Keep only entries at or above this level. */
  filterByLogLevel?: LogLevel | string;
}

type EntryListener = (record: LogRecord) => void;

/** `LOG_LEVEL=silent` in the environment (unit test runs) mutes the console echo. */
function echoMutedByEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.LOG_LEVEL === 'silent';
}

/**
 * The logger. Entries below the log level are neither kept nor forwarded; entries at or above the echo level are
 * also written to the console.
 *
 * @example
 * const log = connect.getLog();
 * log.setEchoLevel(connect.LogLevel.WARN);
 * log.info(connect.LogComponent.CCP, 'agent %s has %d contacts', name, n);
 * log.download({ logName: 'my-agent-log', filterByLogLevel: connect.LogLevel.WARN });
 */
export class Logger {
  private entries: LogEntry[] = [];
  private readonly keys = new Set<string>();
  private logRank = LOG_LEVEL_RANK[LogLevel.INFO];
  private echoRank: number;
  private source: string;
  private readonly maxEntries: number;
  private readonly out: NonNullable<LoggerOptions['console']> | undefined;
  private readonly listeners = new Set<EntryListener>();
  /** Entries written this task, echoed and forwarded once their `withException`/`withObject` chain is done. */
  private pending: LogEntry[] = [];

  constructor(options: LoggerOptions = {}) {
    this.source = options.source ?? 'tab';
    this.maxEntries = Math.max(1, options.maxEntries ?? MAX_LOG_ENTRIES);
    this.out = options.console ?? (typeof console !== 'undefined' ? console : undefined);
    this.echoRank = echoMutedByEnvironment() ? Number.POSITIVE_INFINITY : LOG_LEVEL_RANK[LogLevel.INFO];
  }

  trace(...args: unknown[]): LogEntry { return this.write(LogLevel.TRACE, args); }
  debug(...args: unknown[]): LogEntry { return this.write(LogLevel.DEBUG, args); }
  info(...args: unknown[]): LogEntry { return this.write(LogLevel.INFO, args); }
  log(...args: unknown[]): LogEntry { return this.write(LogLevel.LOG, args); }
  test(...args: unknown[]): LogEntry { return this.write(LogLevel.TEST, args); }
  warn(...args: unknown[]): LogEntry { return this.write(LogLevel.WARN, args); }
  error(...args: unknown[]): LogEntry { return this.write(LogLevel.ERROR, args); }
  /** Writes a CRITICAL entry (the original wrote these as ERROR). */
  critical(...args: unknown[]): LogEntry { return this.write(LogLevel.CRITICAL, args); }

  /** Entries below `level` are dropped from now on. */
  setLogLevel(level: LogLevel | string): void {
    this.logRank = rankOf(level);
  }

  /** Entries at or above `level` are also written to the console. */
  setEchoLevel(level: LogLevel | string): void {
    this.echoRank = rankOf(level);
  }

  /** Names the writer of this logger's entries from now on (the transport sets the tab id). */
  setSource(source: string): void {
    this.source = source;
  }

  getSource(): string {
    return this.source;
  }

  /** A copy of the kept entries, oldest first. */
  getLogs(): LogEntry[] {
    return [...this.entries];
  }

  /** Drops every kept entry. */
  clear(): void {
    this.entries = [];
    this.keys.clear();
  }

  /**
   * Calls `cb` with each entry this tab writes (not merged ones), once its chained context is attached, so the
   * transport can forward it to the engine. Returns the function that stops it.
   */
  onEntry(cb: EntryListener): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  /**
   * Merges entries written elsewhere (the engine, other tabs). An entry already held — same source, time, level and
   * text — is skipped, so a tab's own entries echoed back by the engine are not doubled.
   */
  addRecords(records: readonly LogRecord[]): number {
    let added = 0;
    for (const r of records) {
      if (!isLogRecord(r) || rankOf(r.level) < this.logRank) continue;
      if (this.store(LogEntry.fromRecord(r))) added++;
    }
    return added;
  }

  /**
   * The kept entries as JSON (optionally only from a level up). In a browser this also saves them as
   * `<logName>.txt` (default `agent-log.txt`); without a DOM it only returns the text.
   */
  download(options: DownloadOptions | string = {}): string {
    const opts: DownloadOptions = typeof options === 'string' ? { logName: options } : options;
    const minRank = opts.filterByLogLevel ? rankOf(opts.filterByLogLevel) : Number.NEGATIVE_INFINITY;
    const json = JSON.stringify(this.entries.filter((e) => rankOf(e.level) >= minRank).map((e) => e.toRecord()), null, 2);
    saveFile(`${opts.logName ?? 'agent-log'}.txt`, json);
    return json;
  }

  private write(level: LogLevel, args: unknown[]): LogEntry {
    let component: string | undefined;
    if (args.length > 1 && typeof args[0] === 'string' && COMPONENTS.has(args[0])) component = args.shift() as string;
    const [fmt, ...rest] = args;
    const entry = new LogEntry(level, formatLogText(fmt ?? '', rest), Date.now(), this.source, component);
    const rank = LOG_LEVEL_RANK[level];
    const keep = rank >= this.logRank;
    if (keep) this.store(entry);
    if (keep || rank >= this.echoRank) this.schedule(entry);
    return entry;
  }

  /** Inserts in time order (almost always at the end) and evicts the oldest beyond the bound. */
  private store(entry: LogEntry): boolean {
    const key = keyOf(entry);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.time > entry.time) i--;
    this.entries.splice(i, 0, entry);
    const excess = this.entries.length - this.maxEntries;
    if (excess > 0) for (const old of this.entries.splice(0, excess)) this.keys.delete(keyOf(old));
    return true;
  }

  private schedule(entry: LogEntry): void {
    this.pending.push(entry);
    if (this.pending.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    for (const e of batch) {
      const rank = rankOf(e.level);
      if (rank >= this.echoRank) this.echo(e);
      if (rank >= this.logRank) this.forward(e.toRecord());
    }
  }

  private forward(record: LogRecord): void {
    for (const cb of this.listeners) {
      try {
        cb(record);
      } catch {
        // A failing forwarder must not break logging, and logging its failure here would recurse.
      }
    }
  }

  private echo(e: LogEntry): void {
    if (!this.out) return;
    const extra: unknown[] = [];
    if (e.exception) extra.push(e.exception);
    if (e.objects.length) extra.push(...e.objects);
    const line = e.toString();
    const rank = rankOf(e.level);
    if (rank >= LOG_LEVEL_RANK[LogLevel.ERROR]) this.out.error(line, ...extra);
    else if (rank >= LOG_LEVEL_RANK[LogLevel.WARN]) this.out.warn(line, ...extra);
    else if (rank >= LOG_LEVEL_RANK[LogLevel.INFO]) this.out.info(line, ...extra);
    else this.out.debug(line, ...extra);
  }
}

/** Checks the shape of a record that came from another context. */
export function isLogRecord(r: unknown): r is LogRecord {
  const x = r as LogRecord;
  return !!x && typeof x === 'object' && typeof x.level === 'string' && typeof x.text === 'string'
    && typeof x.time === 'number' && Number.isFinite(x.time) && typeof x.source === 'string';
}

function saveFile(name: string, text: string): void {
  if (typeof document === 'undefined' || typeof Blob === 'undefined' || typeof URL?.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked on the next task: revoking synchronously can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

let rootLogger: Logger | null = null;

/**
 * The tab's logger.
 *
 * @example
 * connect.getLog().info('ready');
 */
export function getLog(): Logger {
  rootLogger ??= new Logger();
  return rootLogger;
}
