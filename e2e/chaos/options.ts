/** Command-line options of `npm run chaos`, and the seeded random source every choice comes from. */

export interface ChaosOptions {
  tabs: number;
  seconds: number;
  fallback: boolean;
  seed: number;
  /** Where the report goes. */
  out: string;
  /** The CTI backend's port; the CRM server of the genuine tabs listens on `port + 1` ({@link crmPortOf}). */
  port: number;
  username: string;
  /** Agent actions per second, chosen among those the backend's current state allows. */
  rate: number;
  /** How many of the `tabs` are CRM pages on the genuine amazon-connect-streams release embedding our CCP. */
  genuine: number;
  /** The page each tab opens: a path on the simulator (default `/ccp`) or an absolute URL (your own pages). */
  page: string;
}

/** Default 2 actions/s: a 3-minute run makes hundreds of actions while 2 shared cores keep up. */
export const DEFAULT_RATE = 2;
/** Below 0.1/s a 30-s run would make 3 actions; above 20/s the driver (one evaluate per action) becomes the
 * bottleneck on 2 cores and the rate would be a lie. */
export const MIN_RATE = 0.1;
export const MAX_RATE = 20;

const USAGE = 'usage: npm run chaos -- --tabs N --seconds S [--rate R] [--genuine K] [--fallback] [--seed X] [--out DIR] [--port P] [--page URL]\n'
  + `  --rate R     agent actions per second, ${MIN_RATE} to ${MAX_RATE} (default ${DEFAULT_RATE})\n`
  + '  --genuine K  K of the N tabs are CRM pages on the genuine amazon-connect-streams release (CRM server on P+1)';

/** The genuine tabs' CRM server: next to the backend's port, so one `--port` keeps a run inside its own range. */
export function crmPortOf(port: number): number {
  return port + 1;
}

export function parseOptions(argv: string[]): ChaosOptions {
  const o: ChaosOptions = { tabs: 5, seconds: 30, fallback: false, seed: Date.now() % 1_000_000, out: 'chaos-report', port: 29080, username: 'agent1',
    rate: DEFAULT_RATE, genuine: 0, page: '/ccp' };
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
      case '--port': o.port = int(1024, 65534); break;
      case '--rate': {
        const raw = value();
        const r = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(r) || r < MIN_RATE || r > MAX_RATE) {
          throw new Error(`--rate must be a number of actions per second from ${MIN_RATE} to ${MAX_RATE}, got "${raw}"\n${USAGE}`);
        }
        o.rate = r;
        break;
      }
      case '--genuine': o.genuine = int(0, 50); break;
      case '--out': o.out = value(); break;
      case '--page': o.page = value(); break;
      case '--fallback': o.fallback = true; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (o.genuine > o.tabs) throw new Error(`--genuine ${o.genuine} is more than --tabs ${o.tabs}: the genuine tabs are among the N\n${USAGE}`);
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
