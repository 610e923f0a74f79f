import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, mock, test } from 'node:test';
import { IdempotencyStore, IDEMPOTENCY_TTL_MS } from './idempotency';
import { startHarness, type Harness } from '../testing/backend/test-kit';

const LUNCH = { name: 'Lunch', type: 'not_routable' };

describe('idempotency over HTTP', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(async () => { await h.fresh(); });

  const withToken = (token: string) => ({ headers: { 'X-Idempotency-Token': token } });

  test('the same token twice: applied once, same answer', async () => {
    const id = await h.inbound();
    const first = await h.cti('AcceptContact', { contactId: id }, withToken('tok-accept-1'));
    const version = (await h.truth()).version;
    const second = await h.cti('AcceptContact', { contactId: id }, withToken('tok-accept-1'));
    assert.equal(first.status, 200);
    assert.deepEqual([second.status, second.body], [first.status, first.body]);
    assert.equal((await h.truth()).version, version, 'the repeat changed nothing');
    assert.equal((await h.truth()).applied.AcceptContact, 1);
    const third = await h.cti('AcceptContact', { contactId: id }, withToken('tok-accept-2'));
    assert.equal(third.body.__type, 'InvalidStateException', 'a new token is a new request');
  });

  test('a failed first outcome is repeated too', async () => {
    const first = await h.cti('AcceptContact', { contactId: 'nope' }, withToken('tok-fail'));
    assert.equal(first.status, 400);
    const id = await h.inbound();
    const second = await h.cti('AcceptContact', { contactId: 'nope' }, withToken('tok-fail'));
    assert.deepEqual(second.body, first.body);
    assert.equal(contactStateOf(await h.truth(), id), 'connecting');
  });

  test('concurrent duplicates apply once', async () => {
    await h.control('POST', '/sim/faults', { operations: ['PutAgentState'], latencyMs: 100 });
    const results = await Promise.all(Array.from({ length: 5 }, () => h.cti('PutAgentState', { state: LUNCH }, withToken('tok-concurrent'))));
    await h.control('DELETE', '/sim/faults');
    assert.ok(results.every((r) => r.status === 200));
    const truth = await h.truth();
    assert.equal(truth.state.name, 'Lunch');
    assert.equal(truth.applied.PutAgentState, 1);
    const stats = (await h.control('GET', '/sim/stats')).body;
    assert.equal(stats.operations.PutAgentState, 5, 'five requests');
    assert.equal(stats.applied.PutAgentState, 1, 'one application');
  });

  test('tokens are per agent', async () => {
    await h.login('agent2');
    await h.cti('PutAgentState', { state: LUNCH }, withToken('shared'));
    await h.cti('PutAgentState', { state: LUNCH }, { as: 'agent2', ...withToken('shared') });
    assert.equal((await h.truth('agent2')).state.name, 'Lunch');
  });

  test('reusing a token for another operation, or a malformed token, is refused', async () => {
    await h.cti('PutAgentState', { state: LUNCH }, withToken('tok-op'));
    const other = await h.cti('AcceptContact', { contactId: 'x' }, withToken('tok-op'));
    assert.equal(other.status, 400);
    assert.match(other.body.message, /already used for PutAgentState/);
    const bad = await h.cti('PutAgentState', { state: LUNCH }, withToken('x'.repeat(200)));
    assert.match(bad.body.message, /X-Idempotency-Token/);
  });

  test('without a token every request applies', async () => {
    await h.cti('PutAgentState', { state: LUNCH });
    await h.cti('PutAgentState', { state: LUNCH });
    assert.equal((await h.truth()).applied.PutAgentState, 2);
  });
});

function contactStateOf(truth: any, id: string): string {
  return truth.contacts.find((c: any) => c.contactId === id).state.type;
}

describe('IdempotencyStore', () => {
  test('keeps outcomes for at least 10 minutes, then forgets them', async () => {
    assert.ok(IDEMPOTENCY_TTL_MS >= 10 * 60 * 1000);
    let now = 1_000_000;
    const store = new IdempotencyStore({ now: () => now });
    const apply = mock.fn(async () => ({ status: 200, body: { n: apply.mock.callCount() } }));
    await store.run('a', 't', 'Op', apply);
    now += IDEMPOTENCY_TTL_MS - 1;
    const repeat = await store.run('a', 't', 'Op', apply);
    assert.equal(repeat.replayed, true);
    assert.equal(apply.mock.callCount(), 1);
    now += 2;
    const later = await store.run('a', 't', 'Op', apply);
    assert.equal(later.replayed, false);
    assert.equal(apply.mock.callCount(), 2);
  });

  test('a duplicate arriving while the first is still being applied shares its outcome', async () => {
    const store = new IdempotencyStore({ now: () => 0 });
    let finish!: (o: { status: number; body: unknown }) => void;
    const apply = mock.fn(() => new Promise<{ status: number; body: unknown }>((resolve) => { finish = resolve; }));
    const first = store.run('a', 't', 'Op', apply);
    const second = store.run('a', 't', 'Op', apply);
    finish({ status: 200, body: { done: true } });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(apply.mock.callCount(), 1);
    assert.deepEqual(b.outcome, a.outcome);
    assert.deepEqual([a.replayed, b.replayed], [false, true]);
  });

  test('a 5xx outcome is not kept, so a retry applies', async () => {
    const store = new IdempotencyStore({ now: () => 0 });
    const outcomes = [{ status: 500, body: {} }, { status: 200, body: {} }];
    const apply = mock.fn(async () => outcomes.shift()!);
    assert.equal((await store.run('a', 't', 'Op', apply)).outcome.status, 500);
    assert.equal((await store.run('a', 't', 'Op', apply)).outcome.status, 200);
    assert.equal(apply.mock.callCount(), 2);
  });
});
