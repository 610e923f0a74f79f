/**
 * Master topics (`connect::softphone`, `connect::ringtone`, …): at most one tab is master of a topic.
 * - `check`: the first asker becomes master; everyone learns who is.
 * - `become`: the asker takes the topic over (`takeOver` when another tab held it).
 * - `release` and a tab's death free its topics.
 *
 * A freed topic goes to the longest-waiting live tab that showed interest in it (asked `check` or `become` and has not
 * released it). Why hand it over instead of only announcing it free: the e.g. softphone topic must never stay
 * ownerless while a willing tab exists, a single assignment needs no race between tabs re-asking, and every tab
 * learns the outcome from one `master_changed` event. With no interested tab left the topic is announced free
 * (`masterId: null`) so any tab may claim it.
 */
import { MasterMethod, type MasterResult } from '../shared/protocol';

/** A change of master the engine announces (`master_changed`) to every tab. */
export interface MasterChange {
  topic: string;
  masterId: string | null;
  takeOver?: boolean;
}

/**
 * @example
 * const topics = new MasterTopics();
 * topics.check('connect::softphone', 'tab-a'); // { masterId: 'tab-a', isMaster: true }
 * topics.check('connect::softphone', 'tab-b'); // { masterId: 'tab-a', isMaster: false }
 * topics.dropTab('tab-a');                     // [{ topic: 'connect::softphone', masterId: 'tab-b' }]
 */
export class MasterTopics {
  private readonly masters = new Map<string, string>();
  /** Per topic, the tabs interested in it, longest-waiting first. */
  private readonly interest = new Map<string, string[]>();

  /**
   * A tab's master request. A `readOnly` tab (its role may look, not hold) learns who is master, without a claim and
   * without a place in the queue for a hand-over.
   */
  request(method: MasterMethod, topic: string, tabId: string, readOnly = false): { result: MasterResult; change?: MasterChange } {
    if (readOnly) return { result: { topic, masterId: this.masterOf(topic), isMaster: false } };
    switch (method) {
      case MasterMethod.CHECK: return { result: this.check(topic, tabId) };
      case MasterMethod.BECOME: return this.become(topic, tabId);
      case MasterMethod.RELEASE: return this.release(topic, tabId);
    }
  }

  check(topic: string, tabId: string): MasterResult {
    this.noteInterest(topic, tabId);
    if (!this.masters.has(topic)) this.masters.set(topic, tabId);
    return this.result(topic, tabId);
  }

  become(topic: string, tabId: string): { result: MasterResult; change?: MasterChange } {
    this.noteInterest(topic, tabId);
    const previous = this.masters.get(topic);
    this.masters.set(topic, tabId);
    const takeOver = previous !== undefined && previous !== tabId;
    const result = { ...this.result(topic, tabId), takeOver };
    return takeOver ? { result, change: { topic, masterId: tabId, takeOver: true } } : { result };
  }

  /** The tab gives the topic up (and loses interest in it); a change when it was master. */
  release(topic: string, tabId: string): { result: MasterResult; change?: MasterChange } {
    this.dropInterest(topic, tabId);
    let change: MasterChange | undefined;
    if (this.masters.get(topic) === tabId) change = this.handOver(topic);
    return { result: this.result(topic, tabId), change };
  }

  /** Frees every topic of a dead tab; the changes to announce. */
  dropTab(tabId: string): MasterChange[] {
    for (const topic of [...this.interest.keys()]) this.dropInterest(topic, tabId);
    const changes: MasterChange[] = [];
    for (const [topic, master] of [...this.masters]) if (master === tabId) changes.push(this.handOver(topic));
    return changes;
  }

  /** topic → master tab id, for the inspector. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(this.masters);
  }

  masterOf(topic: string): string | null {
    return this.masters.get(topic) ?? null;
  }

  private handOver(topic: string): MasterChange {
    const next = this.interest.get(topic)?.[0];
    if (next === undefined) {
      this.masters.delete(topic);
      return { topic, masterId: null };
    }
    this.masters.set(topic, next);
    return { topic, masterId: next };
  }

  private result(topic: string, tabId: string): MasterResult {
    const masterId = this.masters.get(topic) ?? null;
    return { topic, masterId, isMaster: masterId === tabId };
  }

  private noteInterest(topic: string, tabId: string): void {
    const list = this.interest.get(topic) ?? [];
    if (!list.includes(tabId)) list.push(tabId);
    this.interest.set(topic, list);
  }

  private dropInterest(topic: string, tabId: string): void {
    const list = this.interest.get(topic)?.filter((t) => t !== tabId);
    if (!list) return;
    if (list.length) this.interest.set(topic, list);
    else this.interest.delete(topic);
  }
}
