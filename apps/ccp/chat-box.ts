/**
 * A chat contact's transcript and reply box. The transcript comes from the contact attribute `transcript`, which the
 * backend keeps up to date, so it arrives in every tab through the normal state sync. Replies go to the simulated
 * chat service (the control API), standing in for the chat participant service a production CCP talks to; without
 * the control API the transcript is read-only.
 */
import type { ContactApi } from './connect-global';
import { h, setHidden, uniqueId } from './dom';
import type { SimClient } from './sim-client';
import { runFromButton, type Toasts } from './toasts';
import { parseTranscript, speakerLabel } from './transcript';

export class ChatBox {
  readonly el: HTMLElement;
  private readonly log = h('ol', { class: 'transcript', role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat transcript', tabindex: '0' });
  private readonly form: HTMLFormElement;
  private readonly input = h('input', { type: 'text', autocomplete: 'off', maxlength: '4000' });
  private lastValue: string | undefined = '';
  private canReply = false;
  private live = false;

  constructor(private readonly contact: ContactApi, private readonly sim: SimClient, enabled: Promise<boolean>, private readonly toasts: Toasts) {
    const id = uniqueId('chat-reply');
    this.input.id = id;
    const send = h('button', { type: 'submit' }, 'Send');
    this.form = h('form', { class: 'chat-reply', hidden: true }, h('label', { for: id, class: 'visually-hidden' }, 'Reply'), this.input, send);
    this.input.placeholder = 'Reply…';
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.reply(send);
    });
    this.el = h('section', { class: 'chat', 'aria-label': 'Chat' }, this.log, this.form);
    void enabled.then((on) => {
      this.canReply = on;
      this.showReply();
    });
  }

  /** Re-renders the transcript when the attribute changed; shows the reply box while the chat is live. */
  update(customerName: string, live: boolean): void {
    this.live = live;
    this.showReply();
    const value = this.contact.getAttributes().transcript?.value;
    if (value === this.lastValue) return;
    this.lastValue = value;
    const lines = parseTranscript(value);
    if (lines.length === 0) {
      this.log.replaceChildren(h('li', { class: 'meta' }, 'No messages yet.'));
      return;
    }
    this.log.replaceChildren(...lines.map((l) => h('li', { class: `line ${l.participant.toLowerCase()}` },
      h('span', { class: 'speaker' }, `${speakerLabel(l, customerName)}: `), l.text)));
    this.log.scrollTop = this.log.scrollHeight;
  }

  private showReply(): void {
    setHidden(this.form, !(this.live && this.canReply));
  }

  private reply(btn: HTMLButtonElement): void {
    const text = this.input.value.trim();
    if (!text) return;
    runFromButton(btn, this.toasts, 'Sending the message', (cb) => {
      this.sim.message(this.contact.getContactId(), text, 'AGENT').then(() => cb.success(), cb.failure);
    }, () => { this.input.value = ''; });
  }
}
