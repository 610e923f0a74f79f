/** The chaos report: JSON for machines, a small HTML page with a timeline picture for people. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationLedger } from './actions';
import type { Divergence } from './checker';
import type { ChaosOptions } from './options';
import type { TimelineEntry } from './timeline';

export interface ChaosReport {
  options: ChaosOptions;
  startedAt: string;
  durationMs: number;
  tabs: { initial: number; opened: number; closed: number; crashed: number; frozen: number; maxLive: number };
  eventsDelivered: number;
  /** Actions sent to the backend (ok, refused or unknown), skipped by a tab that saw nothing to do, acknowledged. */
  actionTotals: { issued: number; skipped: number; ok: number; perSecond: number; noTab: number };
  actions: Record<string, number>;
  ledger: Record<string, OperationLedger & { applied: number }>;
  lost: number;
  duplicated: number;
  /** Per live tab at the end: its Streams event record checked against the truth. */
  streams: { tab: number; kind: string; events: number; lost: string[]; duplicated: string[] }[];
  backendEvents: Record<string, number>;
  faults: { kind: string; atMs: number; ms: number }[];
  failovers: { atMs: number; ms: number }[];
  divergences: Divergence[];
  finalConvergence: string | null;
  checks: { total: number; allInSync: number };
  pageErrors: string[];
  verdict: 'pass' | 'fail';
  timeline: TimelineEntry[];
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));

/** A lane per tab (alive span, frozen spans, crash/close marks), a lane of faults, one of actions, one of divergences. */
function timelineSvg(r: ChaosReport): string {
  const width = 1100;
  const left = 90;
  const laneH = 18;
  const span = Math.max(1, r.durationMs);
  const x = (t: number): number => left + ((width - left - 10) * Math.min(t, span)) / span;
  const tabIds = [...new Set(r.timeline.filter((e) => e.tab !== undefined).map((e) => e.tab!))].sort((a, b) => a - b);
  const lanes = [...tabIds.map((id) => `tab ${id}`), 'faults', 'actions', 'divergence'];
  const y = (lane: string): number => 20 + lanes.indexOf(lane) * laneH;
  const parts: string[] = [];
  for (const lane of lanes) parts.push(`<text x="4" y="${y(lane) + 12}" font-size="11">${esc(lane)}</text>`);
  for (const id of tabIds) {
    const own = r.timeline.filter((e) => e.tab === id && e.kind === 'tab');
    const opened = own.find((e) => e.text.endsWith('opened'))?.t ?? 0;
    const ended = own.find((e) => /closed|crashed/.test(e.text));
    parts.push(`<rect x="${x(opened)}" y="${y(`tab ${id}`) + 4}" width="${Math.max(1, x(ended?.t ?? span) - x(opened))}" height="10" fill="#9bc4e2"/>`);
    let frozenAt: number | null = null;
    for (const e of own) {
      if (e.text.endsWith('frozen')) frozenAt = e.t;
      if (e.text.endsWith('thawed') && frozenAt !== null) {
        parts.push(`<rect x="${x(frozenAt)}" y="${y(`tab ${id}`) + 4}" width="${Math.max(1, x(e.t) - x(frozenAt))}" height="10" fill="#7a8a99"><title>frozen</title></rect>`);
        frozenAt = null;
      }
    }
    if (ended) parts.push(`<text x="${x(ended.t) - 4}" y="${y(`tab ${id}`) + 13}" font-size="12" fill="${ended.text.endsWith('crashed') ? '#c0392b' : '#333'}">✕</text>`);
  }
  for (const f of r.faults) {
    parts.push(`<rect x="${x(f.atMs)}" y="${y('faults') + 3}" width="${Math.max(2, x(f.atMs + f.ms) - x(f.atMs))}" height="12" fill="#f0b429"><title>${esc(f.kind)}</title></rect>`);
  }
  for (const e of r.timeline.filter((t) => t.kind === 'action')) {
    const color = /: ok$/.test(e.text) ? '#2e8540' : /skipped/.test(e.text) ? '#bbb' : '#d9822b';
    parts.push(`<circle cx="${x(e.t)}" cy="${y('actions') + 9}" r="2.5" fill="${color}"><title>${esc(e.text)}</title></circle>`);
  }
  for (const e of r.timeline.filter((t) => t.kind === 'divergence')) {
    parts.push(`<rect x="${x(e.t) - 2}" y="${y('divergence') + 2}" width="4" height="14" fill="#c0392b"><title>${esc(e.text)}</title></rect>`);
  }
  const height = 30 + lanes.length * laneH;
  const ticks = Array.from({ length: 11 }, (_, i) => (span * i) / 10)
    .map((t) => `<text x="${x(t)}" y="${height - 2}" font-size="10" text-anchor="middle">${(t / 1000).toFixed(0)}s</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 8}" font-family="system-ui,sans-serif">${parts.join('')}${ticks.join('')}</svg>`;
}

export function writeReport(dir: string, r: ChaosReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'chaos-report.json');
  const html = join(dir, 'chaos-report.html');
  writeFileSync(json, JSON.stringify(r, null, 2));
  const rows = (o: Record<string, unknown>): string => Object.entries(o)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'object' ? JSON.stringify(v) : String(v))}</td></tr>`).join('');
  writeFileSync(html, `<!doctype html><meta charset="utf-8"><title>chaos report</title>
<style>body{font-family:system-ui,sans-serif;margin:16px}table{border-collapse:collapse}td{border:1px solid #ddd;padding:2px 6px;font-size:13px}</style>
<h1>Chaos run: ${r.verdict === 'pass' ? '✅ pass' : '❌ fail'}</h1>
<p>${r.options.tabs} tabs (${r.options.genuine} genuine), ${r.options.rate} actions/s, ${r.options.seconds} s, ${r.options.fallback ? 'fallback (BroadcastChannel + leader)' : 'SharedWorker'}, seed ${r.options.seed}</p>
${timelineSvg(r)}
<h2>Summary</h2><table>${rows({ tabs: r.tabs, eventsDelivered: r.eventsDelivered, lost: r.lost, duplicated: r.duplicated,
    divergences: r.divergences.length, finalConvergence: r.finalConvergence ?? 'converged', failovers: r.failovers, checks: r.checks })}</table>
<h2>Actions</h2><table>${rows({ totals: r.actionTotals, ...r.actions })}</table>
<h2>Streams events per tab (lost / duplicated)</h2><table>${rows(Object.fromEntries(r.streams.map((s) => [`tab ${s.tab} ${s.kind}`, s])))}</table>
<h2>Ledger (backend applied vs outcomes)</h2><table>${rows(r.ledger)}</table>
<h2>Backend events</h2><table>${rows(r.backendEvents)}</table>
<h2>Divergences</h2><pre>${esc(JSON.stringify(r.divergences, null, 1))}</pre>
<h2>Page errors</h2><pre>${esc(r.pageErrors.join('\n') || 'none')}</pre>`);
  return { json, html };
}
