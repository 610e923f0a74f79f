/**
 * Backend scale: one backend process (`SIM_AGENTS`) holding a long poll for each of `agents` agents — node fetch
 * clients, one held `GetAgentSnapshot` each, re-issued at once after every answer (as the engine does) — then
 * `samples` changes on sampled agents through the control API, each timed from the control call to that agent's
 * poll answer; and the backend's CPU while it only holds the polls.
 */
import { readFileSync } from 'node:fs';
import { BEARER_HEADER, CTI_CONTENT_TYPE, CTI_TARGET_PREFIX, TARGET_HEADER } from '../shared/cti';
import { median, now, progress, quantile, startBackend } from './harness';

export interface ScaleRow {
  agents: number;
  held: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  idleCpuPercent: number;
  rssMb: number;
}

/** Logins sent at once (the backend answers them in a few ms each). */
const LOGIN_BATCH = 50;
/** The idle-CPU window: 3 s is 300 ticks of /proc's 10 ms clock, enough for a figure of a few % of a core. */
const IDLE_WINDOW_MS = 3_000;

interface Client { username: string; token: string; nextToken: string | null; answers: number[]; stop: boolean }

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function pollLoop(url: string, c: Client, inFlight: Map<string, number>): Promise<void> {
  while (!c.stop) {
    inFlight.set(c.username, (inFlight.get(c.username) ?? 0) + 1);
    try {
      const res = await fetch(`${url}/api`, {
        method: 'POST',
        headers: { 'Content-Type': CTI_CONTENT_TYPE, [TARGET_HEADER]: `${CTI_TARGET_PREFIX}.GetAgentSnapshot`, [BEARER_HEADER]: c.token },
        body: JSON.stringify({ nextToken: c.nextToken, timeout: 30_000, authentication: { authToken: c.token } }),
      });
      const body = await res.json() as { nextToken?: string };
      if (c.nextToken !== null) c.answers.push(now());
      if (typeof body.nextToken === 'string') c.nextToken = body.nextToken;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      inFlight.set(c.username, (inFlight.get(c.username) ?? 1) - 1);
    }
  }
}

export async function measureScale(port: number, agents: number, samples: number): Promise<ScaleRow> {
  const backend = await startBackend(port, { SIM_AGENTS: String(agents) });
  const inFlight = new Map<string, number>();
  const clients: Client[] = [];
  try {
    // Logins in batches: one at a time cost ~10 s of a 1 000-agent run and measure nothing.
    for (let i = 1; i <= agents; i += LOGIN_BATCH) {
      progress(`backend scale: logging in ${i}/${agents}`);
      const names = Array.from({ length: Math.min(LOGIN_BATCH, agents - i + 1) }, (_, k) => `agent${i + k}`);
      const tokens = await Promise.all(names.map((username) => backend.control<{ accessToken: string }>('POST', '/sim/login', { username })));
      names.forEach((username, k) => clients.push({ username, token: tokens[k]!.accessToken, nextToken: null, answers: [], stop: false }));
    }
    for (const c of clients) void pollLoop(backend.url, c, inFlight);
    // Every client past its first (unheld) answer, holding its second poll.
    const end = Date.now() + 30_000;
    while (clients.some((c) => c.nextToken === null) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    const held = [...inFlight.values()].filter((n) => n > 0).length;
    progress(`backend scale: ${held} long polls held; idle CPU`);
    const pid = backend.proc.pid!;
    const cpu0 = cpuMs(pid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    const idleCpuPercent = (100 * (cpuMs(pid) - cpu0)) / (Date.now() - t0);
    const rss = rssMb(pid);
    const latencies: number[] = [];
    const step = Math.max(1, Math.floor(agents / samples));
    for (let s = 0; s < samples; s++) {
      const c = clients[(s * step) % agents]!;
      progress(`backend scale: change ${s + 1}/${samples}`);
      const seen = c.answers.length;
      const t = now();
      await backend.control('POST', '/sim/contacts', { type: 'chat', username: c.username });
      const deadline = Date.now() + 5000;
      while (c.answers.length === seen && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      if (c.answers.length > seen) latencies.push(c.answers[seen]! - t);
    }
    return { agents, held, samples: latencies.length, p50: median(latencies), p99: quantile(latencies, 0.99), max: Math.max(...latencies), idleCpuPercent, rssMb: rss };
  } finally {
    for (const c of clients) c.stop = true;
    await backend.stop();
  }
}
