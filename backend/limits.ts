/**
 * The backend's resource limits, each with its reason. Tests pass smaller values (`startBackend({ limits })`) to see
 * a limit act within a second; deployments keep these.
 */

export interface BackendLimits {
  /** A client must send its whole header block within this. */
  headersTimeoutMs: number;
  /** A client must send its whole request (headers and body) within this; a held response is not counted. */
  requestTimeoutMs: number;
  /** How often node checks the two timeouts above (they act at most this late). */
  timeoutCheckIntervalMs: number;
  /** Open connections at once, all clients together; more are closed on arrival. */
  maxConnections: number;
  /** Long polls held at once for one access token; a new one answers the oldest at once. */
  maxLongPollsPerToken: number;
  /** Remembered idempotency keys per agent; past it the oldest are forgotten. */
  idempotencyKeysPerAgent: number;
  /** Failed password logins per username within `loginWindowMs` before further attempts wait. */
  loginFailuresPerUsername: number;
  /** Failed password logins per client address within `loginWindowMs` before further attempts wait. */
  loginFailuresPerAddress: number;
  /** The window the login failures are counted in; also how long a limited client waits at most. */
  loginWindowMs: number;
}

export const DEFAULT_LIMITS: Readonly<BackendLimits> = {
  // Browsers send a header block in one packet; 10 s covers a very slow mobile link and cuts a slowloris early.
  headersTimeoutMs: 10_000,
  // The largest body is a 256 KiB log batch: seconds on a slow link. 30 s is the ceiling the issue sets. Held long
  // polls are responses, so this never cuts them (backend/security-limits.test.ts checks it).
  requestTimeoutMs: 30_000,
  // Node's default is 30 s, which would let a stalled request live up to a minute; 1 s keeps the limits honest.
  timeoutCheckIntervalMs: 1_000,
  // One engine per browser holds one long poll plus a short call or two: about 3 connections per agent. The scale
  // benchmark holds one long poll for each of up to 1,000 agents; 4,000 leaves room for that, and a flood past it is
  // closed on arrival instead of exhausting file descriptors and memory.
  maxConnections: 4_000,
  // One engine holds one long poll; a leader failover briefly overlaps two (the new leader reuses the old token).
  // Four leaves room for that; a fifth is a runaway or hostile client.
  maxLongPollsPerToken: 4,
  // The engine re-sends a mutation within seconds (and after a failover, tens of seconds); an agent makes at most a
  // few mutations a minute. 1,000 keys per agent is hours of work, and bounds memory at ~1,000 small entries each.
  idempotencyKeysPerAgent: 1_000,
  // A person mistypes a password two or three times; ten failures in the window is guessing.
  loginFailuresPerUsername: 10,
  // A shared office NAT may carry many agents' typos; 50 failures per window from one address is still guessing.
  loginFailuresPerAddress: 50,
  // Fifteen minutes, the usual lock-out window: slows a guesser to a few dozen tries per quarter hour.
  loginWindowMs: 15 * 60 * 1000,
};
