/**
 * One card per contact: who it is, its state and live (skew-corrected) duration, and the buttons its state allows
 * (accept, reject, hold, resume, mute, hang up, clear, swap, join), plus the third parties, the transfer picker for
 * voice and the transcript for chat. Built once; `update()` changes texts and visibility in place, so a button the
 * user is on keeps its focus.
 */
import type { AgentApi, ContactApi } from './connect-global';
import { ChatBox } from './chat-box';
import { contactActions, contactKindLabel, contactStatusLabel, isVoice, type ContactActions, type ContactView } from './contact-rules';
import { button, h, setAttr, setHidden, setText, uniqueId } from './dom';
import { formatDuration, shortId } from './format';
import { PartyList } from './party-list';
import type { QuickConnects } from './quick-connects';
import type { SimClient } from './sim-client';
import { runFromButton, type Toasts } from './toasts';
import { TransferPanel } from './transfer-panel';

export interface CardDeps {
  toasts: Toasts;
  quickConnects: QuickConnects;
  sim: SimClient;
  simEnabled: Promise<boolean>;
  agent: () => AgentApi | null;
}

type Callbacks = { success: () => void; failure: (e: { type: string; message: string }) => void };

/** The facts the rules need, read from the live contact. */
export function viewOf(c: ContactApi): ContactView {
  return {
    type: c.getType(),
    state: c.getState().type,
    inbound: c.isInbound(),
    agentConnection: c.getAgentConnection()?.getState().type ?? null,
    initialConnection: c.getInitialConnection()?.getState().type ?? null,
    thirdParties: c.getThirdPartyConnections().map((x) => x.getState().type),
  };
}

/** The customer's name from the contact attributes, else the caller's number, else the kind of contact. */
export function customerNameOf(c: ContactApi, view: ContactView): string {
  const attrs = c.getAttributes();
  const named = attrs.customerName?.value;
  if (named) return named;
  const endpoint = c.getInitialConnection()?.getEndpoint();
  return endpoint?.name ?? endpoint?.phoneNumber ?? attrs.customerNumber?.value ?? contactKindLabel(view);
}

export class ContactCard {
  readonly el: HTMLElement;
  private readonly title = h('h2', { class: 'contact-title' });
  private readonly status = h('span', { class: 'contact-state' });
  private readonly duration = h('span', { class: 'duration', role: 'timer', 'aria-label': 'Time in this state' });
  private readonly kind = h('p', { class: 'meta' });
  private readonly buttons: Record<keyof Omit<ContactActions, 'addParty' | 'reply'>, HTMLButtonElement>;
  private readonly parties: PartyList;
  private readonly transfer: TransferPanel | null = null;
  private readonly chat: ChatBox | null = null;

  constructor(private readonly contact: ContactApi, private readonly deps: CardDeps) {
    const titleId = uniqueId('contact-title');
    this.title.id = titleId;
    const act = (what: string, run: (c: ContactApi, cb: Callbacks) => void) => (ev: MouseEvent): void =>
      runFromButton(ev.currentTarget as HTMLButtonElement, deps.toasts, what, (cb) => run(this.contact, cb));
    const initial = (c: ContactApi) => {
      const conn = c.getInitialConnection();
      if (!conn) throw { type: 'ContactNotFoundError', message: 'the customer connection is gone' };
      return conn;
    };
    this.buttons = {
      accept: button('Accept', act('Accept', (c, cb) => c.accept(cb)), { class: 'primary' }),
      reject: button('Reject', act('Reject', (c, cb) => c.reject(cb)), { class: 'danger' }),
      hold: button('Hold', act('Hold', (c, cb) => initial(c).hold(cb))),
      resume: button('Resume', act('Resume', (c, cb) => initial(c).resume(cb))),
      mute: button('Mute', () => this.toggleMute(), { 'aria-pressed': 'false' }),
      swap: button('Swap', act('Swap', (c, cb) => c.toggleActiveConnections(cb))),
      join: button('Join', act('Join', (c, cb) => c.conferenceConnections(cb))),
      hangUp: button('Hang up', act('Hang up', (c, cb) => c.destroy(cb)), { class: 'danger' }),
      clear: button('Clear', act('Clear', (c, cb) => c.clear(cb))),
    };
    this.parties = new PartyList(contact, deps.toasts);
    const type = contact.getType();
    const voice = type === 'voice' || type === 'queue_callback';
    if (voice) this.transfer = new TransferPanel(contact, deps.quickConnects, deps.toasts);
    if (type === 'chat') this.chat = new ChatBox(contact, deps.sim, deps.simEnabled, deps.toasts);
    this.el = h('article', { class: 'contact', 'data-contact-id': contact.getContactId(), 'aria-labelledby': titleId },
      h('header', { class: 'contact-header' }, this.title, this.status, this.duration),
      this.kind,
      h('div', { class: 'actions', role: 'group', 'aria-label': 'Contact actions' }, ...Object.values(this.buttons)),
      this.parties.el,
      this.transfer?.el ?? null,
      this.chat?.el ?? null);
  }

  get contactId(): string {
    return this.contact.getContactId();
  }

  /** Re-reads the contact (on every refresh of the agent's data). */
  update(): void {
    const view = viewOf(this.contact);
    const actions = contactActions(view);
    const customer = customerNameOf(this.contact, view);
    setText(this.title, customer);
    setText(this.status, contactStatusLabel(view));
    setAttr(this.el, 'data-state', view.state);
    const queue = this.contact.getQueue()?.name;
    setText(this.kind, [contactKindLabel(view), queue, shortId(this.contactId)].filter(Boolean).join(' · '));
    for (const [name, btn] of Object.entries(this.buttons)) setHidden(btn, !actions[name as keyof ContactActions]);
    const leavingHandsOver = isVoice(view) && view.thirdParties.some((s) => s === 'connected' || s === 'hold' || s === 'connecting');
    setText(this.buttons.hangUp, view.type === 'chat' ? 'End chat' : leavingHandsOver ? 'Leave call' : 'Hang up');
    this.setMuted(this.deps.agent()?.isMuted() ?? false);
    this.parties.update();
    if (this.transfer) setHidden(this.transfer.el, !actions.addParty);
    this.chat?.update(customer, actions.reply);
    this.tick();
  }

  /** Updates only the duration texts (every second). */
  tick(): void {
    setText(this.duration, formatDuration(this.contact.getStateDuration()));
    this.parties.tick();
  }

  setMuted(muted: boolean): void {
    setAttr(this.buttons.mute, 'aria-pressed', String(muted));
  }

  private toggleMute(): void {
    const agent = this.deps.agent();
    if (!agent) return;
    // Every tab (and the softphone tab) hears it; the button follows `agent.onMuteToggle`.
    if (agent.isMuted()) agent.unmute();
    else agent.mute();
  }
}
