/**
 * Coalesces writes of a value that changes in bursts: the first change starts a window; more changes within it only
 * replace the value; at its end the latest value is written. A write never overlaps another, and the last value
 * offered is always written (on its timer, or by `flush()`).
 */
export class CoalescingWriter<T> {
  private pending: { value: T } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  /** Completed writes (for tests and the inspector). */
  writes = 0;

  /**
   * @example
   * const w = new CoalescingWriter((s) => store.save(s), 250, (e) => log(e));
   * w.schedule(state1); w.schedule(state2); // one write, of state2, 250 ms later
   */
  constructor(
    private readonly write: (value: T) => Promise<void>,
    private readonly windowMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  schedule(value: T): void {
    this.pending = { value };
    if (!this.timer && !this.writing) this.timer = setTimeout(() => this.run(), this.windowMs);
  }

  /** Writes what is pending now and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing || this.pending) {
      if (this.writing) await this.writing;
      else this.run();
    }
  }

  private run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.pending;
    if (!next) return;
    this.pending = undefined;
    this.writing = Promise.resolve()
      .then(() => this.write(next.value))
      .then(() => { this.writes++; }, this.onError)
      .finally(() => {
        this.writing = undefined;
        if (this.pending && !this.timer) this.timer = setTimeout(() => this.run(), this.windowMs);
      });
  }
}
