/**
 * The published state and its versions. A candidate state is compared with the published one; an observable change
 * becomes version + 1, and the new published state is exactly what a tab gets by applying the delta — so a tab
 * following deltas and a tab that just joined hold identical data. The full-state JSON is encoded once per version.
 * A delta carries the Streams events of its change, derived here once rather than in every tab
 * (`shared/delta-events.ts`).
 */
import type { AgentData } from '../shared/cti';
import { applyDelta, deltaTouchesData } from '../shared/delta';
import { encodeDeltaEvents } from '../shared/delta-events';
import { deriveEvents } from '../shared/events';
import { diffState } from '../shared/state-diff';
import { DownType, type StateDelta, type StateFull } from '../shared/protocol';

export interface Candidate {
  data: AgentData | null;
  skew: number;
  stale: boolean;
}

export type Publication =
  | { kind: 'full'; state: StateFull; json: string }
  | { kind: 'delta'; delta: StateDelta; json: string; state: StateFull };

/**
 * @example
 * const pub = new StatePublisher();
 * const p = pub.offer({ data, skew: 12, stale: false }); // null when nothing observable changed
 * if (p) hub.sendAll(p.json, 'state');
 */
export class StatePublisher {
  private published: StateFull = { type: DownType.STATE, version: 0, data: null, skew: 0 };
  private cache: { version: number; json: string } | undefined;

  get state(): StateFull {
    return this.published;
  }

  /** Adopts a persisted state, marked stale, at a version above both it and the current one. */
  restore(saved: StateFull): Publication {
    const version = Math.max(saved.version, this.published.version) + 1;
    return this.setFull({ data: saved.data, skew: saved.skew, stale: saved.data !== null }, version);
  }

  /** What to send for this candidate, or null when a tab could observe no difference. */
  offer(candidate: Candidate): Publication | null {
    const prev = this.published;
    if ((prev.data === null) !== (candidate.data === null)) return this.setFull(candidate, prev.version + 1);
    const d = diffState(prev, { data: candidate.data, skew: candidate.skew, ...(candidate.stale ? { stale: true } : {}) });
    if (!d) return null;
    const delta: StateDelta = { ...d, version: prev.version + 1, base: prev.version };
    const next = applyDelta(prev, delta);
    if (!next) return this.setFull(candidate, prev.version + 1); // cannot happen for a diff of prev; stay safe
    this.published = next;
    // The events of N-1 → N are the same for every tab holding N-1 (every tab following deltas): derive them once.
    if (prev.data && next.data && deltaTouchesData(delta)) {
      delta.events = encodeDeltaEvents(deriveEvents(prev.data, next.data, { fromDelta: true }));
    }
    return { kind: 'delta', delta, json: JSON.stringify(delta), state: next };
  }

  /** The JSON of the current full state, encoded once per version. */
  fullJson(): string {
    if (this.cache?.version !== this.published.version) {
      this.cache = { version: this.published.version, json: JSON.stringify(this.published) };
    }
    return this.cache.json;
  }

  private setFull(c: Candidate, version: number): Publication {
    this.published = { type: DownType.STATE, version, data: c.data, skew: c.skew, ...(c.stale ? { stale: true } : {}) };
    return { kind: 'full', state: this.published, json: this.fullJson() };
  }
}
