/**
 * Runtime validation of what crosses a boundary: the persisted state and the agent's configuration here, down messages
 * (engine → tab) in `validate-down.ts`, up messages (tab → engine) in `validate-up.ts`, the CTI answers the engine
 * relies on in `validate-snapshot.ts` (apart, so that the pages' bundle does not carry what only the engine and the
 * frame relay check), and the small kit they share in `validate-kit.ts`. Each validator returns a sanitised copy
 * holding only the known fields, or a `ValidationError` naming the first bad field. Validators never throw.
 */
import { DownType, type PersistedState } from './protocol';
import type { AgentConfiguration, AgentData, AgentSnapshot } from './cti';
import { bool, fail, MAX_ID_CHARS, MAX_NAME_CHARS, num, obj, run, str, strings, type Obj, type Validated } from './validate-kit';
import { validateDown } from './validate-down';

export * from './validate-kit';
export { validateDown } from './validate-down';

/** The last instant a `Date` can hold (ECMA-262): a later epoch-ms value makes `toISOString` throw. */
const MAX_DATE_MS = 8.64e15;

function agentData(d: Obj, p: string): AgentData {
  agentSnapshot(d.snapshot, `${p}.snapshot`);
  agentConfiguration(d.configuration, `${p}.configuration`);
  return d as unknown as AgentData;
}

/**
 * Checks what a tab or a new engine reads from IndexedDB (another version of the code may have written it).
 *
 * @example
 * const r = validatePersistedState(await get(PERSIST_STATE_KEY, store));
 * if (r.ok) render({ ...r.value.state, stale: true });
 */
export function validatePersistedState(x: unknown): Validated<PersistedState> {
  return run(() => {
    const o = obj(x, 'persisted');
    const s = obj(o.state, 'persisted.state');
    if (s.type !== DownType.STATE) fail('persisted.state.type must be state');
    const structure = validateDown(s);
    if (!structure.ok) fail(`persisted.${structure.error.message}`);
    if (s.data !== null) agentData(obj(s.data, 'persisted.state.data'), 'persisted.state.data');
    if (o.nextToken !== null && typeof o.nextToken !== 'string') fail('persisted.nextToken must be a string or null');
    num(o, 'savedAt', 'persisted', { min: 1, max: MAX_DATE_MS });
    str(o, 'engineId', 'persisted', MAX_ID_CHARS);
    return o as unknown as PersistedState;
  });
}

/**
 * Checks the assembled configuration the API objects rely on: the S1h fields, the routing profile, and the three
 * lists (permissions, agent states with their type and name, dialable countries).
 *
 * @example
 * const r = validateAgentConfiguration(saved.state.data.configuration);
 */
export function validateAgentConfiguration(x: unknown): Validated<AgentConfiguration> {
  return run(() => agentConfiguration(x, 'configuration'));
}

function agentConfiguration(x: unknown, p: string): AgentConfiguration {
  const c = obj(x, p);
  if (typeof c.name !== 'string') fail(`${p}.name must be a string`);
  if (typeof c.softphoneEnabled !== 'boolean') fail(`${p}.softphoneEnabled must be a boolean`);
  if (typeof c.softphoneAutoAccept !== 'boolean') fail(`${p}.softphoneAutoAccept must be a boolean`);
  if (c.extension !== undefined && typeof c.extension !== 'string') fail(`${p}.extension must be a string`);
  obj(c.routingProfile, `${p}.routingProfile`);
  if (c.agentPreferences !== undefined) obj(c.agentPreferences, `${p}.agentPreferences`);
  strings(c, 'permissions', p);
  strings(c, 'dialableCountries', p);
  if (!Array.isArray(c.agentStates)) fail(`${p}.agentStates must be an array`);
  c.agentStates.forEach((s: unknown, i: number) => {
    const so = obj(s, `${p}.agentStates[${i}]`);
    str(so, 'type', `${p}.agentStates[${i}]`, MAX_NAME_CHARS);
    str(so, 'name', `${p}.agentStates[${i}]`, MAX_NAME_CHARS);
  });
  return c as unknown as AgentConfiguration;
}

/** The agent snapshot's structure the engine and the events rely on (shared by `validate-snapshot.ts`). */
export function agentSnapshot(x: unknown, p: string): AgentSnapshot {
  const s = obj(x, p);
  const state = obj(s.state, `${p}.state`);
  str(state, 'type', `${p}.state`, MAX_NAME_CHARS);
  str(state, 'name', `${p}.state`, MAX_NAME_CHARS);
  num(s, 'snapshotTimestamp', p);
  if (!Array.isArray(s.contacts)) fail(`${p}.contacts must be an array`);
  s.contacts.forEach((c: unknown, i: number) => {
    const path = `${p}.contacts[${i}]`;
    const co = obj(c, path);
    str(co, 'contactId', path, MAX_NAME_CHARS);
    const cs = obj(co.state, `${path}.state`);
    str(cs, 'type', `${path}.state`, MAX_NAME_CHARS);
    num(cs, 'timestamp', `${path}.state`);
    if (!Array.isArray(co.connections)) fail(`${path}.connections must be an array`);
    co.connections.forEach((k: unknown, j: number) => {
      const kp = `${path}.connections[${j}]`;
      const ko = obj(k, kp);
      str(ko, 'connectionId', kp, MAX_NAME_CHARS);
      obj(ko.state, `${kp}.state`);
      bool(ko, 'mute', kp);
    });
  });
  return s as unknown as AgentSnapshot;
}
