/** Command-line options of `npm run chaos`, and the seeded random source every choice comes from. */

export interface ChaosOptions {
  tabs: number;
  seconds: number;
  fallback: boolean;
  seed: number;
  /** Where the report goes. */
  out: string;
  port: number;
  username: string;
  /** The page each tab opens: a path on the simulator (default `/ccp`) or an absolute URL (your own pages). */
  page: string;
}

const USAGE = 'usage: npm run chaos -- --tabs N --seconds S [--fallback] [--seed X] [--out DIR] [--port P] [--page URL]';

export function parseOptions(argv: string[]): ChaosOptions {
  const o: ChaosOptions = { tabs: 5, seconds: 30, fallback: false, seed: Date.now() % 1_000_000, out: 'chaos-report', port: 29080, username: 'agent1', page: '/ccp' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${a} must be an integer from ${min} to ${max}\n${USAGE}`);
      return n;
    };
    switch (a) {
      case '--tabs': o.tabs = int(1, 50); break;
      case '--seconds': o.seconds = int(5, 3600); break;
      case '--seed': o.seed = int(0, 2 ** 31); break;
      case '--port': o.port = int(1024, 65535); break;
      case '--out': o.out = value(); break;
      case '--page': o.page = value(); break;
      case '--fallback': o.fallback = true; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}

/** mulberry32: small, fast and good enough to make a run reproducible from its seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((a, [, w]) => a + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}
