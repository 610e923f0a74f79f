/**
 * Every timing and size the engine uses, in one place, each with the reason for its value. Tests pass smaller
 * values through `Partial<EngineTimings>`; nothing else in `worker/` hard-codes a duration.
 */
export interface EngineTimings {
  /** `timeout` sent with `GetAgentSnapshot`: how long the server may hold the long poll. */
  longPollTimeoutMs: number;
  /** Extra time the engine gives a held long poll before aborting it locally. */
  longPollMarginMs: number;
  /** A long poll answered faster than this with an unchanged token was not held: wait before the next. */
  unheldPollMinGapMs: number;
  /** Pause between configuration rounds. */
  configIntervalMs: number;
  /** `maxResults` of the paginated configuration lists. */
  configPageSize: number;
  /** Deadline of each configuration call. */
  configCallDeadlineMs: number;
  /** Default deadline of a tab's request. */
  requestDeadlineMs: number;
  /** Largest deadline a tab may ask for. */
  requestDeadlineCapMs: number;
  /** Retries the CTI client makes of a retry-safe call (read, or write with an idempotency key). */
  ctiRetries: number;
  /** First retry delay inside the CTI client (full jitter, doubling). */
  ctiRetryBaseMs: number;
  /** Deadline of one delivery (push) to a tab. */
  deliveryDeadlineMs: number;
  /** Unsettled deliveries after which a tab gets no more deltas until it drains (then one full state). */
  maxUnsettledDeliveries: number;
  /** Backoff of failed polls: base and cap of the full-jitter exponential. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Largest `Retry-After` honoured. */
  maxRetryAfterMs: number;
  /** Smallest `Retry-After` honoured: a server's hint is a floor under the jittered backoff, never below this. */
  minRetryAfterMs: number;
  /** While access is denied, polls retry this slowly. */
  accessDeniedRetryMs: number;
  /** While paused on auth, the auth provider is tried this often. */
  authRetryWhilePausedMs: number;
  /** A token is refreshed this long before it expires. */
  tokenRefreshLeadMs: number;
  /** Deadline of one auth-provider fetch. */
  authFetchDeadlineMs: number;
  /** Writes to IndexedDB are coalesced over this window (the last write always lands). */
  persistThrottleMs: number;
  /** Engine log lines are pushed to log-wanting tabs and persisted at most this often. */
  logPushIntervalMs: number;
  /** Capacity of the engine's log ring. */
  logRingSize: number;
  /** Window of the inspector's polls-per-minute count. */
  pollRateWindowMs: number;
  /** How many recent engine events the inspector shows. */
  recentEventsMax: number;
  /** Pause after every long-poll answer before the next poll (0: none). */
  repollDelayMs: number;
  /** Pause after a long-poll answer that carried a change (a new token) before the next poll. */
  repollAfterChangeMs: number;
  /** Deadline of reading the persisted state and logs at start; past it the engine starts fresh. */
  storeReadDeadlineMs: number;
  /** Messages a tab may send in a burst before it is throttled. */
  tabBurstMessages: number;
  /** Messages per second a tab may sustain. */
  tabMessagesPerSecond: number;
}

export const DEFAULT_TIMINGS: Readonly<EngineTimings> = {
  // Same hold as the original (GET_AGENT_TIMEOUT_MS): one request per 30 s per browser when idle, and a change is
  // delivered as soon as it happens because the server answers the held poll at once.
  longPollTimeoutMs: 30_000,
  // The server answers at `timeout` plus its own processing; 10 s covers a slow backend or proxy without letting a
  // silently dropped connection hang the loop (the original relied on the SDK's 120 s socket timeout).
  longPollMarginMs: 10_000,
  // A server that ignores `timeout` would otherwise be hammered in a tight loop; 1 s bounds that at 60 calls/min
  // while still tracking changes faster than the original's 5 s recovery.
  unheldPollMinGapMs: 1_000,
  // Same as the original (GET_AGENT_CONFIGURATION_INTERVAL_MS): configuration changes are administrative and rare;
  // a change made from a tab (setConfiguration) triggers an immediate round anyway.
  configIntervalMs: 30_000,
  // The original's DEFAULT_BATCH_SIZE; the contract's largest page. Every page is followed regardless.
  configPageSize: 500,
  // Configuration calls are plain reads answered in milliseconds; 15 s tolerates a slow backend but lets a hung call
  // fail and back off well before the next 30 s round.
  configCallDeadlineMs: 15_000,
  // Matches the long-poll hold: a request that has not settled in 30 s will not help the agent any more, and the tab
  // gets a typed TimeoutError instead of a callback that never runs (the original had no deadline at all).
  requestDeadlineMs: 30_000,
  // Slow operations (CreateTransport through a cold backend) may ask for more, but no tab may park a request for
  // longer than two long-poll cycles.
  requestDeadlineCapMs: 60_000,
  // Two retries ride out a blip (connection reset, one 503) inside the deadline; more would only delay the typed error.
  ctiRetries: 2,
  // 100 ms is the AWS SDK's own base: quick enough to be invisible to an agent clicking a button.
  ctiRetryBaseMs: 100,
  // A live tab answers a push in well under 10 ms (port round trip ≈ 0.4 ms with Comlink); 5 s is beyond any GC pause or
  // busy main thread a healthy tab has, yet short enough that a dead tab's never-settling proxy is noticed quickly.
  deliveryDeadlineMs: 5_000,
  // 32 deltas is several seconds of heavy change; a tab that far behind is better served by one full state later
  // than by an unbounded queue in its port.
  maxUnsettledDeliveries: 32,
  // Full jitter from 500 ms: a single blip (backend restart, connection reset) recovers in ≈ 250 ms on average;
  // doubling reaches the cap after 6 failures. The 30 s cap equals the long-poll hold, so during an outage each
  // browser tries about as often as an idle healthy one polls, and jitter spreads thousands of agents' retries over
  // the whole interval instead of a thundering herd.
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  // A server may ask for a pause, but a bogus header must not park the engine for hours.
  maxRetryAfterMs: 5 * 60_000,
  // `Retry-After: 0` (or a date in the past, or a misbehaving proxy) must not turn the backoff into a hot loop: the
  // header is a floor added to the jittered draw, and that floor is never below the backoff base, so a server that
  // keeps answering "retry now" gets at most two tries a second from each browser instead of thousands.
  minRetryAfterMs: 500,
  // Access denied is an administrative state (permissions, disabled user): retrying every minute costs nothing and
  // recovers within a minute of an admin's fix.
  accessDeniedRetryMs: 60_000,
  // A login in a popup or another window takes tens of seconds; probing /auth/authorize every 30 s picks it up without
  // a tab's help at one cheap GET per browser, and a hello or a `session` from a tab triggers an immediate attempt.
  authRetryWhilePausedMs: 30_000,
  // A minute ahead covers a slow /auth/authorize and a server clock somewhat ahead of ours, with tokens living hours.
  tokenRefreshLeadMs: 60_000,
  // /auth/authorize is a cookie check; 10 s is generous and keeps a hung request from blocking recovery.
  authFetchDeadlineMs: 10_000,
  // A burst of changes (contact accepted → connected → agent busy within ~100 ms) costs one IndexedDB write instead of
  // several, and a crash loses at most 250 ms of state, which the next poll restores anyway.
  persistThrottleMs: 250,
  // The original pushed logs every second too (LOG_PUSH_INTERVAL); here only to tabs that ask, and only when new.
  logPushIntervalMs: 1_000,
  // 2000 lines at ~200 B ≈ 400 KB: hours of engine activity (a few lines per minute at INFO) for a crash report, with
  // a hard bound on memory and IndexedDB size (the original's tab logger grew without bound).
  logRingSize: 2_000,
  // "Per minute" by definition.
  pollRateWindowMs: 60_000,
  // Enough to see the last few minutes' episodes in the inspector.
  recentEventsMax: 50,
  // None: the server holds each poll until something changes, so the poll paces itself; a gap would only delay a
  // change that follows another (the unheld-poll guard above covers a server that does not hold).
  repollDelayMs: 0,
  // After a change, the engine has just posted it to every tab; re-arming the poll at once makes the request (worker,
  // network service, backend) compete for the CPU with the tabs applying it. Measured on 2 cores (`npm run bench`,
  // one tab): delivery 0.9–1.1 ms with no pause, 0.5–0.9 ms with 5 ms. A change that follows another within 5 ms waits
  // at most 5 ms more (the original waited 100 ms after every answer); an unchanged answer re-polls at once.
  // A page-hosted engine (the fallback's leader) takes no pause: a hidden page's timers are throttled to once a
  // second (worker/page-host.ts).
  repollAfterChangeMs: 5,
  // An IndexedDB read takes milliseconds, opening a cold database tens; one still pending after 2 s is blocked (a
  // frozen tab's open transaction, a wedged browser profile) and may never settle. Starting fresh costs nothing: the
  // first poll carries no token, so the backend answers it at once with the live state.
  storeReadDeadlineMs: 2_000,
  // A healthy tab sends a SYNCHRONIZE per second, a log batch every few seconds and a handful of requests per agent
  // action; a page loading (hello, master checks, configuration, endpoints paging) bursts a few dozen. 200 at once and
  // 50 per second sustained is several times any of that, yet caps what one looping or hostile tab (a CRM page among
  // them) can make the engine parse, log and fan out — the other tabs keep their share.
  tabBurstMessages: 200,
  tabMessagesPerSecond: 50,
};

export function resolveTimings(overrides: Partial<EngineTimings> = {}): EngineTimings {
  return { ...DEFAULT_TIMINGS, ...overrides };
}
