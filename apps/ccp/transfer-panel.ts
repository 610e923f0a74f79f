/**
 * Transfer and conference for a connected voice contact, from a quick connect:
 * - Add party: `contact.addConnection(endpoint)` — the customer goes on hold and the third party is dialled; then
 *   the card offers Swap (`toggleActiveConnections`) and Join (`conferenceConnections`).
 * - Transfer: add the party, then hang up the agent's own connection: the contact leaves this agent.
 */
import type { ContactApi } from './connect-global';
import { button, h, uniqueId } from './dom';
import type { QuickConnects } from './quick-connects';
import { runFromButton, type Toasts } from './toasts';

export class TransferPanel {
  readonly el: HTMLElement;
  private readonly select = h('select', {});

  constructor(private readonly contact: ContactApi, private readonly quickConnects: QuickConnects, private readonly toasts: Toasts) {
    const id = uniqueId('transfer-target');
    this.select.id = id;
    const add = button('Add party', () => this.addParty(add));
    const transfer = button('Transfer', () => this.transfer(transfer));
    this.el = h('div', { class: 'transfer', role: 'group', 'aria-label': 'Transfer or conference' },
      h('label', { for: id }, 'Quick connect'), this.select, h('div', { class: 'actions' }, transfer, add));
    quickConnects.subscribe(() => quickConnects.fill(this.select));
  }

  private target(): ReturnType<QuickConnects['chosen']> {
    const endpoint = this.quickConnects.chosen(this.select);
    if (!endpoint) this.toasts.error('Choosing a quick connect', { type: 'ValidationError', message: 'No quick connect is chosen' });
    return endpoint;
  }

  private addParty(btn: HTMLButtonElement): void {
    const endpoint = this.target();
    if (!endpoint) return;
    runFromButton(btn, this.toasts, `Adding ${endpoint.name ?? 'a party'}`, (cb) => this.contact.addConnection(endpoint, cb));
  }

  private transfer(btn: HTMLButtonElement): void {
    const endpoint = this.target();
    if (!endpoint) return;
    const name = endpoint.name ?? 'the quick connect';
    runFromButton(btn, this.toasts, `Transferring to ${name}`, (cb) => this.contact.addConnection(endpoint, {
      // The third party is on the line: leaving now hands the customer over.
      success: () => this.contact.destroy(cb),
      failure: cb.failure,
    }));
  }
}
