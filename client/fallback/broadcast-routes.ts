/**
 * The way from a tab of this page to the engine of the current leadership term: `LocalRoute` when this page leads
 * (direct calls into the engine it hosts), `RemoteRoute` when another tab leads (messages on the channel). A route
 * lives for one term; when the term ends every call still open on it rejects with `RouteLostError`, and the tab
 * re-sends what it may on the next route.
 */
import { ChannelKind, type DownMessage, type FollowerMessage, type ResultMessage } from '../../shared/broadcast-protocol';
import type { EngineEndpoint, PostResult, PushCallback } from '../../shared/endpoint';
import type { EngineHost } from '../../shared/engine-host';
import { ErrorType, wireError, type Hello, type Up, type Welcome, type WireError } from '../../shared/protocol';
import { randomId } from '../tab/transport';

/** Internal: the call's route ended before an answer (never reaches an API caller). */
export const ROUTE_LOST = 'RouteLostError';

export type HelloAnswer = Welcome | { error: WireError };

export interface Route {
  readonly epoch: number;
  /** This page hosts the engine. */
  readonly local: boolean;
  hello(hello: Hello, push: PushCallback): Promise<HelloAnswer>;
  post(tabId: string, msg: Up): Promise<PostResult>;
  send(tabId: string, msg: Up): void;
  /** Ends the route: open calls reject with `RouteLostError`, pushes stop. */
  lose(): void;
}

abstract class RouteBase {
  private readonly open = new Set<(e: WireError) => void>();
  protected lost = false;

  lose(): void {
    this.lost = true;
    const error = wireError(ROUTE_LOST, 'the leadership term ended');
    for (const reject of [...this.open]) reject(error);
    this.open.clear();
  }

  /** `p`, unless the route is lost first. */
  protected track<T>(p: Promise<T>): Promise<T> {
    if (this.lost) return Promise.reject(wireError(ROUTE_LOST, 'the leadership term ended'));
    return new Promise<T>((resolve, reject) => {
      this.open.add(reject);
      p.then(resolve, reject).finally(() => this.open.delete(reject));
    });
  }
}

/** Direct calls into the engine this page hosts: one endpoint per tab, as a SharedWorker port would be. */
export class LocalRoute extends RouteBase implements Route {
  readonly local = true;
  private readonly endpoints = new Map<string, EngineEndpoint>();
  private readonly queued: { push: PushCallback; json: string }[] = [];

  constructor(readonly epoch: number, private readonly host: EngineHost) {
    super();
  }

  hello(hello: Hello, push: PushCallback): Promise<HelloAnswer> {
    let endpoint = this.endpoints.get(hello.tabId);
    if (!endpoint) this.endpoints.set(hello.tabId, endpoint = this.host.endpoint());
    return this.track(endpoint.hello(hello, (json) => this.later(push, json)));
  }

  /**
   * The engine's fan-out reaches this page's own tabs first (they connected first) and synchronously, while the
   * followers' copy goes out on the channel only after the fan-out (`worker/channel-server.ts` posts in a microtask).
   * Handling it here at once — parse, apply, events, the app's rendering — would make every follower wait for this
   * page. So this page's pushes run in a task of their own, after the channel post, in the order they came.
   */
  private later(push: PushCallback, json: string): void {
    this.queued.push({ push, json });
    if (this.queued.length > 1) return;
    // 0 ms: only "after the current task"; the browser adds no clamp to a timer that is not nested in timers.
    setTimeout(() => {
      const batch = this.queued.splice(0);
      for (const q of batch) if (!this.lost) q.push(q.json);
    }, 0);
  }

  post(tabId: string, msg: Up): Promise<PostResult> {
    const endpoint = this.endpoints.get(tabId);
    if (!endpoint) return Promise.reject(wireError(ErrorType.NOT_CONNECTED, 'send hello first'));
    return this.track(endpoint.post(msg));
  }

  send(tabId: string, msg: Up): void {
    this.endpoints.get(tabId)?.post(msg).catch(() => undefined);
  }
}

type Answer = (m: ResultMessage) => void;

/** Messages on the channel to the leader of `epoch`; answers and pushes come back through `result`/`deliver`. */
export class RemoteRoute extends RouteBase implements Route {
  readonly local = false;
  private readonly pushes = new Map<string, PushCallback>();
  private readonly answers = new Map<string, Answer>();

  constructor(readonly epoch: number, private readonly post$: (msg: FollowerMessage) => void) {
    super();
  }

  hello(hello: Hello, push: PushCallback): Promise<HelloAnswer> {
    this.pushes.set(hello.tabId, push);
    const rid = randomId();
    const answer = this.call(rid, () => this.post$({ kind: ChannelKind.HELLO, epoch: this.epoch, from: hello.tabId, rid, hello })) as Promise<HelloAnswer>;
    // A tab the engine refused (or never answered on this route) is no tab of this term: what the leader sends to
    // every tab (`*`: its followers, which the refused tab is not) must not reach it.
    const forget = (): void => { if (this.pushes.get(hello.tabId) === push) this.pushes.delete(hello.tabId); };
    answer.then((a) => { if ('error' in a) forget(); }, forget);
    return answer;
  }

  post(tabId: string, msg: Up): Promise<PostResult> {
    const rid = randomId();
    return this.call(rid, () => this.post$({ kind: ChannelKind.POST, epoch: this.epoch, from: tabId, rid, msg })) as Promise<PostResult>;
  }

  send(tabId: string, msg: Up): void {
    if (!this.lost) this.post$({ kind: ChannelKind.SEND, epoch: this.epoch, from: tabId, msg });
  }

  /** A down message of this term: to the tabs it names that said hello on this route. */
  deliver(m: DownMessage): void {
    if (this.lost) return;
    if (m.to === '*') for (const push of [...this.pushes.values()]) push(m.json);
    else for (const id of m.to) this.pushes.get(id)?.(m.json);
  }

  result(m: ResultMessage): void {
    this.answers.get(m.rid)?.(m);
  }

  override lose(): void {
    this.pushes.clear();
    this.answers.clear();
    super.lose();
  }

  private call(rid: string, send: () => void): Promise<unknown> {
    const answer = new Promise<unknown>((resolve, reject) => {
      this.answers.set(rid, (m) => { this.answers.delete(rid); if (m.ok) resolve(m.value); else reject(m.error); });
    });
    const tracked = this.track(answer);
    tracked.catch(() => this.answers.delete(rid));
    send();
    return tracked;
  }
}
