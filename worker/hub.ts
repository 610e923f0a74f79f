/**
 * The connected tabs and every delivery to them. A delivery is one call of the tab's push callback with a JSON
 * string; it is never awaited in sequence (a slow or dead tab never delays the others) and has a deadline (a dead
 * tab's Comlink proxy never settles).
 *
 * State messages (`state`, `delta`) obey a back-pressure rule; control messages (responses, ACKs, events) are always
 * sent. A tab whose deliveries pile up (more than `maxUnsettledDeliveries` unsettled) or miss their deadline stops
 * receiving deltas and is marked `needsFull`; once its backlog has drained — which is itself proof of life — or on
 * its next up message with nothing pending, it gets one full state and follows deltas again.
 *
 * A push on a transferred port returns nothing to wait for, so for those the sign of life is the tab's own traffic
 * (SYNCHRONIZE every second): a delivery not followed by any sign of life within the delivery deadline is treated
 * like a late one — so a frozen tab's queue holds at most that many seconds of deltas.
 */
import { LogLevel } from '../shared/enums';
import type { PushCallback } from '../shared/endpoint';
import type { TabInfo, TabRole } from '../shared/protocol';
import type { EngineTimings } from './timings';

export type DeliveryKind = 'state' | 'control';

export interface TabInit {
  tabId: string;
  role: TabRole;
  url?: string;
  wantsLogs: boolean;
  push: PushCallback;
  /** Frees the transport's resources for this tab (a Comlink proxy) when it is dropped or replaced. */
  release?: () => void;
}

export interface TabRecord extends TabInit {
  connectedAt: number;
  lastSynchronize: number | null;
  lastAcknowledge: number | null;
  /** Deliveries not settled yet (late ones included). */
  pending: number;
  /** Gets no deltas until it receives a full state. */
  needsFull: boolean;
  /** A delivery passed its deadline and has not settled since. */
  late: boolean;
  /** Deliveries that were rejected or threw. */
  failures: number;
  /** When the first delivery not yet followed by a sign of life (any up message, a settled push) was sent. */
  unconfirmedSince: number | null;
  readonly timers: Set<ReturnType<typeof setTimeout>>;
}

export interface HubOptions {
  now: () => number;
  timings: Pick<EngineTimings, 'deliveryDeadlineMs' | 'maxUnsettledDeliveries'>;
  /** The JSON of the current full state (cached by the caller per version). */
  fullState: () => string;
  log: (level: LogLevel, text: string) => void;
}

/**
 * @example
 * const hub = new Hub({ now: Date.now, timings, fullState: () => json, log });
 * hub.add({ tabId, role, wantsLogs: false, push });
 * hub.sendAll(deltaJson, 'state');
 * hub.send(tabId, ackJson);
 */
export class Hub {
  private readonly tabs = new Map<string, TabRecord>();

  constructor(private readonly o: HubOptions) {}

  /** Registers a tab; a second connection of the same tab id replaces the first (whose resources are released). */
  add(init: TabInit): { record: TabRecord; replaced: boolean } {
    const previous = this.tabs.get(init.tabId);
    if (previous) this.retire(previous);
    const record: TabRecord = {
      ...init, connectedAt: this.o.now(), lastSynchronize: null, lastAcknowledge: null,
      pending: 0, needsFull: false, late: false, failures: 0, unconfirmedSince: null, timers: new Set(),
    };
    this.tabs.set(init.tabId, record);
    return { record, replaced: previous !== undefined };
  }

  /** Drops a tab and everything pending for it; true when it was connected. */
  remove(tabId: string): boolean {
    const tab = this.tabs.get(tabId);
    if (!tab) return false;
    this.tabs.delete(tabId);
    this.retire(tab);
    return true;
  }

  get(tabId: string): TabRecord | undefined {
    return this.tabs.get(tabId);
  }

  get count(): number {
    return this.tabs.size;
  }

  ids(): string[] {
    return [...this.tabs.keys()];
  }

  records(): TabRecord[] {
    return [...this.tabs.values()];
  }

  /** One message to one tab. */
  send(tabId: string, json: string, kind: DeliveryKind = 'control'): void {
    const tab = this.tabs.get(tabId);
    if (tab) this.offer(tab, json, kind);
  }

  /** The same JSON to every tab (state messages skip tabs that wait for a full state). */
  sendAll(json: string, kind: DeliveryKind): void {
    for (const tab of this.tabs.values()) this.offer(tab, json, kind);
  }

  /** A control message encoded per tab (when its content depends on the recipient). */
  sendEach(encode: (tab: TabRecord) => string): void {
    for (const tab of this.tabs.values()) this.deliver(tab, encode(tab));
  }

  /** The tab sent something: if it waits for a full state and nothing is pending, it gets it now. */
  noteLife(tabId: string): void {
    const tab = this.tabs.get(tabId);
    if (tab) tab.unconfirmedSince = null;
    if (tab && tab.needsFull && tab.pending === 0) this.sendFull(tab);
  }

  /** The tab gets a full state now (its `resync`), and follows deltas again. */
  sendFullTo(tabId: string): void {
    const tab = this.tabs.get(tabId);
    if (tab) this.sendFull(tab);
  }

  info(): TabInfo[] {
    return this.records().map((t) => ({
      tabId: t.tabId, role: t.role, url: t.url, connectedAt: t.connectedAt,
      lastSynchronize: t.lastSynchronize, lastAcknowledge: t.lastAcknowledge, alive: !t.late,
    }));
  }

  private offer(tab: TabRecord, json: string, kind: DeliveryKind): void {
    if (kind === 'state') {
      if (tab.needsFull) return;
      if (tab.unconfirmedSince !== null && this.o.now() - tab.unconfirmedSince > this.o.timings.deliveryDeadlineMs) {
        tab.needsFull = true;
        this.o.log(LogLevel.WARN, `tab ${tab.tabId}: no sign of life ${this.o.timings.deliveryDeadlineMs} ms after a delivery; deltas paused until it shows life`);
        return;
      }
      if (tab.pending >= this.o.timings.maxUnsettledDeliveries) {
        tab.needsFull = true;
        this.o.log(LogLevel.WARN, `tab ${tab.tabId}: ${tab.pending} deliveries unsettled; deltas paused until it drains`);
        return;
      }
    }
    this.deliver(tab, json);
  }

  private sendFull(tab: TabRecord): void {
    tab.needsFull = false;
    this.deliver(tab, this.o.fullState());
  }

  private deliver(tab: TabRecord, json: string): void {
    tab.unconfirmedSince ??= this.o.now();
    let result: unknown;
    try {
      result = tab.push(json);
    } catch (e) {
      this.noteFailure(tab, e);
      return;
    }
    // A push that returns a promise (a Comlink proxy) is tracked until it settles, with a deadline; a synchronous
    // one (a port) is done — no timer per message on the fan-out path.
    if (isThenable(result)) this.track(tab, result);
  }

  private track(tab: TabRecord, result: PromiseLike<unknown>): void {
    tab.pending++;
    let settled = false;
    const timer = setTimeout(() => {
      tab.timers.delete(timer);
      if (settled || !this.isCurrent(tab)) return;
      tab.late = true;
      if (!tab.needsFull) {
        tab.needsFull = true;
        this.o.log(LogLevel.WARN, `tab ${tab.tabId}: a delivery missed its ${this.o.timings.deliveryDeadlineMs} ms deadline`);
      }
    }, this.o.timings.deliveryDeadlineMs);
    tab.timers.add(timer);
    const settle = (ok: boolean, error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tab.timers.delete(timer);
      if (!this.isCurrent(tab)) return;
      tab.pending--;
      if (ok) tab.unconfirmedSince = null; // a callback that answered is alive
      else this.noteFailure(tab, error);
      if (tab.pending === 0) this.drained(tab);
    };
    result.then(() => settle(true), (e: unknown) => settle(false, e));
  }

  private drained(tab: TabRecord): void {
    tab.late = false;
    if (tab.needsFull) this.sendFull(tab);
  }

  private noteFailure(tab: TabRecord, error: unknown): void {
    tab.failures++;
    if (tab.failures === 1 || tab.failures % 100 === 0) {
      this.o.log(LogLevel.WARN, `tab ${tab.tabId}: delivery failed (${tab.failures} so far): ${String(error)}`);
    }
  }

  private isCurrent(tab: TabRecord): boolean {
    return this.tabs.get(tab.tabId) === tab;
  }

  private retire(tab: TabRecord): void {
    for (const t of tab.timers) clearTimeout(t);
    tab.timers.clear();
    try {
      tab.release?.();
    } catch (e) {
      this.o.log(LogLevel.WARN, `tab ${tab.tabId}: releasing its connection failed: ${String(e)}`);
    }
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
