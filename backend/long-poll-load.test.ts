import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../testing/backend/test-kit';

const AGENTS = 300;
/** Idle sockets and sleeping timers cost next to nothing; a busy loop would burn the whole window. */
const MAX_CPU_MS_PER_SECOND = 150;

describe('hundreds of concurrent long polls', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ agentCount: AGENTS }); });
  after(() => h.close());

  test(`${AGENTS} held polls do not busy-loop, and one change answers only its agent`, async () => {
    const names = Array.from({ length: AGENTS }, (_, i) => `agent${i + 1}`);
    const tokens = await Promise.all(names.map((n) => h.login(n)));
    const firsts = await Promise.all(names.map((_name, i) => h.cti('GetAgentSnapshot', {}, { token: tokens[i] })));
    const abort = new AbortController();
    const polls = names.map((_name, i) => h.cti('GetAgentSnapshot', { nextToken: firsts[i]!.body.nextToken, timeout: 30000 },
      { token: tokens[i], signal: abort.signal }).catch(() => 'aborted'));
    const deadline = Date.now() + 5000;
    while (h.backend.sim.watchers.count() < AGENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.backend.sim.watchers.count(), AGENTS, 'every poll is held');

    const cpuBefore = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    assert.ok(cpuMs < MAX_CPU_MS_PER_SECOND, `${cpuMs.toFixed(1)} ms of CPU in 1 s while ${AGENTS} polls wait`);

    const changedAt = Date.now();
    await h.cti('PutAgentState', { state: { name: 'Lunch', type: 'not_routable' } }, { token: tokens[41] });
    const answered = (await polls[41]) as { status: number; body: any };
    assert.ok(Date.now() - changedAt < 100);
    assert.equal(answered.body.snapshot.state.name, 'Lunch');
    assert.equal(h.backend.sim.watchers.count(), AGENTS - 1, 'the other polls keep waiting');

    abort.abort();
    await Promise.all(polls);
    const cleanDeadline = Date.now() + 2000;
    while (h.backend.sim.watchers.count() > 0 && Date.now() < cleanDeadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.backend.sim.watchers.count(), 0, 'disconnected clients leave no waiters behind');
  });
});
