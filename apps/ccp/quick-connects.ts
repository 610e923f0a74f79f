/**
 * Quick connects: the endpoints of the agent's queues (`agent.getEndpoints(agent.getAllQueueARNs())`), loaded once
 * and shared by the dial pad and every transfer picker. They are offered in a `<select>` grouped by kind.
 */
import type { AgentApi, EndpointApi } from './connect-global';
import { setOptions } from './dom';
import type { Toasts } from './toasts';

const GROUP_OF_TYPE: Readonly<Record<string, string>> = { agent: 'Agents', queue: 'Queues', phone_number: 'Phone numbers' };

export class QuickConnects {
  private endpoints: EndpointApi[] = [];
  private readonly listeners = new Set<() => void>();
  private loading = false;

  constructor(private readonly toasts: Toasts) {}

  /** Loads the list once (again after a failure). */
  load(agent: AgentApi): void {
    if (this.loading || this.endpoints.length) return;
    this.loading = true;
    agent.getEndpoints(agent.getAllQueueARNs(), {
      success: ({ endpoints }) => {
        this.loading = false;
        this.endpoints = endpoints;
        for (const l of this.listeners) l();
      },
      failure: (e) => {
        this.loading = false;
        // Not connected yet (state restored from persistence before the engine answered): the next refresh retries.
        if (e.type !== 'NotConnectedError') this.toasts.error('Loading quick connects', e);
      },
    });
  }

  /** Calls `listener` now and whenever the list changes. */
  subscribe(listener: () => void): void {
    this.listeners.add(listener);
    listener();
  }

  /** Fills a `<select>` with the quick connects (value = index), unless the user is using it. */
  fill(select: HTMLSelectElement): void {
    const options = this.endpoints.map((e, i) => ({
      value: String(i),
      label: e.name ?? e.phoneNumber ?? e.agentLogin ?? `Quick connect ${i + 1}`,
      group: GROUP_OF_TYPE[e.type ?? ''] ?? 'Other',
    }));
    if (setOptions(select, options)) select.disabled = options.length === 0;
  }

  /** The endpoint a filled `<select>` points at. */
  chosen(select: HTMLSelectElement): EndpointApi | null {
    return this.endpoints[Number(select.value)] ?? null;
  }
}
