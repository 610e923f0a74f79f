/**
 * The agent's contacts as cards, in snapshot order: a card per contact id, created when the contact appears,
 * updated in place on refreshes, removed when the contact leaves the snapshot.
 */
import type { AgentApi } from './connect-global';
import { ContactCard, type CardDeps } from './contact-card';
import { h, setHidden } from './dom';

export class ContactList {
  readonly el: HTMLElement;
  private readonly empty = h('p', { class: 'meta empty' }, 'No contacts.');
  private readonly cards = new Map<string, ContactCard>();

  constructor(private readonly deps: CardDeps) {
    this.el = h('section', { id: 'contacts', 'aria-label': 'Contacts', tabindex: '-1' }, this.empty);
  }

  refresh(agent: AgentApi): void {
    const contacts = agent.getContacts();
    const ids = new Set(contacts.map((c) => c.getContactId()));
    for (const [id, card] of this.cards) {
      if (ids.has(id)) continue;
      const hadFocus = card.el.contains(document.activeElement);
      card.el.remove();
      this.cards.delete(id);
      // Focus must not fall to <body> when the card the user was on goes away.
      if (hadFocus) this.el.focus();
    }
    let previous: Element = this.empty;
    for (const contact of contacts) {
      const id = contact.getContactId();
      let card = this.cards.get(id);
      if (!card) {
        card = new ContactCard(contact, this.deps);
        this.cards.set(id, card);
      }
      if (previous.nextElementSibling !== card.el) previous.after(card.el);
      previous = card.el;
      try {
        card.update();
      } catch {
        // The contact left between reading the list and the card; the next refresh removes the card.
      }
    }
    setHidden(this.empty, this.cards.size > 0);
  }

  tick(): void {
    for (const card of this.cards.values()) {
      try {
        card.tick();
      } catch {
        // gone since the last refresh
      }
    }
  }

  setMuted(muted: boolean): void {
    for (const card of this.cards.values()) card.setMuted(muted);
  }
}
