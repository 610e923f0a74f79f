/**
 * A scriptable engine host for the fallback transports' unit tests: what `connect-engine.js` installs, without an
 * engine. Each host records the tabs that said hello and the messages they posted; `answer` decides what a post
 * returns (default: requests succeed, the rest return nothing); `push` sends a down message to a tab.
 */
import * as Comlink from 'comlink';
import { ChannelKind, type ChannelSurface, type FollowerMessage, type ServerOutput } from '../../shared/broadcast-protocol';
import type { ComlinkMessage } from '../../shared/envelope';
import { RelayedEndpoint } from '../../shared/relayed-endpoint';
import type { EngineEndpoint, PostResult, PushCallback } from '../../shared/endpoint';
import type { ChannelServer, EngineHost, EngineHostFactory, EngineHostOptions } from '../../shared/engine-host';
import { DownType, UpType, type Down, type Hello, type Up, type Welcome } from '../../shared/protocol';

export type Answer = (tabId: string, msg: Up) => PostResult | Promise<PostResult>;

export const answerRequests: Answer = (_tabId, msg) =>
  (msg.type === UpType.REQUEST ? { type: DownType.RESPONSE, requestId: msg.requestId, ok: true, data: { by: 'engine' } } : undefined);

export class FakeHost implements EngineHost {
  readonly engineId: string;
  readonly pushes = new Map<string, PushCallback>();
  readonly posts: { tabId: string; msg: Up }[] = [];
  stopped = false;
  answer: Answer = answerRequests;
  version = 10;

  constructor(readonly options: EngineHostOptions, n: number) {
    this.engineId = `engine-${n}`;
  }

  endpoint(): EngineEndpoint {
    let bound: string | null = null;
    return {
      hello: async (hello: Hello, push: PushCallback): Promise<Welcome> => {
        bound = hello.tabId;
        this.pushes.set(hello.tabId, push);
        return {
          tabId: hello.tabId, engineId: this.engineId, tabCount: this.pushes.size, transport: this.options.transport,
          epoch: this.options.epoch, state: { type: DownType.STATE, version: this.version, data: null, skew: 0 },
        };
      },
      post: async (msg: Up): Promise<PostResult> => {
        this.posts.push({ tabId: bound ?? '?', msg });
        return this.answer(bound ?? '?', msg);
      },
    };
  }

  serve(emit: (out: ServerOutput) => void): ChannelServer {
    // Each follower tab's calls arrive with Comlink on an end of its own, as on the engine's channel server.
    const tabs = new Map<string, { endpoint: EngineEndpoint; end: RelayedEndpoint }>();
    let closed = false;
    const tab = (from: string) => {
      let t = tabs.get(from);
      if (!t) {
        const endpoint = this.endpoint();
        const end = new RelayedEndpoint((reply) => { if (!closed) emit({ kind: ChannelKind.REPLY, to: from, reply: reply as ComlinkMessage }); });
        const surface: ChannelSurface = {
          hello: (hello) => endpoint.hello(hello as Hello, (json) => { if (!closed) emit({ kind: ChannelKind.DOWN, to: [from], json }); }),
          post: (msg) => endpoint.post(msg as Up),
        };
        Comlink.expose(surface, end);
        tabs.set(from, t = { endpoint, end });
      }
      return t;
    };
    return {
      receive: (m: FollowerMessage) => {
        if (closed) return;
        if (m.kind === ChannelKind.CALL) tab(m.from).end.receive(m.call);
        else if (m.kind === ChannelKind.SEND) void tabs.get(m.from)?.endpoint.post(m.msg as Up);
      },
      close: () => { closed = true; },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** Pushes a down message to one tab. */
  push(tabId: string, msg: Down): void {
    this.pushes.get(tabId)?.(JSON.stringify(msg));
  }
}

/** The factory; every host it made, in order. */
export class FakeEngineFactory implements EngineHostFactory {
  readonly hosts: FakeHost[] = [];

  createHost(options: EngineHostOptions): FakeHost {
    const host = new FakeHost(options, this.hosts.length + 1);
    this.hosts.push(host);
    return host;
  }

  get live(): FakeHost[] {
    return this.hosts.filter((h) => !h.stopped);
  }
}

