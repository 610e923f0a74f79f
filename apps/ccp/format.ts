/**
 * Text formats of the console and the inspector: durations, "ago" times, short ids. Pure functions.
 */

/** `mm:ss`, or `h:mm:ss` from an hour on; negative input (a clock a little ahead) shows as 00:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** How long ago `time` (epoch ms) was, relative to `now`: `0.4 s`, `12 s`, `3 min`, `2 h`; `never` for null. */
export function formatAgo(time: number | null | undefined, now: number): string {
  if (time === null || time === undefined || !Number.isFinite(time)) return 'never';
  const ms = Math.max(0, now - time);
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** The first 8 characters of an id (tab, engine, contact), enough to tell them apart on one screen. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** A signed millisecond figure: `+12 ms`, `-3 ms`. */
export function formatSignedMs(ms: number): string {
  const rounded = Math.round(ms);
  return `${rounded > 0 ? '+' : ''}${rounded} ms`;
}
