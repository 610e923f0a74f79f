/**
 * Holds a new engine's backend calls until its first auth attempt has settled. A SharedWorker engine starts long
 * before a tab asks for anything; a leader tab's engine starts at the very moment the followers re-send the requests
 * that were in flight, and those must not reach the backend without a token (a 401, and an auth episode, for a
 * session that is perfectly valid). The gate opens when a token is set, or when the first token fetch settles
 * either way (then calls go out as they would have), or after `maxWaitMs` at the latest.
 */
import type { CtiInput, CtiOperation, CtiOutput } from '../shared/cti';
import type { AuthProvider, AuthToken } from './auth-provider';
import type { CtiCallOptions, CtiClient } from './cti-client';

/**
 * @example
 * const gate = new FirstTokenGate(DEFAULT_TIMINGS.authFetchDeadlineMs);
 * const engine = new Engine({ cti: gate.cti(http), auth: gate.auth(provider), … });
 */
export class FirstTokenGate {
  private readonly opened: Promise<void>;
  private open!: () => void;
  private isOpen = false;

  /** `maxWaitMs`: the provider's own deadline, beyond which the first attempt has failed anyway. */
  constructor(maxWaitMs: number) {
    this.opened = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.open(), maxWaitMs);
      this.open = () => {
        clearTimeout(timer);
        this.isOpen = true;
        resolve();
      };
    });
  }

  get passing(): boolean {
    return this.isOpen;
  }

  cti(inner: CtiClient): CtiClient {
    return {
      call: async <Op extends CtiOperation>(op: Op, input: CtiInput<Op>, opts?: CtiCallOptions): Promise<CtiOutput<Op>> => {
        if (!this.isOpen) await this.opened;
        return inner.call(op, input, opts);
      },
      setAuthToken: (token: string | undefined) => {
        inner.setAuthToken(token);
        if (token) this.open();
      },
    };
  }

  auth(inner: AuthProvider): AuthProvider {
    return {
      fetchToken: (signal?: AbortSignal): Promise<AuthToken> => inner.fetchToken(signal).finally(() => {
        // Let the engine adopt the token first (a microtask), then open.
        queueMicrotask(() => this.open());
      }),
    };
  }
}
