/**
 * The inspector's words and rows, computed from `connect.core.inspect()` (an `EngineInfo`). Pure functions: the
 * view only places their output.
 */
import type { EngineInfo } from '../../shared/protocol';
import { formatAgo, formatSignedMs, shortId } from './format';

export interface TabRow {
  tabId: string;
  label: string;
  role: string;
  page: string;
  age: string;
  lastSynchronize: string;
  lastAcknowledge: string;
  liveness: 'alive' | 'late';
  own: boolean;
}

export function transportLabel(info: Pick<EngineInfo, 'transport' | 'epoch'>): string {
  switch (info.transport) {
    case 'shared-worker': return 'SharedWorker';
    case 'broadcast': return `Leader tab${info.epoch !== undefined ? ` (epoch ${info.epoch})` : ''}`;
    case 'in-page': return 'In this page (no sharing)';
    case 'iframe': return 'Through the CCP frame';
    default: return String(info.transport);
  }
}

export function skewLabel(info: Pick<EngineInfo, 'skew' | 'skewRtt'>): string {
  if (info.skewRtt === null) return `${formatSignedMs(info.skew)} (not measured yet)`;
  return `${formatSignedMs(info.skew)} (round trip ${Math.round(info.skewRtt)} ms)`;
}

const POLLING_WORDS: Readonly<Record<EngineInfo['polling'], string>> = {
  running: 'Running',
  'paused-auth': 'Paused: signed out',
  'access-denied': 'Stopped: access denied',
  backoff: 'Backing off after errors',
  stopped: 'Stopped',
};

export function pollingLabel(polling: EngineInfo['polling']): string {
  return POLLING_WORDS[polling] ?? String(polling);
}

/** The path and query of a tab's URL (the origin is the same for every tab). */
export function pageOf(url: string | undefined): string {
  if (!url) return '—';
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

export function tabRows(info: EngineInfo, ownTabId: string | null, now: number): TabRow[] {
  return [...info.tabs]
    .sort((a, b) => a.connectedAt - b.connectedAt)
    .map((t) => ({
      tabId: t.tabId,
      label: shortId(t.tabId),
      role: t.role,
      page: pageOf(t.url),
      age: formatAgo(t.connectedAt, now),
      lastSynchronize: formatAgo(t.lastSynchronize, now),
      lastAcknowledge: formatAgo(t.lastAcknowledge, now),
      liveness: t.alive ? 'alive' : 'late',
      own: t.tabId === ownTabId,
    }));
}

/** `[topic, holder]` pairs, topic names without the `connect::` prefix, holders as short tab ids. */
export function topicRows(info: EngineInfo, ownTabId: string | null): { topic: string; holder: string }[] {
  return Object.entries(info.topics)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, tabId]) => ({
      topic: topic.replace(/^connect::/, ''),
      holder: `${shortId(tabId)}${tabId === ownTabId ? ' (this tab)' : ''}`,
    }));
}

export interface TimedEvent {
  time: number;
  event: string;
}

export interface EventRow {
  ago: string;
  event: string;
  source: 'engine' | 'tab';
}

/**
 * The engine's recent events (broadcasts, master changes, auth) merged with the Streams events this tab derived
 * (the same in every tab), newest first, at most `max`.
 */
export function eventRows(info: EngineInfo, tabEvents: readonly TimedEvent[], now: number, max: number): EventRow[] {
  const all = [
    ...info.recentEvents.map((e) => ({ ...e, source: 'engine' as const })),
    ...tabEvents.map((e) => ({ ...e, source: 'tab' as const })),
  ];
  all.sort((a, b) => b.time - a.time);
  return all.slice(0, max).map((e) => ({ ago: formatAgo(e.time, now), event: e.event, source: e.source }));
}
