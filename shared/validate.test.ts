import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDown, validatePersistedState } from './validate';
import { validateAgentSnapshot } from './validate-snapshot';
import { validateUp, validLogRecords } from './validate-up';
import { DownType, ErrorType, MAX_UP_MESSAGE_CHARS, PROTOCOL_VERSION, TabRole, UpType } from './protocol';
import { contact, snapshot } from '../testing/worker/agent-data';

describe('validateUp: accepted messages', () => {
  const good: [string, unknown][] = [
    ['hello', { type: 'hello', tabId: 't1', protocol: PROTOCOL_VERSION, role: 'ccp', url: 'https://x/y', knownVersion: 3 }],
    ['synchronize', { type: 'synchronize', seq: 0 }],
    ['request', { type: 'request', requestId: 'r1', method: 'acceptContact', params: { contactId: 'c1' } }],
    ['master', { type: 'master', requestId: 'm1', method: 'checkMaster', topic: 'connect::softphone' }],
    ['broadcast', { type: 'broadcast', event: 'mute', data: { muted: true } }],
    ['session', { type: 'session', authToken: 'tok', expiration: 1_800_000_000_000 }],
    ['log', { type: 'log', entries: [{ level: 'INFO', time: 1, text: 'hi', source: 't1' }] }],
    ['resync', { type: 'resync' }],
    ['bye', { type: 'bye' }],
  ];
  for (const [name, msg] of good) {
    test(name, () => {
      const r = validateUp(msg);
      assert.equal(r.ok, true, JSON.stringify(r));
    });
  }

  test('returns a copy without unknown fields', () => {
    const r = validateUp({ type: 'synchronize', seq: 2, extra: 'x' });
    assert.deepEqual(r, { ok: true, value: { type: UpType.SYNCHRONIZE, seq: 2 } });
  });

  test('request params default to an empty object', () => {
    const r = validateUp({ type: 'request', requestId: 'r', method: 'getAgentStates' });
    assert.ok(r.ok && r.value.type === UpType.REQUEST);
    assert.deepEqual(r.ok && r.value.type === UpType.REQUEST && r.value.params, {});
  });
});

describe('validateUp: malformed messages name the field', () => {
  const cyclic: Record<string, unknown> = { type: 'broadcast', event: 'x' };
  cyclic.data = cyclic;
  const bad: [string, unknown, RegExp][] = [
    ['non-object', 'hello', /message must be an object/],
    ['array', [1, 2], /message must be an object/],
    ['null', null, /message must be an object/],
    ['missing type', { seq: 1 }, /message\.type must be a string/],
    ['unknown type', { type: 'explode' }, /unknown message type 'explode'/],
    ['synchronize seq string', { type: 'synchronize', seq: '1' }, /synchronize\.seq must be a finite number/],
    ['synchronize seq negative', { type: 'synchronize', seq: -1 }, /synchronize\.seq must be at least 0/],
    ['hello without tabId', { type: 'hello', protocol: 1, role: 'ccp' }, /hello\.tabId must be a string/],
    ['hello bad role', { type: 'hello', tabId: 't', protocol: 1, role: 'admin' }, /hello\.role must be one of/],
    ['hello tabId too long', { type: 'hello', tabId: 'x'.repeat(200), protocol: 1, role: 'ccp' }, /hello\.tabId is longer/],
    ['request params array', { type: 'request', requestId: 'r', method: 'm', params: [] }, /request\.params must be an object/],
    ['request empty id', { type: 'request', requestId: '', method: 'm', params: {} }, /request\.requestId must not be empty/],
    ['request timeout zero', { type: 'request', requestId: 'r', method: 'm', params: {}, timeoutMs: 0 }, /request\.timeoutMs/],
    ['master bad method', { type: 'master', requestId: 'r', method: 'steal', topic: 't' }, /master\.method must be one of/],
    ['session token number', { type: 'session', authToken: 5 }, /session\.authToken must be a string/],
    ['log entries not array', { type: 'log', entries: {} }, /log\.entries must be an array/],
    ['log entry bad time', { type: 'log', entries: [{ level: 'INFO', time: 'now', text: '' }] }, /log\.entries\[0\]\.time/],
    ['cyclic', cyclic, /not serialisable/],
    ['oversized', { type: 'broadcast', event: 'x', data: 'y'.repeat(MAX_UP_MESSAGE_CHARS) }, /limit is/],
  ];
  for (const [name, msg, re] of bad) {
    test(name, () => {
      const r = validateUp(msg);
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.equal(r.error.type, ErrorType.VALIDATION);
      assert.match(r.error.message, re);
    });
  }
});

describe('validateDown', () => {
  test('accepts each down type', () => {
    const msgs = [
      { type: DownType.STATE, version: 1, data: null, skew: 0 },
      { type: DownType.DELTA, version: 2, base: 1, skew: 3 },
      { type: DownType.ACKNOWLEDGE, tabId: 't', seq: 1 },
      { type: DownType.RESPONSE, requestId: 'r', ok: true, data: {} },
      { type: DownType.RESPONSE, requestId: 'r', ok: false, error: { type: 'X', message: 'y' } },
      { type: DownType.EVENT, event: 'mute', data: 1 },
      { type: DownType.LOG, entries: [] },
    ];
    for (const m of msgs) assert.equal(validateDown(m).ok, true, JSON.stringify(m));
  });
  test('rejects broken ones', () => {
    const msgs = [
      'x',
      { type: 'nope' },
      { type: DownType.STATE, version: -1, data: null, skew: 0 },
      { type: DownType.DELTA, version: 2, base: 1, put: {} },
      { type: DownType.RESPONSE, requestId: 'r', ok: false },
      { type: DownType.ACKNOWLEDGE, seq: 1 },
    ];
    for (const m of msgs) assert.equal(validateDown(m).ok, false, JSON.stringify(m));
  });
});

describe('validatePersistedState and validateAgentSnapshot', () => {
  test('persisted state round trip', () => {
    const p = { state: { type: 'state', version: 4, data: null, skew: 2 }, nextToken: null, savedAt: 1, engineId: 'e' };
    assert.equal(validatePersistedState(p).ok, true);
    assert.equal(validatePersistedState({ ...p, state: { ...p.state, version: 'x' } }).ok, false);
    assert.equal(validatePersistedState(undefined).ok, false);
  });
  test('snapshot checks contact fields', () => {
    assert.equal(validateAgentSnapshot(snapshot([contact('c1')])).ok, true);
    const broken = snapshot([{ ...contact('c1'), connections: 'none' as unknown as [] }]);
    const r = validateAgentSnapshot(broken);
    assert.ok(!r.ok);
    assert.match(r.error.message, /snapshot\.contacts\[0\]\.connections must be an array/);
    assert.equal(validateAgentSnapshot({ state: { type: 'routable', name: 'A' }, contacts: [] }).ok, false);
  });
  test('snapshot: a connection\'s mute is a boolean when present', () => {
    const leg = (mute: unknown) => ({ connectionId: 'k1', state: { type: 'connected', timestamp: 1 }, type: 'inbound',
      initial: true, mute });
    const muted = snapshot([{ ...contact('c1'), connections: [leg(true) as never] }]);
    assert.equal(validateAgentSnapshot(muted).ok, true);
    const r = validateAgentSnapshot(snapshot([{ ...contact('c1'), connections: [leg('yes') as never] }]));
    assert.ok(!r.ok);
    assert.match(r.error.message, /connections\[0\]\.mute must be a boolean/);
  });
  test('TabRole values accepted in hello', () => {
    for (const role of Object.values(TabRole)) {
      assert.equal(validateUp({ type: 'hello', tabId: 't', protocol: 1, role }).ok, true);
    }
  });
});

describe('validatePersistedState: as deep as the wire', () => {
  const good = () => ({
    state: { type: 'state', version: 3, skew: 0, data: { snapshot: snapshotOf(), configuration: configurationOf() } },
    nextToken: null, savedAt: 1_700_000_000_000, engineId: 'e',
  });
  function snapshotOf() {
    return { state: { type: 'routable', name: 'Available' }, snapshotTimestamp: 1_700_000_000, contacts: [] };
  }
  function configurationOf() {
    return { name: 'A', softphoneEnabled: true, softphoneAutoAccept: false, extension: '', routingProfile: {},
      permissions: [], agentStates: [{ type: 'routable', name: 'Available' }], dialableCountries: ['us'] };
  }

  test('a record as the engine writes it passes', () => {
    assert.equal(validatePersistedState(good()).ok, true);
  });

  test('the wedge record {snapshot:{}, configuration:{}} fails, naming the field (tabs reading it render nothing)', () => {
    const r = validatePersistedState({ ...good(), state: { ...good().state, data: { snapshot: {}, configuration: {} } } });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', /snapshot\.state/);
  });

  for (const [what, over] of [
    ['NaN version', { version: Number.NaN }], ['negative version', { version: -1 }],
    ['version past MAX_SAFE_INTEGER', { version: Number.MAX_SAFE_INTEGER + 2 }], ['version of 2^41', { version: 2 ** 41 }],
    ['skew of two days', { skew: 48 * 3600_000 }], ['skew of minus two days', { skew: -48 * 3600_000 }],
  ] as const) {
    test(`a ${what} fails`, () => {
      assert.equal(validatePersistedState({ ...good(), state: { ...good().state, ...over } }).ok, false);
    });
  }

  test('savedAt must be a real date', () => {
    for (const savedAt of [Number.NaN, -5, 0, 1e20]) assert.equal(validatePersistedState({ ...good(), savedAt }).ok, false, String(savedAt));
  });
});

describe('validLogRecords', () => {
  test('keeps the valid lines, in order, and drops the rest', () => {
    const lines = validLogRecords([
      { level: 'INFO', time: 1, text: 'a', source: 'engine' }, null, 'x', { level: 'INFO', time: 'soon', text: 'b' },
      { level: 'WARN', time: 2, text: 'c', source: 'tab-1' },
    ]);
    assert.deepEqual(lines.map((l) => l.text), ['a', 'c']);
    assert.deepEqual(validLogRecords({ not: 'an array' }), []);
  });
});
