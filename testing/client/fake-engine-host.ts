/**
 * A scriptable engine host for the fallback transports' unit tests: what `connect-engine.js` installs, without an
 * engine. Each host records the tabs that said hello and the messages they posted; `answer` decides what a post
 * returns (default: requests succeed, the rest return nothing); `push` sends a down message to a tab.
 */
import { ChannelKind, type FollowerMessage, type ServerOutput } from '../../shared/broadcast-protocol';
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
    const endpoints = new Map<string, EngineEndpoint>();
    let closed = false;
    const answer = (to: string, rid: string, p: Promise<unknown>) => p.then(
      (value) => { if (!closed) emit({ kind: ChannelKind.RESULT, to, rid, ok: true, value }); },
      (error: { type: string; message: string }) => { if (!closed) emit({ kind: ChannelKind.RESULT, to, rid, ok: false, error }); },
    );
    return {
      receive: (m: FollowerMessage) => {
        if (closed) return;
        if (m.kind === ChannelKind.HELLO) {
          const ep = endpoints.get(m.from) ?? this.endpoint();
          endpoints.set(m.from, ep);
          void answer(m.from, m.rid, ep.hello(m.hello as Hello, (json) => { if (!closed) emit({ kind: ChannelKind.DOWN, to: [m.from], json }); }));
        } else if (m.kind === ChannelKind.POST) {
          const ep = endpoints.get(m.from);
          if (ep) void answer(m.from, m.rid, ep.post(m.msg as Up));
        } else if (m.kind === ChannelKind.SEND) void endpoints.get(m.from)?.post(m.msg as Up);
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

