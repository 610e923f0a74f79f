/**
 * A bounded ring of log records: the newest `capacity` entries, each with a sequence number so readers (the push to
 * tabs, the writer to IndexedDB) can take "everything since I last looked" without copying the ring.
 */
import type { LogRecord } from '../shared/protocol';

/**
 * @example
 * const ring = new LogRing(2000);
 * ring.push({ level: 'INFO', time: Date.now(), text: 'poll ok', source: 'engine' });
 * const { entries, seq } = ring.since(lastSeq);
 */
export class LogRing {
  private readonly buffer: (LogRecord | undefined)[];
  private head = 0; // index of the oldest entry
  private length = 0;
  private seq = 0; // sequence number of the newest entry

  constructor(readonly capacity: number) {
    this.buffer = new Array<LogRecord | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Sequence number of the newest entry (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  push(record: LogRecord): void {
    const tail = (this.head + this.length) % this.capacity;
    this.buffer[tail] = record;
    if (this.length < this.capacity) this.length++;
    else this.head = (this.head + 1) % this.capacity;
    this.seq++;
  }

  /** Entries oldest first. */
  toArray(): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.buffer[(this.head + i) % this.capacity]!);
    return out;
  }

  /** Entries pushed after `seq` (those still in the ring), and the sequence number to ask from next time. */
  since(seq: number): { entries: LogRecord[]; seq: number } {
    const newer = Math.min(Math.max(0, this.seq - seq), this.length);
    return { entries: this.toArray().slice(this.length - newer), seq: this.seq };
  }

  /** Puts older records (from persistence) before the current ones, keeping the newest within capacity. */
  prepend(records: LogRecord[]): void {
    const current = this.toArray();
    const all = [...records, ...current].slice(-this.capacity);
    this.head = 0;
    this.length = 0;
    this.buffer.fill(undefined);
    const before = this.seq;
    for (const r of all) this.push(r);
    this.seq = before; // restored history is not "new": readers must not re-send it
  }
}
