/**
 * What a contact card shows and offers, decided from plain data (so it can be tested without a browser): which
 * actions the contact's state allows, and the words for its state.
 */

/** The facts about a contact that decide its card. Connection fields are `ConnectionStateType` values or null. */
export interface ContactView {
  type: string;
  state: string;
  inbound: boolean;
  agentConnection: string | null;
  initialConnection: string | null;
  /** States of the third-party connections. */
  thirdParties: string[];
}

export interface ContactActions {
  accept: boolean;
  reject: boolean;
  hold: boolean;
  resume: boolean;
  mute: boolean;
  hangUp: boolean;
  clear: boolean;
  /** Add a third party (consult / conference) or transfer (add, then leave). */
  addParty: boolean;
  /** Swap which of the customer and the third party is on hold. */
  swap: boolean;
  /** Everyone talks together. */
  join: boolean;
  /** Type replies into a chat. */
  reply: boolean;
}

const VOICE_TYPES = new Set(['voice', 'queue_callback']);
const LIVE_STATES = new Set(['incoming', 'pending', 'connecting', 'connected']);
const DONE_STATES = new Set(['ended', 'missed', 'error']);
const ACTIVE_CONNECTION = new Set(['connecting', 'connected', 'hold']);

export function isVoice(view: ContactView): boolean {
  return VOICE_TYPES.has(view.type);
}

/** Offered to the agent and waiting for accept or reject. */
export function isRinging(view: ContactView): boolean {
  return view.agentConnection === 'connecting' && (view.state === 'incoming' || view.state === 'connecting');
}

function activeThirdParties(view: ContactView): string[] {
  return view.thirdParties.filter((s) => ACTIVE_CONNECTION.has(s));
}

export function contactActions(view: ContactView): ContactActions {
  const ringing = isRinging(view);
  const voice = isVoice(view);
  const talking = view.state === 'connected' && !ringing;
  const customerOn = view.initialConnection === 'connected' || view.initialConnection === 'hold';
  const others = activeThirdParties(view);
  const thirdAnswered = others.length > 0 && !others.includes('connecting');
  const parties = [view.initialConnection ?? '', ...others];
  const someoneHeld = parties.includes('hold');
  const someoneTalking = parties.includes('connected');
  return {
    accept: ringing,
    reject: ringing,
    hold: voice && talking && view.initialConnection === 'connected' && others.length === 0,
    resume: voice && talking && view.initialConnection === 'hold' && others.length === 0,
    mute: voice && talking,
    hangUp: LIVE_STATES.has(view.state) && !ringing,
    clear: DONE_STATES.has(view.state),
    addParty: voice && talking && customerOn && others.length === 0,
    swap: voice && talking && customerOn && thirdAnswered && someoneHeld && someoneTalking,
    join: voice && talking && customerOn && thirdAnswered && someoneHeld,
    reply: view.type === 'chat' && talking,
  };
}

/** The state in words, as an agent thinks of it. */
export function contactStatusLabel(view: ContactView): string {
  if (isRinging(view)) return view.inbound ? 'Incoming' : 'Ringing';
  switch (view.state) {
    case 'incoming': return 'Incoming';
    case 'pending': return 'Pending';
    case 'connecting': return view.inbound ? 'Connecting' : 'Dialing';
    case 'connected':
      if (activeThirdParties(view).length > 0) return view.initialConnection === 'hold' ? 'Customer on hold' : 'Conference';
      return view.initialConnection === 'hold' ? 'On hold' : 'Connected';
    case 'ended': return 'After call work';
    case 'missed': return 'Missed';
    case 'error': return 'Error';
    default: return view.state;
  }
}

/** `Inbound call`, `Outbound call`, `Chat`, `Callback`, `Task`. */
export function contactKindLabel(view: ContactView): string {
  switch (view.type) {
    case 'voice': return view.inbound ? 'Inbound call' : 'Outbound call';
    case 'queue_callback': return 'Callback';
    case 'chat': return 'Chat';
    case 'task': return 'Task';
    default: return view.type;
  }
}
