/**
 * The dial pad: type (or tap) a number, checked as E.164 before anything is sent, and call it with
 * `agent.connect(Endpoint.byPhoneNumber(n))`; or call a quick connect.
 */
import type { AgentApi, Connect } from './connect-global';
import { button, h, setAttr, setText } from './dom';
import { checkPhoneNumber } from './phone';
import type { QuickConnects } from './quick-connects';
import { runFromButton, type Toasts } from './toasts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0', '#'];
const HINT = 'E.164, e.g. +12065550123';

export class DialPad {
  readonly el: HTMLDetailsElement;
  private readonly input = h('input', {
    id: 'dial-number', type: 'tel', inputmode: 'tel', autocomplete: 'off', 'aria-describedby': 'dial-hint', placeholder: '+12065550123',
  });
  private readonly hint = h('p', { id: 'dial-hint', class: 'meta' }, HINT);
  private readonly quick = h('select', { id: 'quick-connect' });

  constructor(private readonly connect: Connect, private readonly agent: () => AgentApi | null,
    private readonly quickConnects: QuickConnects, private readonly toasts: Toasts) {
    const call = h('button', { type: 'submit', class: 'primary' }, 'Call');
    const form = h('form', { class: 'dial-form', 'aria-label': 'Dial a number', novalidate: true },
      h('label', { for: 'dial-number' }, 'Phone number'),
      h('div', { class: 'dial-row' }, this.input, button('⌫', () => this.backspace(), { 'aria-label': 'Delete last digit', class: 'small' })),
      this.hint,
      h('div', { class: 'keypad', role: 'group', 'aria-label': 'Keypad' },
        ...KEYS.map((k) => button(k, () => this.press(k), { class: 'key', 'aria-label': `Key ${k}` }))),
      call);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.dial(call);
    });
    this.input.addEventListener('input', () => this.showError(null));
    const callQuick = button('Call quick connect', () => this.dialQuickConnect(callQuick));
    const quickGroup = h('div', { class: 'quick' },
      h('label', { for: 'quick-connect' }, 'Quick connect'), this.quick, callQuick);
    quickConnects.subscribe(() => quickConnects.fill(this.quick));
    this.el = h('details', { id: 'dial-pad', class: 'panel' }, h('summary', {}, 'Dial pad'), form, quickGroup);
  }

  private press(key: string): void {
    this.input.value += key;
    this.showError(null);
  }

  private backspace(): void {
    this.input.value = this.input.value.slice(0, -1);
    this.input.focus();
  }

  private showError(message: string | null): void {
    setAttr(this.input, 'aria-invalid', message ? 'true' : null);
    this.hint.classList.toggle('error', !!message);
    setText(this.hint, message ?? HINT);
  }

  private dial(btn: HTMLButtonElement): void {
    const check = checkPhoneNumber(this.input.value);
    if (!check.ok) {
      this.showError(check.message);
      this.input.focus();
      return;
    }
    this.input.value = check.number;
    const agent = this.agent();
    if (!agent) return;
    const endpoint = this.connect.Endpoint.byPhoneNumber(check.number);
    runFromButton(btn, this.toasts, `Calling ${check.number}`, (cb) => agent.connect(endpoint, cb), () => { this.input.value = ''; });
  }

  private dialQuickConnect(btn: HTMLButtonElement): void {
    const endpoint = this.quickConnects.chosen(this.quick);
    const agent = this.agent();
    if (!endpoint || !agent) return;
    runFromButton(btn, this.toasts, `Calling ${endpoint.name ?? 'the quick connect'}`, (cb) => agent.connect(endpoint, cb));
  }
}
