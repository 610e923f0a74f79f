/**
 * The surface an engine host exposes to one tab, whatever carries it. Over a SharedWorker port it is exposed with
 * Comlink (one port per tab, so the port *is* the tab's identity: a tab cannot speak for another); the fallback
 * transport carries the same calls over BroadcastChannel. Pushed down messages are decoded and validated by the tab
 * with `receiveDown` (shared/validate-down.ts).
 */
import type { EngineInfo, Hello, MasterResult, Response, Up, Welcome, WireError } from './protocol';

/** Receives every down message for this tab, JSON-encoded (one `JSON.stringify` per fan-out, measured cheaper than
 * structured-cloning objects per port). */
export type PushCallback = (json: string) => void;

/**
 * How a tab receives its down messages: a callback (in-page, tests, Comlink proxies) or a `MessagePort` the tab
 * transferred in its hello. The SharedWorker transport uses the port: `npm run bench` measured the Comlink proxy
 * callback (one call, and one reply, per message per tab) about 25 % slower to the last of 20 tabs than a plain
 * `postMessage` on a transferred port.
 */
export type PushTarget = PushCallback | MessagePort;

export type PostResult = Response | MasterResult | EngineInfo | undefined;

export interface EngineEndpoint {
  /** The first call on a connection: registers the tab and its push callback; answers with the whole state. */
  hello(msg: Hello, push: PushTarget): Promise<Welcome | { error: WireError }>;
  /** Every other up message. Requests answer with a `Response` (never a rejection), `master` with a
   * `MasterResult`, `inspect` with `EngineInfo`, the rest with `undefined`. */
  post(msg: Up): Promise<PostResult>;
}
