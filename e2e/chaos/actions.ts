/**
 * Agent actions a chaos run makes from its tabs through the public `connect` API, and the ledger that proves none was
 * lost or applied twice: every action's outcome is compared with the backend's count of mutations it applied.
 */
import type { Page } from 'playwright';

export type AgentAction = 'setState' | 'accept' | 'hangup' | 'clear' | 'hold' | 'resume';

/** The CTI operation each action performs (what the backend counts as applied). */
export const OPERATION_OF: Record<AgentAction, string> = {
  setState: 'PutAgentState', accept: 'AcceptContact', hangup: 'DestroyConnection', clear: 'ClearContact',
  hold: 'HoldConnection', resume: 'ResumeConnection',
};

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; type: string; message: string };

/** Longer than the engine's request deadline (30 s) plus the tab's margin: every action settles before this. */
const ACTION_TIMEOUT_MS = 45_000;

/** Errors that prove the change was not applied: the backend (or the library, before sending) refused it. An
 * error of any other type (timeouts, network, 5xx, a tab that died mid-call) leaves it open whether it applied. */
const DEFINITE_REFUSALS = new Set(['InvalidStateException', 'ResourceNotFoundException', 'ValidationException',
  'ValidationError', 'BadEndpointException', 'ContactNotFoundError', 'InvalidConfigurationException',
  'UnknownMethodError', 'AccessDeniedException', 'UnauthorizedException']);

export function isDefiniteRefusal(type: string): boolean {
  return DEFINITE_REFUSALS.has(type);
}

/** Runs one action in a tab. `stateName` is used by `setState`. */
export async function runAction(page: Page, action: AgentAction, stateName: string): Promise<Outcome> {
  const work = page.evaluate(([a, name]) => new Promise<{ kind: string; type?: string; message?: string; reason?: string }>((resolve) => {
    // Ours hands the failure callback a typed object; the genuine Streams library hands it a JSON string of one.
    const typed = (e: unknown): { type?: string; message?: string } => {
      if (typeof e !== 'string') return (e ?? {}) as { type?: string; message?: string };
      try { return JSON.parse(e) as { type?: string; message?: string }; } catch { return { type: 'Unknown', message: e }; }
    };
    const done = { success: () => resolve({ kind: 'ok' }), failure: (e: unknown) => { const t = typed(e); resolve({ kind: 'failed', type: t.type ?? 'Unknown', message: String(t.message ?? '') }); } };
    const skip = (reason: string) => resolve({ kind: 'skipped', reason });
    let agent: InstanceType<typeof window.connect.Agent>;
    try { agent = new window.connect.Agent(); } catch { skip('agent not initialised'); return; }
    const contacts = agent.getContacts();
    const ringing = contacts.find((c) => {
      const s = c.getState().type;
      const conn = c.getAgentConnection();
      return (s === 'connecting' || s === 'incoming') && !!conn && conn.getState().type === 'connecting';
    });
    const connected = contacts.find((c) => c.getState().type === 'connected');
    switch (a) {
      case 'setState': {
        const target = agent.getAgentStates().find((s) => s.name === name);
        if (!target) { skip(`no state ${name}`); return; }
        agent.setState(target, done);
        return;
      }
      case 'accept':
        if (!ringing) { skip('nothing ringing'); return; }
        ringing.accept(done);
        return;
      case 'hangup': {
        const conn = connected?.getAgentConnection();
        if (!conn) { skip('nothing connected'); return; }
        conn.destroy(done);
        return;
      }
      case 'clear': {
        const ended = contacts.find((c) => ['ended', 'missed', 'error'].includes(c.getState().type));
        if (!ended) { skip('nothing to clear'); return; }
        ended.clear(done);
        return;
      }
      case 'hold': case 'resume': {
        const voice = contacts.find((c) => c.getType() === 'voice' && c.getState().type === 'connected');
        const customer = voice?.getInitialConnection();
        if (!customer) { skip('no voice call'); return; }
        const onHold = customer.isOnHold();
        if (a === 'hold' && !onHold && customer.isConnected()) customer.hold(done);
        else if (a === 'resume' && onHold) customer.resume(done);
        else skip(a === 'hold' ? 'not holdable now' : 'not on hold');
        return;
      }
      default:
        skip(`unknown action ${a}`);
    }
  }), [action, stateName] as const);
  const timeout = new Promise<Outcome>((r) => setTimeout(() => r({ kind: 'failed', type: 'ChaosTimeout', message: `no outcome in ${ACTION_TIMEOUT_MS} ms` }), ACTION_TIMEOUT_MS));
  try {
    return await Promise.race([work as Promise<Outcome>, timeout]);
  } catch (e) {
    return { kind: 'failed', type: 'TabGone', message: String(e).slice(0, 200) };
  }
}

export interface OperationLedger {
  issued: number;
  ok: number;
  refused: number;
  unknown: number;
}

/** Per operation: what the tabs asked for and learned. */
export class Ledger {
  readonly ops: Record<string, OperationLedger> = {};
  readonly outcomes: Record<string, number> = {};

  /** Actions sent (ok, refused or unknown), skipped by the tab, and acknowledged. */
  totals(): { issued: number; skipped: number; ok: number } {
    const ops = Object.values(this.ops);
    const skipped = Object.entries(this.outcomes).filter(([k]) => k.endsWith(': skipped')).reduce((a, [, n]) => a + n, 0);
    return { issued: ops.reduce((a, o) => a + o.issued, 0), skipped, ok: ops.reduce((a, o) => a + o.ok, 0) };
  }

  record(action: AgentAction, outcome: Outcome): void {
    const key = outcome.kind === 'failed' ? `${action}: ${outcome.type}` : `${action}: ${outcome.kind}`;
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
    if (outcome.kind === 'skipped') return;
    const op = (this.ops[OPERATION_OF[action]] ??= { issued: 0, ok: 0, refused: 0, unknown: 0 });
    op.issued++;
    if (outcome.kind === 'ok') op.ok++;
    else if (isDefiniteRefusal(outcome.type)) op.refused++;
    else op.unknown++;
  }

  /**
   * Compares with the backend's applied counts: fewer than the successes means an acknowledged action was lost;
   * more than successes plus unknown outcomes means one was applied twice.
   */
  check(applied: Record<string, number>): { lost: number; duplicated: number; detail: Record<string, OperationLedger & { applied: number }> } {
    let lost = 0;
    let duplicated = 0;
    const detail: Record<string, OperationLedger & { applied: number }> = {};
    for (const [op, l] of Object.entries(this.ops)) {
      const a = applied[op] ?? 0;
      detail[op] = { ...l, applied: a };
      if (a < l.ok) lost += l.ok - a;
      if (a > l.ok + l.unknown) duplicated += a - l.ok - l.unknown;
    }
    return { lost, duplicated, detail };
  }
}
