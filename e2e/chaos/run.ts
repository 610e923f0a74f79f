/**
 * `npm run chaos -- --tabs N --seconds S [--rate R] [--genuine K] [--fallback] [--seed X]`: headless Chromium with N
 * tabs (K of them CRM pages on the genuine amazon-connect-streams release embedding our CCP) against the real
 * backend; agent actions at R per second from the tabs, each chosen among those the backend's state allows; backend events, tabs killed, crashed, frozen and opened, backend
 * faults — while every tab is checked continuously against the backend's truth. Ends with a report (JSON + HTML
 * timeline) and exits non-zero on any divergence, lost or duplicated action. The same seed makes the same choices.
 */
import { launchChromium, startBackendProcess } from '../fixtures/processes';
import { Ledger, runAction } from './actions';
import { chooseAction } from './choice';
import { ConsistencyChecker, followedNewLeader, readTruth } from './checker';
import { crmPortOf, parseOptions, Rng, type ChaosOptions } from './options';
import { eventCount, readStreamRecord, streamProblems } from './streams';
import { startCrmServer } from '../../backend/crm-server';
import { writeReport, type ChaosReport } from './report';
import { Timeline } from './timeline';
import { World, type Tab, type TabKind } from './world';

/** Trouble (inbound contacts, customer hang-ups, tab deaths, freezes, faults) comes every 300–1000 ms: about the
 * pace of the old mixed loop's non-action steps, enough to overlap with actions, slow enough for 2 cores. */
const STEP_MIN_MS = 300;
const STEP_MAX_MS = 1000;
/** Agent actions in flight at once: two seconds' worth at the chosen rate (tabs act concurrently, as agents with
 * several tabs do), at least 3; an action that finds every slot busy waits for one rather than being dropped. */
const inFlightCap = (rate: number): number => Math.max(3, Math.ceil(rate * 2));
const CHECK_INTERVAL_MS = 1000;
/** The end: every tab must agree with the backend within this, after faults are cleared and frozen tabs thawed. */
const FINAL_CONVERGENCE_MS = 30_000;
/** Timeline entries printed when the run does not converge: the last few seconds of a run at 2 actions/s. */
const FAILURE_TIMELINE_TAIL = 40;
type StepKind = 'inbound' | 'hangup' | 'close' | 'crash' | 'freeze' | 'open' | 'fault';
/** Inbound contacts weigh most so that the agent's actions (accept, hold, hang up, clear) have contacts to act on. */
const STEPS: Record<StepKind, number> = { inbound: 7, hangup: 1.5, close: 1, crash: 1, freeze: 1.2, open: 1.5, fault: 0.8 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class ChaosRun {
  readonly rng: Rng;
  /** The actions' own random source, so the trouble loop and the action loop each replay from the seed. */
  readonly actionRng: Rng;
  /** Action ticks that found no tab to act from. */
  noTab = 0;
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
    this.actionRng = new Rng(o.seed ^ 0x5bd1e995);
  }

  /**
   * One agent action: reads the backend's truth, picks among the actions it allows (weighted), and runs it from a
   * random active tab. Waits for a free slot when `inFlightCap` actions are still out.
   */
  async act(): Promise<void> {
    while (this.inFlight.size >= inFlightCap(this.o.rate)) await Promise.race(this.inFlight);
    const active = this.world.active();
    if (active.length === 0) { this.noTab++; return; }
    const truth = await readTruth(this.world.backend, this.o.username);
    const { action, state } = chooseAction(this.actionRng, truth.agent);
    const tab = this.actionRng.pick(active);
    this.track((async () => {
      const outcome = await runAction(tab.page, action, state);
      this.ledger.record(action, outcome);
      const what = outcome.kind === 'failed' ? `failed ${outcome.type}` : outcome.kind === 'skipped' ? `skipped (${outcome.reason})` : 'ok';
      this.timeline.add('action', `tab ${tab.id}${tab.kind === 'genuine' ? ' (genuine)' : ''} ${action}${action === 'setState' ? ` ${state}` : ''}: ${what}`, tab.id);
    })(), this.inFlight);
  }

  /** Actions at `--rate` per second until `end`, each tick on its own schedule (a slow action does not delay the next). */
  async actionLoop(end: number): Promise<void> {
    const interval = 1000 / this.o.rate;
    let next = Date.now();
    while (Date.now() < end) {
      await this.act().catch((e: unknown) => this.timeline.add('check', `action failed to start: ${String(e).slice(0, 200)}`));
      next += interval;
      // Behind schedule (a slow truth read, every slot busy): catch up at most one interval, never in a burst.
      next = Math.max(next, Date.now() - interval);
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  private track(p: Promise<void>, set = this.background): void {
    set.add(p);
    void p.finally(() => set.delete(p));
  }

  /** Fewest live tabs the trouble keeps: kills stop below it and it is topped up first, so every check covers
   * several tabs (and the genuine ones) rather than the last survivor. */
  private floor(): number {
    return Math.max(1, Math.ceil(this.o.tabs / 2), this.o.genuine);
  }

  /** The kind of tab to open: genuine while fewer than `--genuine` genuine tabs live. */
  private nextKind(): TabKind {
    return this.world.live().filter((t) => t.kind === 'genuine').length < this.o.genuine ? 'genuine' : 'ccp';
  }

  async step(): Promise<void> {
    const active = this.world.active();
    const kind: StepKind = this.world.live().length < this.floor() ? 'open' : this.rng.weighted(STEPS);
    switch (kind) {
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
        if (active.length <= 1 || this.world.live().length <= this.floor()) return;
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
        // Keep about `--genuine` of the live tabs genuine: a killed genuine tab is replaced by a genuine one.
        await this.world.open(this.nextKind());
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
      const tabs = this.world.active();
      const views = await Promise.all(tabs.map((t) => this.world.read(t)));
      if (followedNewLeader(tabs.map((t, i) => ({ kind: t.kind, view: views[i]! })), oldEpoch)) {
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
    const t = this.ledger.totals();
    const line = `t=${s}s/${this.o.seconds}s tabs=${this.world.live().length} actions=${t.issued} skipped=${t.skipped} `
      + `ok=${t.ok} killed=${this.counts.closed + this.counts.crashed} frozen=${this.counts.frozen} `
      + `faults=${this.faults.length} divergences=${this.checker.divergences.length}`;
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`); else console.log(line);
  }

  /** Stops making trouble and lets everything settle: faults cleared, frozen tabs thawed, actions answered. */
  async windDown(): Promise<void> {
    this.running = false;
    await this.world.backend.control('DELETE', '/sim/faults').catch(() => undefined);
    await Promise.all([...this.inFlight, ...this.background]);
    for (const tab of this.world.live()) await this.world.thaw(tab).catch(() => undefined);
    // Back to `--tabs` live tabs, `--genuine` of them genuine: late joiners must converge too, and the end checks
    // then cover every kind of tab.
    while (this.world.live().length < this.o.tabs || this.nextKind() === 'genuine') {
      await this.world.open(this.nextKind());
      this.counts.opened++;
    }
  }
}

/** Per live tab: what its Streams event record shows lost or duplicated against the final truth. */
async function streamChecks(world: World, truth: { stateName: string; contacts: string[] }): Promise<ChaosReport['streams']> {
  const out: ChaosReport['streams'] = [];
  const contactIds = truth.contacts.map((c) => c.split(':')[0]!);
  for (const tab of world.active()) {
    const rec = await readStreamRecord(tab.page);
    if (!rec) { out.push({ tab: tab.id, kind: tab.kind, events: 0, lost: ['the tab did not hand over its record'], duplicated: [] }); continue; }
    out.push({ tab: tab.id, kind: tab.kind, events: eventCount(rec), ...streamProblems(rec, { stateName: truth.stateName, contactIds }) });
  }
  return out;
}

/** For a run that did not converge, what the CI log needs to tell why: the engine's status and the last events. */
async function printFailureContext(world: World, timeline: Timeline): Promise<void> {
  const info = await world.engineInfo();
  console.log(info
    ? `engine: ${info.engineId} polling=${info.polling} version=${info.version} polls/min=${info.pollsPerMinute} tabs=${info.tabCount}`
    : 'engine: no CCP tab answered an inspect');
  console.log(`last ${FAILURE_TIMELINE_TAIL} timeline entries:`);
  for (const e of timeline.entries.slice(-FAILURE_TIMELINE_TAIL)) console.log(`  t=${e.t} ${e.kind}${e.tab !== undefined ? ` tab ${e.tab}` : ''}: ${e.text}`);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const crmPort = crmPortOf(o.port);
  console.log(`chaos: ${o.tabs} tabs${o.genuine ? ` (${o.genuine} genuine Streams CRM pages, CRM server on port ${crmPort})` : ''}, `
    + `${o.seconds} s, ${o.rate} actions/s, ${o.fallback ? 'fallback' : 'SharedWorker'}, seed ${o.seed}`);
  const crmOrigin = `http://127.0.0.1:${crmPort}`;
  const backend = await startBackendProcess(o.port, { RING_TIMEOUT_MS: '15000',
    ...(o.genuine ? { APPROVED_ORIGINS: crmOrigin } : {}) });
  const crm = o.genuine ? await startCrmServer({ port: crmPort, host: '127.0.0.1', ccpUrl: backend.url }) : null;
  const browser = await launchChromium();
  let exitCode = 1;
  try {
    await backend.control('POST', '/sim/reset');
    await backend.control('POST', '/sim/stats/reset');
    const timeline = new Timeline();
    const world = await World.create(browser, backend, o.username, o.fallback, timeline, crm?.url ?? null, o.page);
    const checker = new ConsistencyChecker(world, o.username, timeline);
    const run = new ChaosRun(o, world, checker, timeline);
    for (let i = 0; i < o.tabs; i++) await world.open(i < o.genuine ? 'genuine' : 'ccp');
    run.counts.maxLive = world.live().length;
    const checks = run.checkLoop();
    const progress = setInterval(() => run.progress(), 1000);
    const end = Date.now() + o.seconds * 1000;
    const actions = run.actionLoop(end);
    while (Date.now() < end) {
      await run.step().catch((e: unknown) => timeline.add('check', `step failed: ${String(e).slice(0, 200)}`));
      await sleep(run.rng.int(STEP_MIN_MS, STEP_MAX_MS));
    }
    await actions;
    clearInterval(progress);
    await run.windDown();
    await checks;
    const finalConvergence = await checker.finalConvergence(FINAL_CONVERGENCE_MS);
    const truth = await readTruth(backend, o.username);
    const { lost, duplicated, detail } = run.ledger.check(truth.applied);
    const streams = await streamChecks(world, truth);
    const streamLost = streams.reduce((a, s) => a + s.lost.length, 0);
    const streamDuplicated = streams.reduce((a, s) => a + s.duplicated.length, 0);
    const totals = run.ledger.totals();
    for (const tab of world.live()) await world.read(tab);
    const report: ChaosReport = {
      options: o, startedAt: new Date(timeline.start).toISOString(), durationMs: timeline.elapsed(),
      tabs: { initial: o.tabs, ...run.counts },
      eventsDelivered: world.tabs.reduce((a, t) => a + t.events, 0),
      actionTotals: { ...totals, perSecond: Number((totals.issued / o.seconds).toFixed(2)), noTab: run.noTab },
      actions: run.ledger.outcomes, ledger: detail, lost, duplicated, streams,
      backendEvents: run.backendEvents, faults: run.faults, failovers: run.failovers,
      divergences: checker.divergences, finalConvergence,
      checks: { total: checker.checks, allInSync: checker.inSyncChecks },
      pageErrors: world.tabs.flatMap((t) => t.errors.map((e) => `tab ${t.id}: ${e}`)),
      verdict: checker.divergences.length === 0 && !finalConvergence && lost === 0 && duplicated === 0
        && streamLost === 0 && streamDuplicated === 0 ? 'pass' : 'fail',
      timeline: timeline.entries,
    };
    const files = writeReport(o.out, report);
    const failovers = run.failovers.map((f) => f.ms);
    console.log(`\n\nchaos ${report.verdict.toUpperCase()}: actions ${totals.issued} sent (${report.actionTotals.perSecond}/s), `
      + `${totals.ok} ok, ${totals.skipped} skipped; ${report.eventsDelivered} events delivered; tabs opened ${run.counts.opened}, `
      + `closed ${run.counts.closed}, crashed ${run.counts.crashed}, frozen ${run.counts.frozen}; faults ${run.faults.length}; `
      + `failovers ${failovers.length}${failovers.length ? ` (${failovers.map((m) => `${m} ms`).join(', ')})` : ''}; `
      + `divergences ${checker.divergences.length}; lost ${lost}; duplicated ${duplicated}; `
      + `Streams events: ${streams.map((x) => `tab ${x.tab}${x.kind === 'genuine' ? ' (genuine)' : ''} ${x.events}`).join(', ')}, `
      + `lost ${streamLost}, duplicated ${streamDuplicated}; final convergence: ${finalConvergence ?? 'ok'}`);
    for (const x of streams) for (const p of [...x.lost.map((l) => `lost: ${l}`), ...x.duplicated.map((d) => `duplicated: ${d}`)]) console.log(`  tab ${x.tab} (${x.kind}) ${p}`);
    console.log('request outcomes:', JSON.stringify(run.ledger.outcomes));
    if (finalConvergence) await printFailureContext(world, timeline);
    console.log(`report: ${files.json}, ${files.html}`);
    console.log(`chaos: ${report.verdict === 'pass' ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
    exitCode = report.verdict === 'pass' ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
    await crm?.close();
    await backend.stop();
  }
  process.exit(exitCode);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(2); });
