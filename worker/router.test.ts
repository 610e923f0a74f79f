import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from './router';
import { FakeCti } from '../testing/worker/fake-cti';
import { CtiError } from './cti-error';
import { DownType, UpType, type Request } from '../shared/protocol';
import { advance, flush } from '../testing/worker/clock';

function setup() {
  const cti = new FakeCti();
  const seen: string[] = [];
  let ids = 0;
  const router = new Router({
    cti, timings: { requestDeadlineMs: 30_000, requestDeadlineCapMs: 60_000 }, newId: () => `key-${++ids}`,
    onUnauthorized: (e) => seen.push(`unauthorized ${e.type}`), onSuccess: (op) => seen.push(`ok ${op}`), log: () => undefined,
  });
  return { cti, router, seen };
}

const req = (method: string, params: Record<string, unknown> = {}, extra: Partial<Request> = {}): Request =>
  ({ type: UpType.REQUEST, requestId: 'r1', method, params, ...extra });

describe('Router', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  test('maps a Streams method to its operation and answers with its output', async () => {
    const { cti, router, seen } = setup();
    cti.on('GetAgentStates', () => ({ states: [{ type: 'routable', name: 'Available' }] }));
    const res = await router.handle(req('getAgentStates'));
    assert.deepEqual(res, { type: DownType.RESPONSE, requestId: 'r1', ok: true, data: { states: [{ type: 'routable', name: 'Available' }] } });
    assert.deepEqual(seen, ['ok GetAgentStates']);
    assert.equal((await router.handle(req('GetAgentStates'))).ok, true, 'operation names work too');
  });

  test('unknown methods and the long poll are refused with UnknownMethodError', async () => {
    const { cti, router } = setup();
    const a = await router.handle(req('destroyContact'));
    assert.deepEqual(a.ok ? null : a.error, { type: 'UnknownMethodError', message: 'no such method: destroyContact' });
    const b = await router.handle(req('getAgentSnapshot'));
    assert.equal(!b.ok && b.error.type, 'UnknownMethodError');
    assert.equal(cti.calls.length, 0);
  });

  test('params are checked per operation, naming the field', async () => {
    const { cti, router } = setup();
    const a = await router.handle(req('acceptContact', {}));
    assert.deepEqual(!a.ok && a.error, { type: 'ValidationError', message: 'AcceptContact: params.contactId must be a string (not empty)' });
    const b = await router.handle(req('putAgentState', { state: { type: 'routable' } }));
    assert.deepEqual(!b.ok && b.error, { type: 'ValidationError', message: 'PutAgentState: params.state.name must be a string' });
    const c = await router.handle(req('sendDigits', { contactId: 'c', connectionId: 'k', digits: 5 }));
    assert.match(!c.ok ? c.error.message : '', /params\.digits must be a string/);
    assert.equal(cti.calls.length, 0);
  });

  test('writes get an idempotency key (the tab\'s or a fresh one); reads only the tab\'s', async () => {
    const { cti, router } = setup();
    cti.on('AcceptContact', () => ({}));
    await router.handle(req('acceptContact', { contactId: 'c1' }));
    await router.handle(req('acceptContact', { contactId: 'c1' }, { idempotencyKey: 'mine' }));
    await router.handle(req('getAgentStates'));
    const keys = cti.calls.map((c) => c.opts.idempotencyKey);
    assert.deepEqual(keys, ['key-1', 'mine', undefined]);
  });

  test('muteParticipant / unmuteParticipant are writes: params checked, an idempotency key, routed to their operation', async () => {
    const { cti, router } = setup();
    const bad = await router.handle(req('muteParticipant', { contactId: 'c' }));
    assert.deepEqual(!bad.ok && bad.error,
      { type: 'ValidationError', message: 'MuteParticipant: params.connectionId must be a string (not empty)' });
    cti.on('MuteParticipant', () => ({}));
    cti.on('UnmuteParticipant', () => ({}));
    assert.equal((await router.handle(req('muteParticipant', { contactId: 'c', connectionId: 'k' }))).ok, true);
    assert.equal((await router.handle(req('unmuteParticipant', { contactId: 'c', connectionId: 'k' }))).ok, true);
    assert.deepEqual(cti.calls.map((c) => [c.op, c.opts.idempotencyKey]),
      [['MuteParticipant', 'key-1'], ['UnmuteParticipant', 'key-2']]);
  });

  test('a backend call that never answers → TimeoutError at the default 30 s deadline', async () => {
    const { cti, router } = setup();
    cti.on('AcceptContact', () => new Promise(() => undefined));
    let res: unknown;
    void router.handle(req('acceptContact', { contactId: 'c' })).then((r) => { res = r; });
    await advance(mock.timers, 29_999);
    assert.equal(res, undefined);
    await advance(mock.timers, 1);
    assert.deepEqual(res, { type: DownType.RESPONSE, requestId: 'r1', ok: false, error: { type: 'TimeoutError', message: 'no answer within 30000 ms' } });
    assert.equal(cti.calls[0]!.opts.signal?.aborted, true, 'the call was aborted');
  });

  test('a tab may ask for a shorter or longer deadline, capped at 60 s', async () => {
    const { cti, router } = setup();
    cti.on('CreateTransport', () => new Promise(() => undefined));
    let short: unknown;
    let long: unknown;
    void router.handle(req('createTransport', { transportType: 'web_socket' }, { timeoutMs: 500 })).then((r) => { short = r; });
    void router.handle(req('createTransport', { transportType: 'web_socket' }, { timeoutMs: 600_000 })).then((r) => { long = r; });
    await advance(mock.timers, 500);
    assert.ok(short);
    await advance(mock.timers, 59_499);
    assert.equal(long, undefined);
    await advance(mock.timers, 1);
    assert.ok(long);
  });

  test('auth failures are answered and reported', async () => {
    const { cti, router, seen } = setup();
    cti.on('AcceptContact', () => { throw new CtiError('UnauthorizedException', 'expired', 401); });
    const res = await router.handle(req('acceptContact', { contactId: 'c' }));
    assert.deepEqual(!res.ok && res.error, { type: 'UnauthorizedException', message: 'expired' });
    await flush();
    assert.deepEqual(seen, ['unauthorized UnauthorizedException']);
  });

  test('CTI exceptions pass through typed', async () => {
    const { cti, router } = setup();
    cti.on('HoldConnection', () => { throw new CtiError('InvalidStateException', 'not connected', 400); });
    const res = await router.handle(req('holdConnection', { contactId: 'c', connectionId: 'k' }));
    assert.deepEqual(!res.ok && res.error, { type: 'InvalidStateException', message: 'not connected' });
  });
});
