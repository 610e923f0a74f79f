/**
 * The third parties of a voice contact (transfer and conference legs): one row per connection with its endpoint,
 * state, live duration and hold / resume / hang-up buttons. Rows are kept by connection id and updated in place.
 */
import type { ConnectionApi, ContactApi } from './connect-global';
import { button, h, setHidden, setText } from './dom';
import { formatDuration } from './format';
import { runFromButton, type Toasts } from './toasts';

const STATE_WORDS: Readonly<Record<string, string>> = {
  connecting: 'Dialing', connected: 'Connected', hold: 'On hold', disconnected: 'Left', init: 'Waiting',
};

class PartyRow {
  readonly el: HTMLLIElement;
  private readonly name = h('span', { class: 'party-name' });
  private readonly state = h('span', { class: 'party-state' });
  private readonly duration = h('span', { class: 'duration', role: 'timer' });
  private readonly hold: HTMLButtonElement;
  private readonly resume: HTMLButtonElement;
  private readonly hangUp: HTMLButtonElement;

  constructor(private readonly contact: ContactApi, private readonly connectionId: string, private readonly toasts: Toasts) {
    this.hold = button('Hold', () => this.act(this.hold, 'Hold', (c, cb) => c.hold(cb)), { class: 'small' });
    this.resume = button('Resume', () => this.act(this.resume, 'Resume', (c, cb) => c.resume(cb)), { class: 'small' });
    this.hangUp = button('Hang up', () => this.act(this.hangUp, 'Hang up', (c, cb) => c.destroy(cb)), { class: 'small danger' });
    this.el = h('li', { class: 'party', 'data-connection-id': connectionId },
      h('div', { class: 'party-line' }, this.name, this.state, this.duration),
      h('div', { class: 'actions' }, this.hold, this.resume, this.hangUp));
  }

  private connection(): ConnectionApi | null {
    return this.contact.getThirdPartyConnections().find((c) => c.getConnectionId() === this.connectionId) ?? null;
  }

  private act(btn: HTMLButtonElement, what: string, run: (c: ConnectionApi, cb: { success: () => void; failure: (e: { type: string; message: string }) => void }) => void): void {
    const conn = this.connection();
    if (!conn) return;
    runFromButton(btn, this.toasts, `${what} ${this.name.textContent}`, (cb) => run(conn, cb));
  }

  update(conn: ConnectionApi): void {
    const endpoint = conn.getEndpoint();
    const name = endpoint.name ?? endpoint.phoneNumber ?? endpoint.agentLogin ?? 'Third party';
    setText(this.name, name);
    const state = conn.getState().type;
    setText(this.state, STATE_WORDS[state] ?? state);
    for (const [b, verb] of [[this.hold, 'Hold'], [this.resume, 'Resume'], [this.hangUp, 'Hang up']] as const) {
      b.setAttribute('aria-label', `${verb} ${name}`);
    }
    setHidden(this.hold, state !== 'connected');
    setHidden(this.resume, state !== 'hold');
    setHidden(this.hangUp, !conn.isActive());
    this.tick(conn);
  }

  tick(conn: ConnectionApi): void {
    setText(this.duration, formatDuration(conn.getStateDuration()));
  }
}

export class PartyList {
  readonly el = h('ul', { class: 'parties', 'aria-label': 'Other parties', hidden: true });
  private readonly rows = new Map<string, PartyRow>();

  constructor(private readonly contact: ContactApi, private readonly toasts: Toasts) {}

  update(): void {
    const conns = this.contact.getThirdPartyConnections().filter((c) => c.getState().type !== 'disconnected');
    const seen = new Set<string>();
    for (const conn of conns) {
      const id = conn.getConnectionId();
      seen.add(id);
      let row = this.rows.get(id);
      if (!row) {
        row = new PartyRow(this.contact, id, this.toasts);
        this.rows.set(id, row);
        this.el.append(row.el);
      }
      row.update(conn);
    }
    for (const [id, row] of this.rows) {
      if (seen.has(id)) continue;
      row.el.remove();
      this.rows.delete(id);
    }
    setHidden(this.el, this.rows.size === 0);
  }

  tick(): void {
    for (const conn of this.contact.getThirdPartyConnections()) this.rows.get(conn.getConnectionId())?.tick(conn);
  }
}
