/**
 * Runtime validation of the CTI answers the engine relies on (only the engine checks them; see `validate.ts` for the
 * kit).
 */
import type { AgentSnapshot } from './cti';
import { fail, MAX_NAME_CHARS, num, obj, run, str, type Validated } from './validate';

/**
 * Checks the parts of a `GetAgentSnapshot` answer the engine and the events rely on: the agent state, each contact's
 * id, state and connections, and the server timestamp.
 *
 * @example
 * const r = validateAgentSnapshot(out.snapshot);
 * if (!r.ok) throw new CtiError('NetworkError', r.error.message, 200);
 */
export function validateAgentSnapshot(x: unknown): Validated<AgentSnapshot> {
  return run(() => {
    const s = obj(x, 'snapshot');
    const state = obj(s.state, 'snapshot.state');
    str(state, 'type', 'snapshot.state', MAX_NAME_CHARS);
    str(state, 'name', 'snapshot.state', MAX_NAME_CHARS);
    num(s, 'snapshotTimestamp', 'snapshot');
    if (!Array.isArray(s.contacts)) fail('snapshot.contacts must be an array');
    s.contacts.forEach((c: unknown, i: number) => {
      const path = `snapshot.contacts[${i}]`;
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
      });
    });
    return s as unknown as AgentSnapshot;
  });
}
