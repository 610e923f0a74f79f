/**
 * The agent header: name, current state (`#agent-state`), live time in state, the next state queued behind the
 * current contacts, and the state picker (`#state-picker`, every state of `agent.getAgentStates()`).
 */
import type { AgentApi, Connect } from './connect-global';
import { h, setAttr, setHidden, setOptions, setText } from './dom';
import { formatDuration } from './format';
import type { Toasts } from './toasts';

export class AgentPanel {
  readonly el: HTMLElement;
  private readonly name = h('h1', { id: 'agent-name' }, '…');
  private readonly state = h('span', { id: 'agent-state', class: 'state' }, '…');
  private readonly duration = h('span', { id: 'state-duration', class: 'meta', role: 'timer', 'aria-label': 'Time in state' }, '00:00');
  private readonly next = h('p', { id: 'next-state', class: 'meta', hidden: true });
  private readonly picker = h('select', { id: 'state-picker' });
  /** The option list last rendered, to rebuild it only when the states or the current state change. */
  private optionsKey = '';

  constructor(private readonly connect: Connect, private readonly toasts: Toasts) {
    this.picker.addEventListener('change', () => this.choose());
    // A refresh that arrived while the picker had focus is applied when the user leaves it.
    this.picker.addEventListener('blur', () => { this.optionsKey = ''; this.refresh(); });
    this.el = h('section', { class: 'agent', 'aria-label': 'Agent' },
      h('header', { class: 'agent-header' }, this.name, this.state),
      h('div', { class: 'agent-row' },
        h('label', { for: 'state-picker', class: 'picker-label' }, 'Agent state'), this.picker, this.duration),
      this.next);
  }

  /** Re-reads the agent (on `agent.onRefresh`). */
  refresh(): void {
    const agent = this.agent();
    if (!agent) return;
    const state = agent.getState();
    setText(this.name, agent.getName());
    setText(this.state, state.name);
    this.state.className = `state ${state.type}`;
    setAttr(this.state, 'data-state-type', state.type);
    this.renderPicker(agent, state.name);
    const nextState = this.connect.core.getState().data?.snapshot.nextState;
    setHidden(this.next, !nextState);
    setText(this.next, nextState ? `Next: ${nextState.name} (after the current contacts)` : '');
    this.tick();
  }

  /** Updates only the duration text (every second). */
  tick(): void {
    const agent = this.agent();
    if (agent) setText(this.duration, formatDuration(agent.getStateDuration()));
  }

  private agent(): AgentApi | null {
    try {
      return new this.connect.Agent();
    } catch {
      return null;
    }
  }

  private renderPicker(agent: AgentApi, current: string): void {
    const states = agent.getAgentStates();
    const selectable = states.some((s) => s.name === current);
    // The option list changes only with the configuration, or when the agent enters a system state (AfterCallWork,
    // MissedCallAgent): that one is not selectable but is what the agent is in, so it is shown, disabled.
    const key = `${selectable ? '' : current}|${states.map((s) => s.name).join(',')}`;
    if (key !== this.optionsKey) {
      const options: { value: string; label: string; disabled?: boolean }[] = states.map((s) => ({ value: s.name, label: s.name }));
      if (!selectable) options.unshift({ value: current, label: current, disabled: true });
      // Rebuilt only while the user is not in the picker; a blur brings it up to date.
      if (setOptions(this.picker, options)) this.optionsKey = key;
    }
    // Showing the current state never disturbs the user: the list itself stays as it is.
    if (this.optionsKey === key && this.picker.value !== current) this.picker.value = current;
  }

  private choose(): void {
    const agent = this.agent();
    const target = agent?.getAgentStates().find((s) => s.name === this.picker.value);
    if (!agent || !target) return;
    agent.setState(target, {
      failure: (e) => {
        this.toasts.error(`Changing state to ${target.name}`, e);
        this.refresh(); // back to the state the agent is in
      },
    });
  }
}
