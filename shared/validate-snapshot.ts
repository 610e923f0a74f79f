/**
 * Runtime validation of the CTI answers the engine relies on (only the engine checks them; see `validate.ts` for the
 * kit).
 */
import type { AgentSnapshot } from './cti';
import { agentSnapshot, run, type Validated } from './validate';

/**
 * Checks the parts of a `GetAgentSnapshot` answer the engine and the events rely on: the agent state, each contact's
 * id, state and connections, and the server timestamp.
 *
 * @example
 * const r = validateAgentSnapshot(out.snapshot);
 * if (!r.ok) throw new CtiError('NetworkError', r.error.message, 200);
 */
export function validateAgentSnapshot(x: unknown): Validated<AgentSnapshot> {
  return run(() => agentSnapshot(x, 'snapshot'));
}
