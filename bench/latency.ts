/**
 * Notification latency: a backend change → `agent::refresh` in the last of N tabs, next to the raw fan-out floor of
 * the same payload, in the same run.
 *
 * Figures per cell:
 * - e2e: from just before the control-API call that changes the agent to the last tab's event (includes HTTP);
 * - engine: from the engine's receipt of the long-poll answer (its body read) to the last tab's event (what the
 *   engine adds). The SharedWorker's bench probe records when each CTI call returned; in the fallback the engine runs
 *   in the leader tab, whose bench page notes when each answer's body was read (and, beside, its `responseEnd`);
 * - floor: SharedWorker path — a raw `postMessage` of the whole state from that worker to the same N tabs; fallback —
 *   a raw BroadcastChannel post of it from the leader tab; receipt (and JSON.parse) in the last tab.
 * The ratio that the target speaks of is engine / floor.
 */
import type { Page } from 'playwright';
import { median, now, progress, quantile, type Backend } from './harness';

export type Path = 'ours' | 'baseline' | 'broadcast';

/** The tab count whose cells also get the object and delta-sized floors (the one the targets read). */
export const EXPLAINED_TABS = 20;

export interface LatencyCell {
  path: Path;
  tabs: number;
  contacts: number;
  iterations: number;
  e2eMedian: number;
  e2eP95: number;
  engineMedian: number;
  engineP95: number;
  /** Fallback only (NaN elsewhere): the engine figure counted from the answer's `responseEnd` instead of from its
   * read, i.e. including the leader page's fetch delivery (how this column was measured before 2026-12-03). */
  engineFromResponseEndMedian: number;
  floorJsonMedian: number;
  floorJsonP95: number;
  floorObjectMedian: number;
  deltaFloorMedian: number;
  fullBytes: number;
  deltaBytes: number;
  /** engine / raw floor of the whole snapshot (the target: ≤ 1.3 at 20 tabs). */
  ratio: number;
  /** engine / raw floor of a delta-sized payload (what the engine actually sends). */
  ratioDelta: number;
}

export interface LatencyOptions {
  path: Path;
  iterations: number;
  label: string;
  /** Which floors to measure: all three (JSON whole, object whole, delta-sized), only the whole JSON, or none. */
  floors: 'all' | 'json' | 'none';
  /** The leader tab (fallback path): sends the floor, its Resource Timing dates the poll answers. */
  leader?: Page;
}

interface Stamp { v: number; t: number }
type W = Record<string, unknown>;

async function lastRefreshAfter(tabs: Page[], version: number): Promise<number[] | null> {
  const times = await Promise.all(tabs.map((p) => p.evaluate((v) => {
    const hit = ((window as unknown as W).__refresh as Stamp[]).find((r) => r.v >= v);
    return hit ? hit.t : null;
  }, version)));
  return times.every((t) => t !== null) ? times as number[] : null;
}

/** Reading every tab over CDP loads the tabs and the browser; doing it while a fan-out is in flight would slow the
 * very thing measured. So the first look comes after a quiet wait that grows with the tabs (`quietMs`), then every
 * 25 ms. Floor and engine are read the same way. */
const POLL_MS = 25;

/** The quiet wait before the first look: 30 ms plus 1.5 ms per tab, at most 100 ms — above the engine's e2e p95 on
 * two cores at every tab count (≈ 15 ms at one tab, ≈ 50 ms at 50; a slower fan-out is simply looked at again). It
 * was a flat 100 ms, which spent a minute of the run waiting on one- to ten-tab cells that had long finished. */
export function quietMs(tabs: number): number {
  return Math.min(100, 30 + 1.5 * tabs);
}

async function waitAll<T>(probe: () => Promise<T | null>, quiet: number, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  await new Promise((res) => setTimeout(res, quiet));
  for (;;) {
    const r = await probe();
    if (r !== null) return r;
    if (Date.now() > end) throw new Error('timed out waiting for the tabs');
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

/** When the engine had read each long-poll answer (epoch ms), oldest first: the SharedWorker's probe notes it as the
 * CTI call returns; the fallback's bench page as the body's `text()` resolves in the leader (bench/harness.ts). For the
 * fallback also the answers' Resource Timing `responseEnd` (the network's last byte, before the busy page gets the
 * response and reads it), reported beside. */
async function answerTimes(tabs: Page[], o: LatencyOptions): Promise<{ read: number[]; responseEnd: number[] }> {
  if (o.path === 'broadcast') {
    return o.leader!.evaluate(() => ({
      read: ((window as unknown as W).__answers as number[]).slice().sort((a, b) => a - b),
      responseEnd: performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/api')).map((e) => performance.timeOrigin + (e as PerformanceResourceTiming).responseEnd)
        .sort((a, b) => a - b),
    }));
  }
  const tab = tabs[0]!;
  await tab.evaluate(() => {
    (window as unknown as W).__arrivals = null;
    ((window as unknown as W).__bench as MessagePort).postMessage({ cmd: 'arrivals' });
  });
  const arr = await waitAll(() => tab.evaluate(() => (window as unknown as W).__arrivals as { at: number }[] | null), quietMs(1));
  return { read: arr.map((a) => a.at), responseEnd: [] };
}

/** Per change, the time from the answer that brought it (the last one within the change's window) to the last tab. */
function sinceAnswer(runs: { t0: number; last: number }[], answers: number[]): number[] {
  return runs.flatMap((r) => {
    const a = answers.find((t) => t >= r.t0 && t <= r.last);
    return a === undefined ? [] : [r.last - a];
  });
}

/** Raw fan-outs of `json` to every bench tab: from the worker (as a string the receiver parses, or as an object), or
 * from the leader tab over BroadcastChannel (the leader itself is not a receiver). */
async function floor(tabs: Page[], json: string, mode: 'json' | 'object', iterations: number, leader?: Page): Promise<number[]> {
  const receivers = leader ? tabs.filter((t) => t !== leader) : tabs;
  if (receivers.length === 0) return [];
  const out: number[] = [];
  // Each post adds exactly one stamp per receiver: their counts are read once, not before every post (50 tabs' worth
  // of CDP calls per post cost seconds per cell and measured nothing).
  const base = await Promise.all(receivers.map((p) => p.evaluate(() => ((window as unknown as W).__floor as unknown[]).length)));
  for (let i = 0; i < iterations; i++) {
    const before = base.map((n) => n + i);
    let t0: number | null = null;
    if (leader) t0 = await leader.evaluate((j) => ((window as unknown as W).__bcFanout as (j: string) => number)(j), json);
    else await tabs[0]!.evaluate(([j, m]) => ((window as unknown as W).__bench as MessagePort).postMessage({ cmd: 'fanout', json: j, mode: m }), [json, mode] as const);
    const stamps = await waitAll(async () => {
      const s = await Promise.all(receivers.map((p, k) => p.evaluate((n) => ((window as unknown as W).__floor as { t0: number; t: number }[])[n] ?? null, before[k]!)));
      return s.every((x) => x !== null) ? s as { t0: number; t: number }[] : null;
    }, quietMs(tabs.length));
    out.push(Math.max(...stamps.map((s) => s.t)) - (t0 ?? stamps[0]!.t0));
  }
  return out;
}

export async function measureLatency(backend: Backend, tabs: Page[], contactIds: string[], o: LatencyOptions): Promise<LatencyCell> {
  const runs: { t0: number; last: number }[] = [];
  const target = contactIds[0]!;
  for (let i = 0; i < o.iterations; i++) {
    progress(`${o.label}: change ${i + 1}/${o.iterations}`);
    const version = await tabs[0]!.evaluate(() => window.connect.core.getState().version);
    const t0 = now();
    await backend.control('POST', `/sim/contacts/${target}/message`, { text: `ping ${i}` });
    const times = await waitAll(() => lastRefreshAfter(tabs, version + 1), quietMs(tabs.length));
    runs.push({ t0, last: Math.max(...times) });
  }
  // The answers' arrival times, read once after the changes (reading them per change would perturb the next one).
  const answers = await answerTimes(tabs, o);
  const e2e = runs.map((r) => r.last - r.t0);
  const engine = sinceAnswer(runs, answers.read);
  const fromResponseEnd = sinceAnswer(runs, answers.responseEnd);
  const state = await tabs[0]!.evaluate(() => JSON.stringify({ type: 'state', ...window.connect.core.getState() }));
  const data = JSON.parse(state) as { data: { snapshot: { contacts: unknown[] } } };
  // A delta for one changed contact: about the size of that contact.
  const deltaJson = JSON.stringify({ type: 'delta', put: [data.data.snapshot.contacts[0]] });
  const floorIterations = Math.max(8, o.iterations);
  let floorJson: number[] = [];
  let floorObject: number[] = [];
  let deltaFloor: number[] = [];
  if (o.floors !== 'none') {
    progress(`${o.label}: raw floor`);
    floorJson = await floor(tabs, state, 'json', floorIterations, o.leader);
    // The object and delta-sized floors explain the 20-tab cells (what a structured clone or a delta-sized payload
    // would cost there); elsewhere they added a minute to the run and no finding.
    if (o.floors === 'all' && tabs.length === EXPLAINED_TABS) {
      floorObject = await floor(tabs, state, 'object', Math.ceil(floorIterations / 2));
      deltaFloor = await floor(tabs, deltaJson, 'json', Math.ceil(floorIterations / 2));
    }
  }
  return {
    path: o.path, tabs: tabs.length, contacts: contactIds.length, iterations: o.iterations,
    e2eMedian: median(e2e), e2eP95: quantile(e2e, 0.95),
    engineMedian: median(engine), engineP95: quantile(engine, 0.95),
    engineFromResponseEndMedian: median(fromResponseEnd),
    floorJsonMedian: median(floorJson), floorJsonP95: quantile(floorJson, 0.95),
    floorObjectMedian: median(floorObject), deltaFloorMedian: median(deltaFloor),
    fullBytes: state.length, deltaBytes: deltaJson.length,
    ratio: median(engine) / median(floorJson),
    ratioDelta: median(engine) / median(deltaFloor),
  };
}
