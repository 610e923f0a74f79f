/**
 * Benchmark instruments, built only into the benchmark's own worker bundle (`bench/bench-worker.ts`), never into
 * `dist/`:
 * - raw ports that pages attach, over which the worker fans out a payload with plain `postMessage` — the platform
 *   floor our engine's delivery is compared against, measured from the same worker in the same run;
 * - the arrival time of every long-poll answer, so the engine's share of a notification can be told from the
 *   backend's.
 */
import type { CtiClient } from '../worker/cti-client';

/** Local high-resolution epoch ms (the worker's timer has 100 µs steps; fine for ms figures). */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface PollArrival {
  nextToken: string;
  at: number;
}

/** Keep this many arrivals: a benchmark run makes a few hundred changes. */
const MAX_ARRIVALS = 5000;
/** Repeated fan-outs per command at most: the CPU floor makes a few dozen. */
const MAX_REPEAT = 1000;

export class BenchProbe {
  private readonly ports = new Set<MessagePort>();
  private readonly arrivals: PollArrival[] = [];
  private seq = 0;

  /** Wraps the engine's CTI client to record when each long-poll answer arrived. */
  instrument(cti: CtiClient): CtiClient {
    const arrivals = this.arrivals;
    return new Proxy(cti, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'call' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (args[0] === 'GetAgentSnapshot') {
            arrivals.push({ nextToken: String((out as { nextToken?: unknown }).nextToken), at: preciseNow() });
            if (arrivals.length > MAX_ARRIVALS) arrivals.splice(0, arrivals.length - MAX_ARRIVALS);
          }
          return out;
        };
      },
    });
  }

  /** The methods added to each port's Comlink endpoint. */
  endpointMethods(): Record<string, (...args: never[]) => unknown> {
    return {
      benchAttach: (port: MessagePort) => {
        this.ports.add(port);
        port.onmessage = (e: MessageEvent) => this.onCommand(e.data as { cmd?: string; json?: string; mode?: string });
        port.start();
        return this.ports.size;
      },
    };
  }

  private onCommand(cmd: { cmd?: string; json?: string; mode?: string; count?: number; gapMs?: number }): void {
    if (cmd.cmd === 'fanout' && typeof cmd.json === 'string') {
      const json = cmd.json;
      const mode = cmd.mode === 'object' ? 'object' : 'json';
      // `count` fan-outs `gapMs` apart (the CPU floor: started by one command, so no page is driven in the window).
      const count = Math.min(MAX_REPEAT, Math.max(1, Math.floor(Number(cmd.count) || 1)));
      const gap = Math.max(0, Number(cmd.gapMs) || 0);
      this.fanout(json, mode);
      for (let i = 1; i < count; i++) setTimeout(() => this.fanout(json, mode), i * gap);
    }
    if (cmd.cmd === 'arrivals') for (const p of this.ports) p.postMessage({ kind: 'arrivals', arrivals: this.arrivals.slice() });
    if (cmd.cmd === 'detach-all') this.ports.clear();
  }

  /** One raw fan-out: the payload as a JSON string (parsed by the receiver) or as an object (structured clone). */
  private fanout(json: string, mode: 'json' | 'object'): void {
    const seq = ++this.seq;
    const payload = mode === 'object' ? JSON.parse(json) as unknown : json;
    const t0 = preciseNow();
    for (const p of this.ports) p.postMessage({ kind: 'fanout', seq, t0, mode, payload });
  }
}
