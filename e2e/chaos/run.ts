/**
 * `npm run chaos -- --tabs N --seconds S [--fallback] [--seed X]`: headless Chromium with N CCP tabs against the real
 * backend; random agent actions from the tabs, backend events, tabs killed, crashed, frozen and opened, backend
 * faults — while every tab is checked continuously against the backend's truth. Ends with a report (JSON + HTML
 * timeline) and exits non-zero on any divergence, lost or duplicated action. The same seed makes the same choices.
 */
import { launchChromium, startBackendProcess } from '../fixtures/processes';
import { Ledger, runAction, type AgentAction } from './actions';
import { ConsistencyChecker, readTruth } from './checker';
import { parseOptions, Rng, type ChaosOptions } from './options';
import { writeReport, type ChaosReport } from './report';
import { Timeline } from './timeline';
import { World, type Tab } from './world';

/** Steps come every 150–500 ms: fast enough to overlap actions, faults and tab deaths, slow enough for 2 cores. */
const STEP_MIN_MS = 150;
const STEP_MAX_MS = 500;
/** At most this many agent actions in flight at once (tabs act concurrently, as agents with several tabs do). */
const MAX_IN_FLIGHT = 3;
const CHECK_INTERVAL_MS = 1000;
/** The end: every tab must agree with the backend within this, after faults are cleared and frozen tabs thawed. */
const FINAL_CONVERGENCE_MS = 30_000;
const STATES = ['Available', 'Available', 'Lunch', 'Training', 'Offline'];
const ACTIONS: Record<AgentAction, number> = { setState: 3, accept: 4, hangup: 2, clear: 3, hold: 1, resume: 1 };
type StepKind = 'action' | 'inbound' | 'hangup' | 'close' | 'crash' | 'freeze' | 'open' | 'fault';
const STEPS: Record<StepKind, number> = { action: 10, inbound: 4, hangup: 2, close: 1, crash: 1, freeze: 1.2, open: 1.5, fault: 0.8 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class ChaosRun {
  readonly rng: Rng;
  readonly ledger = new Ledger();
  readonly counts = { opened: 0, closed: 0, crashed: 0, frozen: 0, maxLive: 0 };
  readonly backendEvents: Record<string, number> = {};
  readonly faults: { kind: string; atMs: number; ms: number }[] = [];
  readonly failovers: { atMs: number; ms: number }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly background = new Set<Promise<void>>();
  private faultActive = false;
  running = true;

  constructor(readonly o: ChaosOptions, readonly world: World, readonly checker: ConsistencyChecker, readonly timeline: Timeline) {
    this.rng = new Rng(o.seed);
  }

  private track(p: Promise<void>, set = this.background): void {
    set.add(p);
    void p.finally(() => set.delete(p));
  }

  async step(): Promise<void> {
    const kind = this.rng.weighted(STEPS);
    const active = this.world.active();
    switch (kind) {
      case 'action': {
        if (this.inFlight.size >= MAX_IN_FLIGHT || active.length === 0) return;
        const tab = this.rng.pick(active);
        const action = this.rng.weighted(ACTIONS);
        const state = this.rng.pick(STATES);
        this.track((async () => {
          const outcome = await runAction(tab.page, action, state);
          this.ledger.record(action, outcome);
          const what = outcome.kind === 'failed' ? `failed ${outcome.type}` : outcome.kind;
          this.timeline.add('action', `tab ${tab.id} ${action}${action === 'setState' ? ` ${state}` : ''}: ${what}`, tab.id);
        })(), this.inFlight);
        return;
      }
      case 'inbound': {
        const type = this.rng.pick(['voice', 'chat', 'chat', 'queue_callback']);
        const ok = await this.world.backend.control('POST', '/sim/contacts', { username: this.o.username, type }).then(() => true, () => false);
        this.count(`inbound ${type}: ${ok ? 'routed' : 'refused'}`);
        this.timeline.add('backend', `inbound ${type} ${ok ? 'routed' : 'refused'}`);
        return;
      }
      case 'hangup': {
        const truth = await readTruth(this.world.backend, this.o.username);
        const live = truth.contacts.filter((c) => /:(connected|connecting|incoming)$/.test(c));
        if (!live.length) return;
        const id = this.rng.pick(live).split(':')[0]!;
        const ok = await this.world.backend.control('POST', `/sim/contacts/${id}/hangup`).then(() => true, () => false);
        this.count(`customer hangup: ${ok ? 'ok' : 'refused'}`);
        this.timeline.add('backend', `customer hung up ${id.slice(0, 8)}`);
        return;
      }
      case 'close': case 'crash': {
        if (active.length <= 1) return;
        await this.kill(this.rng.pick(active), kind);
        return;
      }
      case 'freeze': {
        if (active.length <= 1) return;
        const tab = this.rng.pick(active);
        await this.world.freeze(tab);
        this.counts.frozen++;
        const ms = this.rng.int(1000, 4000);
        this.track(sleep(ms).then(() => this.world.thaw(tab)).catch(() => undefined));
        return;
      }
      case 'open': {
        if (this.world.live().length >= this.o.tabs + 3) return;
        await this.world.open();
        this.counts.opened++;
        this.counts.maxLive = Math.max(this.counts.maxLive, this.world.live().length);
        return;
      }
      case 'fault':
        if (!this.faultActive) this.track(this.fault());
        return;
      default:
        return;
    }
  }

  private count(key: string): void {
    this.backendEvents[key] = (this.backendEvents[key] ?? 0) + 1;
  }

  /** Closes or crashes a tab; when it led (fallback), measures how long until every other tab follows a new leader. */
  private async kill(tab: Tab, how: 'close' | 'crash'): Promise<void> {
    const view = this.o.fallback ? await this.world.read(tab) : null;
    const t0 = Date.now();
    if (how === 'close') { await this.world.close(tab); this.counts.closed++; } else { await this.world.crash(tab); this.counts.crashed++; }
    if (view?.leader && view.epoch !== null) this.track(this.measureFailover(view.epoch, t0));
  }

  private async measureFailover(oldEpoch: number, t0: number): Promise<void> {
    const deadline = t0 + 20_000;
    while (Date.now() < deadline) {
      const views = await Promise.all(this.world.active().map((t) => this.world.read(t)));
      if (views.length && views.every((v) => v && v.epoch !== null && v.epoch > oldEpoch)) {
        const ms = Date.now() - t0;
        this.failovers.push({ atMs: t0 - this.timeline.start, ms });
        this.timeline.add('failover', `new leader after ${ms} ms`);
        return;
      }
      await sleep(50);
    }
    this.timeline.add('failover', 'no new leader within 20 s');
    this.failovers.push({ atMs: t0 - this.timeline.start, ms: Number.NaN });
  }

  private async fault(): Promise<void> {
    this.faultActive = true;
    const kind = this.rng.pick(['latency', '5xx', '429', 'down'] as const);
    const ms = kind === 'down' ? this.rng.int(2000, 5000) : this.rng.int(3000, 6000);
    const spec = kind === 'latency' ? { latencyMs: this.rng.int(300, 1500) }
      : kind === '5xx' ? { errorRate: 0.5, status: 503 }
        : kind === '429' ? { errorRate: 0.5, status: 429 } : { down: true };
    const at = this.timeline.elapsed();
    this.checker.excuse(at + ms);
    this.timeline.add('fault', `${kind} for ${ms} ms`, undefined, ms);
    this.faults.push({ kind, atMs: at, ms });
    try {
      await this.world.backend.control('POST', '/sim/faults', spec);
      await sleep(ms);
    } finally {
      await this.world.backend.control('DELETE', '/sim/faults').catch(() => undefined);
      this.checker.excuse(this.timeline.elapsed());
      this.faultActive = false;
    }
  }

  async checkLoop(): Promise<void> {
    while (this.running) {
      await this.checker.check().catch((e: unknown) => this.timeline.add('check', `check failed: ${String(e)}`));
      await sleep(CHECK_INTERVAL_MS);
    }
  }

  progress(): void {
    const s = Math.round(this.timeline.elapsed() / 1000);
    const ops = Object.values(this.ledger.ops);
    const line = `t=${s}s/${this.o.seconds}s tabs=${this.world.live().length} actions=${ops.reduce((a, o) => a + o.issued, 0)} `
      + `ok=${ops.reduce((a, o) => a + o.ok, 0)} killed=${this.counts.closed + this.counts.crashed} frozen=${this.counts.frozen} `
      + `faults=${this.faults.length} divergences=${this.checker.divergences.length}`;
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`); else console.log(line);
  }

  /** Stops making trouble and lets everything settle: faults cleared, frozen tabs thawed, actions answered. */
  async windDown(): Promise<void> {
    this.running = false;
    await this.world.backend.control('DELETE', '/sim/faults').catch(() => undefined);
    await Promise.all([...this.inFlight, ...this.background]);
    for (const tab of this.world.live()) await this.world.thaw(tab).catch(() => undefined);
    if (this.world.active().length === 0) await this.world.open();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  console.log(`chaos: ${o.tabs} tabs, ${o.seconds} s, ${o.fallback ? 'fallback' : 'SharedWorker'}, seed ${o.seed}`);
  const backend = await startBackendProcess(o.port, { RING_TIMEOUT_MS: '15000' });
  const browser = await launchChromium();
  let exitCode = 1;
  try {
    await backend.control('POST', '/sim/reset');
    await backend.control('POST', '/sim/stats/reset');
    const timeline = new Timeline();
    const world = await World.create(browser, backend, o.username, o.fallback, timeline, o.page);
    const checker = new ConsistencyChecker(world, o.username, timeline);
    const run = new ChaosRun(o, world, checker, timeline);
    for (let i = 0; i < o.tabs; i++) await world.open();
    run.counts.maxLive = world.live().length;
    const checks = run.checkLoop();
    const progress = setInterval(() => run.progress(), 1000);
    const end = Date.now() + o.seconds * 1000;
    while (Date.now() < end) {
      await run.step().catch((e: unknown) => timeline.add('check', `step failed: ${String(e).slice(0, 200)}`));
      await sleep(run.rng.int(STEP_MIN_MS, STEP_MAX_MS));
    }
    clearInterval(progress);
    await run.windDown();
    await checks;
    const finalConvergence = await checker.finalConvergence(FINAL_CONVERGENCE_MS);
    const truth = await readTruth(backend, o.username);
    const { lost, duplicated, detail } = run.ledger.check(truth.applied);
    for (const tab of world.live()) await world.read(tab);
    const report: ChaosReport = {
      options: o, startedAt: new Date(timeline.start).toISOString(), durationMs: timeline.elapsed(),
      tabs: { initial: o.tabs, ...run.counts },
      eventsDelivered: world.tabs.reduce((a, t) => a + t.events, 0),
      actions: run.ledger.outcomes, ledger: detail, lost, duplicated,
      backendEvents: run.backendEvents, faults: run.faults, failovers: run.failovers,
      divergences: checker.divergences, finalConvergence,
      checks: { total: checker.checks, allInSync: checker.inSyncChecks },
      pageErrors: world.tabs.flatMap((t) => t.errors.map((e) => `tab ${t.id}: ${e}`)),
      verdict: checker.divergences.length === 0 && !finalConvergence && lost === 0 && duplicated === 0 ? 'pass' : 'fail',
      timeline: timeline.entries,
    };
    const files = writeReport(o.out, report);
    const failovers = run.failovers.map((f) => f.ms);
    console.log(`\n\nchaos ${report.verdict.toUpperCase()}: ${report.eventsDelivered} events delivered; tabs opened ${run.counts.opened}, `
      + `closed ${run.counts.closed}, crashed ${run.counts.crashed}, frozen ${run.counts.frozen}; faults ${run.faults.length}; `
      + `failovers ${failovers.length}${failovers.length ? ` (${failovers.map((m) => `${m} ms`).join(', ')})` : ''}; `
      + `divergences ${checker.divergences.length}; lost ${lost}; duplicated ${duplicated}; `
      + `final convergence: ${finalConvergence ?? 'ok'}`);
    console.log('request outcomes:', JSON.stringify(run.ledger.outcomes));
    console.log(`report: ${files.json}, ${files.html}`);
    console.log(`chaos: ${report.verdict === 'pass' ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
    exitCode = report.verdict === 'pass' ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
    await backend.stop();
  }
  process.exit(exitCode);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(2); });
