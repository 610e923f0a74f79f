/** What happened during a chaos run, in order, for the report and its timeline picture. */

export type TimelineKind = 'tab' | 'action' | 'backend' | 'fault' | 'divergence' | 'failover' | 'check';

export interface TimelineEntry {
  /** ms since the run started */
  t: number;
  kind: TimelineKind;
  text: string;
  tab?: number;
  /** For spans (faults): how long, ms. */
  ms?: number;
}

/** Entries kept: a long run at ~3 events a second stays well under this. */
const MAX_ENTRIES = 50_000;

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  readonly start = Date.now();

  elapsed(): number {
    return Date.now() - this.start;
  }

  add(kind: TimelineKind, text: string, tab?: number, ms?: number): TimelineEntry {
    const entry: TimelineEntry = { t: this.elapsed(), kind, text, ...(tab !== undefined ? { tab } : {}), ...(ms !== undefined ? { ms } : {}) };
    if (this.entries.length < MAX_ENTRIES) this.entries.push(entry);
    return entry;
  }
}
