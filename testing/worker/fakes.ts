/**
 * Fakes of the engine's dependencies and of a tab, for unit tests.
 */
import { applyDelta } from '../../shared/delta';
import {
  DownType, PROTOCOL_VERSION, TabRole, UpType, type Down, type EventDown, type Hello, type StateFull,
} from '../../shared/protocol';
import type { AuthProvider, AuthToken } from '../../worker/auth-provider';
import { CtiError } from '../../worker/cti-error';
import type { LivenessWatcher } from '../../worker/engine';

/** An auth provider answering from a script, then with `fallback`. */
export class FakeAuth implements AuthProvider {
  calls = 0;
  readonly script: (AuthToken | CtiError)[] = [];

  constructor(public fallback: AuthToken | CtiError = { accessToken: 'tok-1' }) {}

  fetchToken(): Promise<AuthToken> {
    this.calls++;
    const next = this.script.shift() ?? this.fallback;
    return next instanceof CtiError ? Promise.reject(next) : Promise.resolve(next);
  }
}

export const noSession = () => new CtiError('UnauthorizedException', 'no session', 401);

/** Liveness whose tabs die when the test says so. */
export class FakeLiveness implements LivenessWatcher {
  private readonly deaths = new Map<string, () => void>();
  watches: string[] = [];

  watch(tabId: string): Promise<void> {
    this.watches.push(tabId);
    return new Promise((resolve) => this.deaths.set(tabId, resolve));
  }

  kill(tabId: string): void {
    this.deaths.get(tabId)?.();
    this.deaths.delete(tabId);
  }
}

export type SettleMode = 'auto' | 'never' | 'manual';

/** A tab: records what it is pushed, follows state and deltas like a real tab would. */
export class FakeTab {
  readonly messages: Down[] = [];
  state: StateFull | null = null;
  /** Deltas that did not follow the state held (the tab would ask for a resync). */
  gaps = 0;
  private readonly pending: (() => void)[] = [];

  constructor(readonly tabId: string, public mode: SettleMode = 'auto', readonly role: TabRole = TabRole.CCP) {}

  readonly push = (json: string): Promise<void> => {
    const msg = JSON.parse(json) as Down;
    this.messages.push(msg);
    this.apply(msg);
    if (this.mode === 'auto') return Promise.resolve();
    return new Promise<void>((resolve) => { if (this.mode === 'manual') this.pending.push(resolve); });
  };

  hello(extra: Partial<Hello> = {}): Hello {
    return { type: UpType.HELLO, tabId: this.tabId, protocol: PROTOCOL_VERSION, role: this.role, ...extra };
  }

  settleAll(): void {
    while (this.pending.length) this.pending.shift()!();
  }

  events(name?: string): EventDown[] {
    return this.messages.filter((m): m is EventDown => m.type === DownType.EVENT && (name === undefined || m.event === name));
  }

  ofType<T extends Down['type']>(type: T): Extract<Down, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<Down, { type: T }>[];
  }

  clear(): void {
    this.messages.length = 0;
  }

  private apply(msg: Down): void {
    if (msg.type === DownType.STATE) {
      this.state = msg;
    } else if (msg.type === DownType.DELTA) {
      const next = this.state ? applyDelta(this.state, msg) : null;
      if (next) this.state = next;
      else this.gaps++;
    }
  }
}
