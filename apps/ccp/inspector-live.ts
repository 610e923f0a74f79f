/**
 * Keeps an `InspectorView` live by asking the engine for its picture (`connect.core.inspect()`) on a timer, one
 * request at a time.
 */
import type { Connect } from './connect-global';
import type { TimedEvent } from './inspector-format';
import type { InspectorView } from './inspector-view';
import { asTypedError } from './toasts';

/** Once a second: SYNCHRONIZE/ACK happen about every second, so this shows each; one small message per second. */
export const INSPECT_INTERVAL_MS = 1000;
/** Streams events of this tab kept for the list: a few bursts' worth. */
const TAB_EVENTS_KEPT = 50;

export class InspectorLive {
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;
  private readonly tabEvents: TimedEvent[] = [];

  constructor(private readonly connect: Connect, private readonly view: InspectorView) {
    // Every tab derives the same Streams events from the same versions; this tab's are shown beside the engine's.
    connect.core.getEventBus().subscribeAll((_data: unknown, event: string) => {
      if (event === connect.EventType.LOG) return; // log lines, not sync events (the log download has them)
      this.tabEvents.push({ time: Date.now(), event });
      if (this.tabEvents.length > TAB_EVENTS_KEPT) this.tabEvents.shift();
    });
  }

  start(): void {
    if (this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), INSPECT_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private poll(): void {
    if (this.inFlight) return;
    this.inFlight = true;
    this.connect.core.inspect().then(
      (info) => this.view.render(info, this.tabEvents, this.connect.core.getTabId(), Date.now()),
      (e: unknown) => {
        const err = asTypedError(e);
        this.view.showError(`Engine not reachable: ${err.type}: ${err.message}`);
      },
    ).finally(() => { this.inFlight = false; });
  }
}
