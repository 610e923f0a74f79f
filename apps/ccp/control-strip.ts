/**
 * The control strip: buttons for the backend's control API, so a person can exercise the system by hand — inject an
 * inbound call or chat, have the customer hang up or write, expire the session, inject faults (latency, errors,
 * 429 throttling, backend down), clear them, reset. It appears only when the control API is on (`GET /sim` is 200).
 */
import { button, h, setOptions, setText, uniqueId, type Attrs } from './dom';
import { shortId } from './format';
import { controlApiEnabled, type FaultSettings, type InboundSettings, type SimClient } from './sim-client';
import { runFromButton, type Toasts } from './toasts';

export interface StripContext {
  /** The signed-in agent's username, once known (inbound contacts then go to this agent). */
  username(): string | undefined;
  /** The agent's contacts, to pick a target for hang-up and customer messages. */
  contacts(): { contactId: string; label: string }[];
}

function labelled<K extends 'input' | 'select'>(tag: K, label: string, attrs: Attrs = {}): { field: HTMLElement; control: HTMLElementTagNameMap[K] } {
  const id = uniqueId('strip');
  const control = h(tag, { id, ...attrs });
  return { field: h('span', { class: 'field' }, h('label', { for: id }, label), control), control };
}

export class ControlStrip {
  readonly el: HTMLElement;
  private readonly result = h('p', { class: 'meta strip-result', role: 'status' });
  private readonly target = labelled('select', 'Contact');

  constructor(private readonly sim: SimClient, private readonly ctx: StripContext, private readonly toasts: Toasts, headingLevel: 2 | 3) {
    this.el = h('section', { class: 'control-strip', 'aria-label': 'Simulator controls', hidden: true },
      h(headingLevel === 2 ? 'h2' : 'h3', {}, 'Simulator controls'),
      this.inboundGroup(), this.contactGroup(), this.faultGroup(), this.sessionGroup(), this.result);
    void controlApiEnabled(sim).then((on) => {
      this.el.hidden = !on;
      if (on) this.refresh();
    });
  }

  /** Updates the contact picker (unless the user is in it). */
  refresh(): void {
    const contacts = this.ctx.contacts();
    if (setOptions(this.target.control, contacts.map((c) => ({ value: c.contactId, label: c.label })))) {
      this.target.control.disabled = contacts.length === 0;
    }
  }

  private run<T>(btn: HTMLButtonElement, what: string, call: () => Promise<T>, done: (r: T) => string): void {
    runFromButton(btn, this.toasts, what, (cb) => {
      call().then((r) => { setText(this.result, done(r)); cb.success(); }, (e) => { setText(this.result, `${what} failed`); cb.failure(e); });
    });
  }

  private inboundGroup(): HTMLElement {
    const type = labelled('select', 'Type');
    type.control.append(h('option', { value: 'voice' }, 'Voice call'), h('option', { value: 'chat' }, 'Chat'),
      h('option', { value: 'queue_callback' }, 'Callback'));
    const from = labelled('input', 'From', { type: 'tel', value: '+14155550123', autocomplete: 'off' });
    const name = labelled('input', 'Customer name', { type: 'text', value: 'Ada Lovelace', autocomplete: 'off' });
    const inject = button('Inject inbound', () => {
      const settings: InboundSettings = { type: type.control.value as InboundSettings['type'] };
      const username = this.ctx.username();
      if (username) settings.username = username;
      if (from.control.value.trim()) settings.from = from.control.value.trim();
      if (name.control.value.trim()) settings.attributes = { customerName: name.control.value.trim(), accountId: 'A-1001', tier: 'Gold' };
      this.run(inject, 'Injecting an inbound contact', () => this.sim.inbound(settings),
        (r) => `Inbound ${settings.type} ${shortId(r.contactId)} routed to ${r.username}.`);
    });
    return h('fieldset', {}, h('legend', {}, 'Inbound contact'), type.field, from.field, name.field, inject);
  }

  private contactGroup(): HTMLElement {
    const text = labelled('input', 'Customer message', { type: 'text', value: 'Hello, I need help with my order.', autocomplete: 'off' });
    const chosen = (): string | null => {
      const id = this.target.control.value;
      if (!id) this.toasts.error('Choosing a contact', { type: 'ValidationError', message: 'The agent has no contact to act on' });
      return id || null;
    };
    const hangup = button('Customer hangs up', () => {
      const id = chosen();
      if (id) this.run(hangup, 'Customer hang-up', () => this.sim.hangup(id), () => `Customer of ${shortId(id)} hung up.`);
    });
    const say = button('Send as customer', () => {
      const id = chosen();
      const line = text.control.value.trim();
      if (id && line) this.run(say, 'Customer message', () => this.sim.message(id, line, 'CUSTOMER'), () => `Customer wrote in ${shortId(id)}.`);
    });
    return h('fieldset', {}, h('legend', {}, 'Customer'), this.target.field, hangup, text.field, say);
  }

  private faultGroup(): HTMLElement {
    const latency = labelled('input', 'Latency (ms)', { type: 'number', min: '0', max: '120000', step: '100', value: '0' });
    const rate = labelled('input', 'Error rate (0–1)', { type: 'number', min: '0', max: '1', step: '0.1', value: '0' });
    const status = labelled('select', 'Error status');
    status.control.append(...['500', '503', '429'].map((s) => h('option', { value: s }, s)));
    const downId = uniqueId('strip');
    const down = h('input', { type: 'checkbox', id: downId });
    const apply = button('Apply faults', () => {
      const spec: FaultSettings = { latencyMs: Number(latency.control.value) || 0, errorRate: Number(rate.control.value) || 0,
        status: Number(status.control.value), down: down.checked };
      this.run(apply, 'Applying faults', () => this.sim.setFaults(spec), (r) => `Faults: ${JSON.stringify(r.faults)}`);
    });
    const throttle = button('Throttle (429)', () => this.run(throttle, 'Throttling',
      () => this.sim.setFaults({ errorRate: 1, status: 429 }), () => 'Every API call now answers 429 ThrottlingException.'));
    const clear = button('Clear faults', () => this.run(clear, 'Clearing faults', () => this.sim.clearFaults(), () => 'Faults cleared.'));
    return h('fieldset', {}, h('legend', {}, 'Faults'), latency.field, rate.field, status.field,
      h('span', { class: 'field check' }, down, h('label', { for: downId }, 'Backend down')), apply, throttle, clear);
  }

  private sessionGroup(): HTMLElement {
    const expire = button('Expire session', () => {
      const username = this.ctx.username();
      if (!username) {
        this.toasts.error('Expiring the session', { type: 'StateError', message: 'No agent is signed in yet' });
        return;
      }
      this.run(expire, 'Expiring the session', () => this.sim.expireSession(username), () => `Session of ${username} expired.`);
    });
    const reset = button('Reset simulation', () => this.run(reset, 'Resetting', () => this.sim.reset(),
      () => 'Back to the seed state; every session ended.'), { class: 'danger' });
    return h('fieldset', {}, h('legend', {}, 'Session'), expire, reset);
  }
}
