/**
 * Notification latency: a backend change → `agent::refresh` in the last of N tabs, next to the raw postMessage
 * fan-out floor of the same payload from the same worker, in the same run.
 *
 * Three figures per cell:
 * - e2e: from just before the control-API call that changes the agent to the last tab's event (includes HTTP);
 * - engine: from the worker's receipt of the long-poll answer to the last tab's event (what the engine adds);
 * - floor: a raw `postMessage` of the whole snapshot from that worker to the same N tabs, receipt in the last tab.
 * The ratio that the target speaks of is engine / floor.
 */
import type { Page } from 'playwright';
import { median, now, progress, quantile, type Backend } from './harness';

export interface LatencyCell {
  tabs: number;
  contacts: number;
  iterations: number;
  e2eMedian: number;
  e2eP95: number;
  engineMedian: number;
  engineP95: number;
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

interface Stamp { v: number; t: number }

async function lastRefreshAfter(tabs: Page[], version: number): Promise<number[] | null> {
  const times = await Promise.all(tabs.map((p) => p.evaluate((v) => {
    const hit = (window as unknown as { __refresh: Stamp[] }).__refresh.find((r) => r.v >= v);
    return hit ? hit.t : null;
  }, version)));
  return times.every((t) => t !== null) ? times as number[] : null;
}

/** Reading every tab over CDP loads the tabs and the browser; doing it while a fan-out is in flight would slow the
 * very thing measured. So the first look comes after a quiet 150 ms (far above any fan-out measured here), then
 * every 25 ms. Floor and engine are read the same way. */
const QUIET_MS = 150;
const POLL_MS = 25;

async function waitAll<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  await new Promise((res) => setTimeout(res, QUIET_MS));
  for (;;) {
    const r = await probe();
    if (r !== null) return r;
    if (Date.now() > end) throw new Error('timed out waiting for the tabs');
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

async function arrivals(tab: Page): Promise<{ nextToken: string; at: number }[]> {
  await tab.evaluate(() => {
    (window as unknown as { __arrivals: unknown }).__arrivals = null;
    (window as unknown as { __bench: MessagePort }).__bench.postMessage({ cmd: 'arrivals' });
  });
  return waitAll(() => tab.evaluate(() => (window as unknown as { __arrivals: { nextToken: string; at: number }[] | null }).__arrivals));
}

/** Raw fan-outs of `json` (as a string the receiver parses, or as an object) to every bench tab. */
async function floor(tabs: Page[], json: string, mode: 'json' | 'object', iterations: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const before = await Promise.all(tabs.map((p) => p.evaluate(() => (window as unknown as { __floor: unknown[] }).__floor.length)));
    await tabs[0]!.evaluate(([j, m]) => (window as unknown as { __bench: MessagePort }).__bench.postMessage({ cmd: 'fanout', json: j, mode: m }), [json, mode] as const);
    const stamps = await waitAll(async () => {
      const s = await Promise.all(tabs.map((p, k) => p.evaluate((n) => (window as unknown as { __floor: { t0: number; t: number }[] }).__floor[n] ?? null, before[k]!)));
      return s.every((x) => x !== null) ? s as { t0: number; t: number }[] : null;
    });
    out.push(Math.max(...stamps.map((s) => s.t)) - stamps[0]!.t0);
  }
  return out;
}

export async function measureLatency(backend: Backend, username: string, tabs: Page[], contactIds: string[], iterations: number, label: string): Promise<LatencyCell> {
  const e2e: number[] = [];
  const engine: number[] = [];
  const target = contactIds[0]!;
  for (let i = 0; i < iterations; i++) {
    progress(`${label}: change ${i + 1}/${iterations}`);
    const version = await tabs[0]!.evaluate(() => window.connect.core.getState().version);
    const t0 = now();
    await backend.control('POST', `/sim/contacts/${target}/message`, { text: `ping ${i}` });
    const times = await waitAll(() => lastRefreshAfter(tabs, version + 1));

    const last = Math.max(...times);
    e2e.push(last - t0);
    const arr = (await arrivals(tabs[0]!)).filter((a) => a.at >= t0);
    if (arr[0]) engine.push(last - arr[0].at);

  }
  const state = await tabs[0]!.evaluate(() => JSON.stringify({ type: 'state', ...window.connect.core.getState() }));
  const floorIterations = Math.max(20, iterations);
  progress(`${label}: raw floor`);
  const floorJson = await floor(tabs, state, 'json', floorIterations);
  const floorObject = await floor(tabs, state, 'object', Math.ceil(floorIterations / 2));
  // A delta for one changed contact: about the size of that contact.
  const data = JSON.parse(state) as { data: { snapshot: { contacts: unknown[] } } };
  const deltaJson = JSON.stringify({ type: 'delta', put: [data.data.snapshot.contacts[0]] });
  const deltaFloor = await floor(tabs, deltaJson, 'json', Math.ceil(floorIterations / 2));
  const cell: LatencyCell = {
    tabs: tabs.length, contacts: contactIds.length, iterations,
    e2eMedian: median(e2e), e2eP95: quantile(e2e, 0.95),
    engineMedian: median(engine), engineP95: quantile(engine, 0.95),
    floorJsonMedian: median(floorJson), floorJsonP95: quantile(floorJson, 0.95),
    floorObjectMedian: median(floorObject), deltaFloorMedian: median(deltaFloor),
    fullBytes: state.length, deltaBytes: deltaJson.length,
    ratio: median(engine) / median(floorJson),
    ratioDelta: median(engine) / median(deltaFloor),
  };
  return cell;
}
