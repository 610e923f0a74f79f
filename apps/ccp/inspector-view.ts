/**
 * The picture of the engine: transport, state version, skew and its round trip, polling, the connected tabs (with
 * their last SYNCHRONIZE/ACK and liveness), master topics and recent events. Used by the CCP's inspector panel and
 * by the standalone `/inspector` page; only tables and lists are rewritten, never controls.
 */
import type { EngineInfo } from '../../shared/protocol';
import { h, setText } from './dom';
import { shortId } from './format';
import {
  eventRows, pollingLabel, skewLabel, tabRows, topicRows, transportLabel, type EventRow, type TabRow, type TimedEvent,
} from './inspector-format';

/** The recent events shown: enough to follow a burst, few enough to fit the panel. */
const EVENTS_SHOWN = 15;

const FACTS = ['Transport', 'Engine', 'State version', 'Skew', 'Polls per minute', 'Polling', 'Connected tabs'] as const;
type Fact = typeof FACTS[number];

export class InspectorView {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'meta inspector-status', role: 'status' }, 'Waiting for the engine…');
  private readonly facts = new Map<Fact, HTMLElement>();
  private readonly tabsBody = h('tbody');
  private readonly topics = h('ul', { class: 'topics', 'aria-label': 'Master topics' });
  private readonly events = h('ol', { class: 'events', 'aria-label': 'Recent events' });
  private lastTabs = '';
  private lastTopics = '';
  private lastEvents = '';

  constructor(options: { headingLevel: 2 | 3; label: string }) {
    const heading = (text: string): HTMLElement => h(options.headingLevel === 2 ? 'h2' : 'h3', {}, text);
    const dl = h('dl', { class: 'facts' });
    for (const fact of FACTS) {
      const dd = h('dd', { 'data-fact': fact }, '—');
      this.facts.set(fact, dd);
      dl.append(h('dt', {}, fact), dd);
    }
    const table = h('table', { class: 'tabs-table', 'aria-label': 'Connected tabs' },
      h('thead', {}, h('tr', {}, ...['Tab', 'Role', 'Page', 'Age', 'Last SYNCHRONIZE', 'Last ACK', 'Liveness']
        .map((c) => h('th', { scope: 'col' }, c)))),
      this.tabsBody);
    this.el = h('section', { class: 'inspector', 'aria-label': options.label },
      this.status, dl,
      heading('Tabs'),
      // Scrollable on narrow screens; focusable so keyboard users can scroll it too.
      h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Connected tabs (scrollable)', tabindex: '0' }, table),
      heading('Master topics'), this.topics,
      heading('Recent events'), this.events);
  }

  /** `tabEvents`: the Streams events this tab raised, shown with the engine's own events. */
  render(info: EngineInfo, tabEvents: readonly TimedEvent[], ownTabId: string | null, now: number): void {
    setText(this.status, `Live · updated ${new Date(now).toLocaleTimeString()}`);
    this.fact('Transport', transportLabel(info));
    this.fact('Engine', shortId(info.engineId));
    this.fact('State version', String(info.version));
    this.fact('Skew', skewLabel(info));
    this.fact('Polls per minute', String(info.pollsPerMinute));
    this.fact('Polling', pollingLabel(info.polling));
    this.fact('Connected tabs', String(info.tabs.length));
    this.renderTabs(tabRows(info, ownTabId, now));
    this.renderTopics(topicRows(info, ownTabId));
    this.renderEvents(eventRows(info, tabEvents, now, EVENTS_SHOWN));
  }

  showError(message: string): void {
    setText(this.status, message);
  }

  private fact(name: Fact, value: string): void {
    const dd = this.facts.get(name);
    if (dd) setText(dd, value);
  }

  private renderTabs(rows: TabRow[]): void {
    const key = JSON.stringify(rows);
    if (key === this.lastTabs) return;
    this.lastTabs = key;
    this.tabsBody.replaceChildren(...rows.map((r) => h('tr', { 'data-tab-id': r.tabId, class: r.own ? 'own' : undefined },
      h('th', { scope: 'row', title: r.tabId }, r.label, r.own ? h('span', { class: 'meta' }, ' (this tab)') : null),
      h('td', {}, r.role), h('td', { class: 'page' }, r.page), h('td', {}, r.age),
      h('td', {}, r.lastSynchronize), h('td', {}, r.lastAcknowledge),
      h('td', { class: `liveness ${r.liveness}` }, r.liveness))));
  }

  private renderTopics(rows: { topic: string; holder: string }[]): void {
    const key = JSON.stringify(rows);
    if (key === this.lastTopics) return;
    this.lastTopics = key;
    this.topics.replaceChildren(...(rows.length
      ? rows.map((r) => h('li', {}, h('code', {}, r.topic), ' → ', r.holder))
      : [h('li', { class: 'meta' }, 'No tab holds a topic.')]));
  }

  private renderEvents(rows: EventRow[]): void {
    const key = JSON.stringify(rows);
    if (key === this.lastEvents) return;
    this.lastEvents = key;
    this.events.replaceChildren(...(rows.length
      ? rows.map((r) => h('li', { class: r.source },
        h('span', { class: 'meta' }, `${r.ago} ago · ${r.source} `), h('code', {}, r.event)))
      : [h('li', { class: 'meta' }, 'No events yet.')]));
  }
}
