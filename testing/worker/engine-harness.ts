/**
 * Builds an `Engine` on fakes, for the engine's tests.
 */
import type { Contact } from '../../shared/cti';
import { TransportKind } from '../../shared/protocol';
import { Engine, type FanOut } from '../../worker/engine';
import { MemoryStore } from '../../worker/store';
import type { EngineTimings } from '../../worker/timings';
import { snapshot } from './agent-data';
import { FakeCti } from './fake-cti';
import { FakeAuth, FakeLiveness, FakeTab } from './fakes';
import { flush } from './clock';

export interface Harness {
  engine: Engine;
  cti: FakeCti;
  auth: FakeAuth;
  store: MemoryStore;
  liveness: FakeLiveness;
  /** Connects a tab and flushes. */
  connect(tab: FakeTab, extra?: Record<string, unknown>): Promise<FakeTab>;
  /** Answers the pending long poll with this agent state. */
  answerPoll(contacts?: Contact[], opts?: { stateName?: string; token?: string; skewMs?: number }): Promise<void>;
}

let tokenCounter = 0;

export function harness(opts: { timings?: Partial<EngineTimings>; store?: MemoryStore; auth?: FakeAuth; cti?: FakeCti; fanOut?: FanOut } = {}): Harness {
  const cti = opts.cti ?? new FakeCti();
  const auth = opts.auth ?? new FakeAuth();
  const store = opts.store ?? new MemoryStore();
  const liveness = new FakeLiveness();
  let ids = 0;
  const engine = new Engine({
    cti, auth, store, liveness, clock: { now: () => Date.now() }, random: () => 0.5,
    transport: TransportKind.SHARED_WORKER, newId: () => `id-${++ids}`, fanOut: opts.fanOut,
    // The engine's 5 ms pause after a change (`repollAfterChangeMs`) is off unless a test asks for it: each test then
    // steps only the timers it is about (worker/poller.test.ts and bench/baseline.test.ts test the pause).
    timings: { repollAfterChangeMs: 0, ...opts.timings },
  });
  return {
    engine, cti, auth, store, liveness,
    async connect(tab, extra = {}) {
      const welcome = await engine.connectTab({ ...tab.hello(), ...extra }, tab.push);
      if ('error' in welcome) throw new Error(welcome.error.message);
      await flush();
      return tab;
    },
    async answerPoll(contacts = [], o = {}) {
      const time = (Date.now() + (o.skewMs ?? 0)) / 1000;
      cti.nextPoll().resolve({ snapshot: snapshot(contacts, { stateName: o.stateName, time }), nextToken: o.token ?? `t${++tokenCounter}` });
      await flush();
    },
  };
}
