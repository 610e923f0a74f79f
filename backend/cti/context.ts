/**
 * What a CTI operation handler gets: the simulation, the calling agent (looked up fresh on every call, so a handler
 * that waited — the long poll — never holds a record a reset replaced), and the services some operations need.
 */
import type { AuthService } from '../auth';
import type { AgentRecord } from '../sim/model';
import type { Simulation } from '../sim/simulation';
import type { BackendStats } from '../stats';
import type { JsonObject } from '../validate';

export interface OpContext {
  sim: Simulation;
  auth: AuthService;
  stats: BackendStats;
  username: string;
  /** The calling agent's current record. */
  agent(): AgentRecord;
  /** `host[:port]` the request was addressed to (transport URLs point back at it). */
  host: string;
  /** Aborted when the client goes away before the answer (long poll). */
  signal: AbortSignal;
  /** Re-checks the caller's token: false once it expired or was revoked (after a long wait). */
  stillAuthorized(): boolean;
}

/** Validates `input` completely, then applies; returns the operation's output (`{}` for most mutations). */
export type OpHandler = (ctx: OpContext, input: JsonObject) => unknown;
