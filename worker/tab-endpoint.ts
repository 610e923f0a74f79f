/**
 * The `EngineEndpoint` for one connection (one SharedWorker port): its first successful `hello` binds it to a tab id,
 * and from then on it speaks only for that tab — a tab cannot post for another. The object handed to Comlink is a
 * frozen plain object with just `hello` and `post`, so a caller cannot reach the engine through property paths.
 */
import type { EngineEndpoint, PostResult, PushCallback, PushTarget } from '../shared/endpoint';
import { ErrorType, wireError, type Welcome, type WireError } from '../shared/protocol';
import { errorResponse } from './down-messages';
import type { Engine } from './engine';

export interface TabEndpointOptions {
  engine: Pick<Engine, 'connectTab' | 'handle'>;
  /** Called when the engine drops the tab or a later hello replaces this push (frees e.g. a Comlink proxy). */
  releasePush?: (push: PushCallback) => void;
}

/** A transferred port becomes a callback posting to it (the port is closed when the tab is released). */
function asPushCallback(target: unknown): PushCallback | null {
  if (typeof target === 'function') return target as PushCallback;
  if (typeof MessagePort !== 'undefined' && target instanceof MessagePort) {
    const push = (json: string): void => target.postMessage(json);
    return Object.assign(push, { port: target });
  }
  return null;
}

/**
 * @example
 * self.onconnect = (e) => Comlink.expose(createTabEndpoint({ engine }), e.ports[0]);
 */
export function createTabEndpoint(o: TabEndpointOptions): EngineEndpoint {
  let boundTo: string | undefined;

  const hello = async (msg: unknown, target: PushTarget): Promise<Welcome | { error: WireError }> => {
    const push = asPushCallback(target);
    if (!push) return { error: wireError(ErrorType.VALIDATION, 'hello needs a push callback or a MessagePort') };
    const asked = typeof msg === 'object' && msg !== null ? (msg as { tabId?: unknown }).tabId : undefined;
    if (boundTo !== undefined && asked !== boundTo) {
      return { error: wireError(ErrorType.VALIDATION, `this connection already speaks for tab ${boundTo}`) };
    }
    const claimedHere = boundTo === undefined && typeof asked === 'string';
    if (claimedHere) boundTo = asked as string; // claimed before the await: a concurrent hello for another id is refused
    const release = o.releasePush ? () => o.releasePush?.(push) : undefined;
    const welcome = await o.engine.connectTab(msg, push, release);
    if ('error' in welcome && claimedHere) boundTo = undefined;
    return welcome;
  };

  const post = async (msg: unknown): Promise<PostResult> => {
    if (boundTo === undefined) return errorResponse(msg, wireError(ErrorType.NOT_CONNECTED, 'send hello first'));
    return o.engine.handle(boundTo, msg);
  };

  return Object.freeze({ hello, post }) as EngineEndpoint;
}
