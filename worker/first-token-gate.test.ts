import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthProvider } from './auth-provider';
import type { CtiClient } from './cti-client';
import { FirstTokenGate } from './first-token-gate';
import { flush } from '../testing/worker/clock';

function parts() {
  const calls: string[] = [];
  const cti: CtiClient = { call: async (op) => { calls.push(op); return {} as never; }, setAuthToken: () => undefined };
  let settle!: (ok: boolean) => void;
  const provider: AuthProvider = {
    fetchToken: () => new Promise((resolve, reject) => { settle = (ok) => (ok ? resolve({ accessToken: 't' }) : reject(new Error('401'))); }),
  };
  return { calls, cti, provider, settle: (ok: boolean) => settle(ok) };
}

describe('FirstTokenGate', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('calls wait for the first token, then go out in order', async () => {
    const p = parts();
    const gate = new FirstTokenGate(10_000);
    const cti = gate.cti(p.cti);
    const done = cti.call('AcceptContact', {} as never);
    await flush();
    assert.deepEqual(p.calls, []);
    cti.setAuthToken('tok');
    await done;
    assert.deepEqual(p.calls, ['AcceptContact']);
    assert.equal(gate.passing, true);
  });

  test('a failed first fetch opens it too (the calls then meet the backend as they would have)', async () => {
    const p = parts();
    const gate = new FirstTokenGate(10_000);
    const cti = gate.cti(p.cti);
    const fetched = gate.auth(p.provider).fetchToken().catch(() => 'failed');
    const done = cti.call('GetAgentStates', {} as never);
    await flush();
    assert.deepEqual(p.calls, []);
    p.settle(false);
    assert.equal(await fetched, 'failed');
    await done;
    assert.deepEqual(p.calls, ['GetAgentStates']);
  });

  test('it opens after its longest wait at the latest', async () => {
    const p = parts();
    const cti = new FirstTokenGate(10_000).cti(p.cti);
    const done = cti.call('GetAgentStates', {} as never);
    mock.timers.tick(9_999);
    await flush();
    assert.deepEqual(p.calls, []);
    mock.timers.tick(1);
    await done;
    assert.deepEqual(p.calls, ['GetAgentStates']);
  });
});
