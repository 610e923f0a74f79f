/** bench/latency.svg: last-tab notification latency (engine share, median) against tab count, per path and snapshot
 * size, with the raw floor; hand-written SVG (log-scaled tab axis). */
import type { Results } from './run';
import type { LatencyCell } from './latency';

const W = 720;
const H = 420;
const M = { left: 60, right: 230, top: 30, bottom: 50 };

interface Series { name: string; color: string; dash: string; points: [number, number][] }

function series(cells: LatencyCell[], pick: (c: LatencyCell) => boolean, value: (c: LatencyCell) => number): [number, number][] {
  return cells.filter(pick).map((c) => [c.tabs, value(c)] as [number, number]).filter(([, y]) => Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
}

export function renderSvg(r: Results): string {
  const all: Series[] = [];
  for (const [contacts, dash] of [[1, ''], [20, '6 4']] as const) {
    const is = (p: string) => (c: LatencyCell) => c.path === p && c.contacts === contacts;
    all.push({ name: `ours, ${contacts} contact(s)`, color: '#1f77b4', dash, points: series(r.latency, is('ours'), (c) => c.engineMedian) });
    all.push({ name: `original design, ${contacts}`, color: '#d62728', dash, points: series(r.latency, is('baseline'), (c) => c.engineMedian) });
    all.push({ name: `fallback (BroadcastChannel), ${contacts}`, color: '#2ca02c', dash, points: series(r.latency, is('broadcast'), (c) => c.engineMedian) });
    all.push({ name: `raw postMessage floor, ${contacts}`, color: '#555', dash, points: series(r.latency, is('ours'), (c) => c.floorJsonMedian) });
  }
  const shown = all.filter((s) => s.points.length > 0);
  const xs = shown.flatMap((s) => s.points.map((p) => p[0]));
  const ys = shown.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(2, ...xs);
  const yMax = Math.max(1, ...ys) * 1.1;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (n: number) => M.left + (Math.log(n) / Math.log(xMax)) * pw;
  const y = (v: number) => M.top + ph - (v / yMax) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${M.left}" y="18" font-size="14">Backend change → last of N tabs notified (engine share, median ms)</text>`);
  out.push(`<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#000"/>`);
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#000"/>`);
  for (const n of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${x(n)}" y1="${M.top + ph}" x2="${x(n)}" y2="${M.top + ph + 5}" stroke="#000"/><text x="${x(n)}" y="${M.top + ph + 18}" text-anchor="middle">${n}</text>`);
  }
  out.push(`<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">tabs (log scale)</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = (yMax / 5) * i;
    out.push(`<line x1="${M.left - 5}" y1="${y(v)}" x2="${M.left + pw}" y2="${y(v)}" stroke="#eee"/><text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`);
  }
  out.push(`<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">ms</text>`);
  shown.forEach((s, i) => {
    const d = s.points.map(([n, v], k) => `${k ? 'L' : 'M'}${x(n).toFixed(1)} ${y(v).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const [n, v] of s.points) out.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 15}" y1="${ly}" x2="${W - M.right + 45}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${W - M.right + 50}" y="${ly + 4}">${s.name}</text>`);
  });
  out.push(`<text x="${W - M.right + 15}" y="${M.top + 10 + shown.length * 20 + 10}" fill="#555">solid: 1 contact; dashed: 20</text>`);
  out.push(`<text x="${W - M.right + 15}" y="${M.top + 10 + shown.length * 20 + 26}" fill="#555">${r.date.slice(0, 16)}${r.quick ? ' (quick)' : ''}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
