/**
 * A simulated browser for the fallback's unit tests: one lock manager, one channel hub, one epoch counter and one
 * engine factory shared by its tabs; each tab is a `BroadcastNode` that can be closed, crashed, frozen and thawed.
 */
import { BroadcastNode } from '../../client/fallback/broadcast-node';
import { FakeChannelHub, type FakeChannel } from './fake-channel';
import { FakeEngineFactory } from './fake-engine-host';
import { FakeEpochs } from './fake-epochs';
import { FakeLockManager, type FakeLockClient } from './fake-locks';

export interface SimTab {
  name: string;
  node: BroadcastNode;
  locks: FakeLockClient;
  channel: FakeChannel;
  logs: string[];
  freeze(): void;
  thaw(): void;
  /** `pagehide`: the node stops (engine first, then the lock). */
  close(): void;
  /** Renderer gone: nothing runs any more, the browser releases its locks. */
  crash(): void;
}

export class FakeBrowser {
  readonly locks = new FakeLockManager();
  readonly hub = new FakeChannelHub();
  readonly epochs = new FakeEpochs();
  readonly factory = new FakeEngineFactory();
  readonly tabs: SimTab[] = [];

  tab(name: string, opts: { heartbeatMs?: number } = {}): SimTab {
    const locks = this.locks.client(name);
    const channel = this.hub.open();
    const logs: string[] = [];
    const node = new BroadcastNode({
      loadEngine: async () => this.factory, origin: 'https://ccp.example', locks, channel, epochs: this.epochs,
      log: (level, text) => logs.push(`${level}: ${text}`), heartbeatMs: opts.heartbeatMs,
    });
    node.start();
    const tab: SimTab = {
      name, node, locks, channel, logs,
      freeze: () => { locks.freeze(); channel.freeze(); },
      thaw: () => { locks.thaw(); channel.thaw(); },
      close: () => node.stop(),
      crash: () => { channel.freeze(); locks.freeze(); this.locks.drop(locks); },
    };
    this.tabs.push(tab);
    return tab;
  }

  /** Tabs that currently say they lead. */
  leaders(): SimTab[] {
    return this.tabs.filter((t) => t.node.isLeader);
  }
}

type Immediate = (cb: () => void) => unknown;

/** Lets pending promise continuations and microtask deliveries run (setImmediate stays real under mock.timers). */
export async function flush(turns = 30): Promise<void> {
  const immediate = (globalThis as unknown as { setImmediate: Immediate }).setImmediate;
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => { immediate(r); });
}

/** Advances mocked timers in small steps (so timers due along the way run in order), flushing after each. */
export async function advance(timers: { tick(ms: number): void }, ms: number, step = 50): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    timers.tick(Math.min(step, ms - done));
    await flush(5);
  }
  await flush();
}
