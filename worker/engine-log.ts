/**
 * The engine's merged log: its own lines and those the tabs send, in one ring. New lines go, at most once per
 * `logPushIntervalMs`, to every tab that asked for logs (each sees what its role may see) and to the store.
 */
import { LogLevel } from '../shared/enums';
import type { LogRecord, TabRole } from '../shared/protocol';
import { logJson } from './down-messages';
import { LogRing } from './log-ring';
import { logsFor } from './role-policy';
import type { StateStore } from './store';
import type { EngineTimings } from './timings';

/** The tabs the log reaches (the engine's hub). */
export interface LogAudience {
  records(): Iterable<{ tabId: string; role: TabRole; wantsLogs: boolean }>;
  send(tabId: string, json: string): void;
}

export interface EngineLogDeps {
  now(): number;
  timings: Pick<EngineTimings, 'logRingSize' | 'logPushIntervalMs'>;
  store: Pick<StateStore, 'appendLogs'>;
  tabs: LogAudience;
}

/**
 * @example
 * const log = new EngineLog({ now, timings, store, tabs: hub });
 * log.line(LogLevel.INFO, 'tab t1 connected');
 * log.append({ ...entry, source: tabId });
 */
export class EngineLog {
  private readonly ring: LogRing;
  private flushedSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly d: EngineLogDeps) {
    this.ring = new LogRing(d.timings.logRingSize);
  }

  /** A line of the engine's own. */
  line(level: LogLevel, text: string): void {
    this.append({ level, time: this.d.now(), text, component: 'engine', source: 'engine' });
  }

  /** A line from anywhere (a tab's lines carry its id as `source`); pushed with the next flush. */
  append(record: LogRecord): void {
    this.ring.push(record);
    this.timer ??= setTimeout(() => { this.timer = undefined; this.flush(); }, this.d.timings.logPushIntervalMs);
  }

  /** Lines restored from the store go before everything logged since the start. */
  prepend(records: LogRecord[]): void {
    this.ring.prepend(records);
  }

  /** What a tab that just connected sees of the log so far (its role's view). */
  backlogFor(role: TabRole, tabId: string): LogRecord[] {
    return this.ring.size ? logsFor(role, tabId, this.ring.toArray()) : [];
  }

  /** Stops the push timer and flushes what is pending. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** New lines since the last flush: to tabs that want them, and to the store. */
  private flush(): void {
    const { entries, seq } = this.ring.since(this.flushedSeq);
    this.flushedSeq = seq;
    if (!entries.length) return;
    const json = logJson(entries);
    for (const tab of this.d.tabs.records()) {
      if (!tab.wantsLogs) continue;
      const lines = logsFor(tab.role, tab.tabId, entries);
      if (lines === entries) this.d.tabs.send(tab.tabId, json);
      else if (lines.length) this.d.tabs.send(tab.tabId, logJson(lines));
    }
    this.d.store.appendLogs(entries).catch(() => undefined); // a failing store must not log about itself in a loop
  }
}
