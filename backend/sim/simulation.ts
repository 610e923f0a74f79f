/**
 * The contact-center simulation: the agents, their snapshot versions and long-poll waiters, and the timers that
 * drive contacts forward. Operations live in `contacts.ts`, `connections.ts` and `routing.ts`; they call
 * {@link Simulation.changed} once per applied change, which is what moves versions and wakes long polls.
 */
import type { AgentSnapshot, Endpoint } from '../../shared/cti';
import { notFound } from '../errors';
import { systemClock, type Clock, SimulationTimers } from './clock';
import { createAgent } from './agents';
import type { AgentRecord, ContactRecord } from './model';
import { quickConnects } from './seed';
import { snapshotOf } from './snapshot';
import { SnapshotWatchers } from './watchers';

export interface SimulationOptions {
  agentCount: number;
  agentPassword: string;
  ringTimeoutMs: number;
  dialDelayMs: number;
}

export class Simulation {
  readonly agents = new Map<string, AgentRecord>();
  readonly watchers = new SnapshotWatchers();
  readonly timers = new SimulationTimers();
  readonly endpoints: readonly Endpoint[] = quickConnects();
  /** Process-wide version counter: a version is never reused, even across resets. */
  private lastVersion = 0;
  private readonly resetListeners: (() => void)[] = [];

  constructor(readonly options: SimulationOptions, readonly clock: Clock = systemClock) {
    this.seed();
  }

  private seed(): void {
    for (let i = 1; i <= this.options.agentCount; i++) {
      const agent = createAgent(i, this.options.agentPassword, this.clock, ++this.lastVersion);
      this.agents.set(agent.username, agent);
    }
  }

  now(): number {
    return this.clock.now();
  }

  /** Back to the seed state; pending timers are cancelled and every long poll answers. */
  reset(): void {
    this.timers.cancelAll();
    this.agents.clear();
    this.seed();
    for (const listener of this.resetListeners) listener();
    this.watchers.notifyAll();
  }

  /** Called after a reset (the idempotency store and the faults subscribe). */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  dispose(): void {
    this.timers.cancelAll();
    this.watchers.notifyAll();
  }

  agent(username: string): AgentRecord | undefined {
    return this.agents.get(username);
  }

  requireAgent(username: string): AgentRecord {
    const agent = this.agents.get(username);
    if (!agent) throw notFound(`no agent "${username}"`);
    return agent;
  }

  /** Records that `agent` changed: a new version, and its long polls wake up. */
  changed(agent: AgentRecord): void {
    agent.version = ++this.lastVersion;
    this.watchers.notify(agent.username);
  }

  snapshot(agent: AgentRecord): AgentSnapshot {
    return snapshotOf(agent, this.now());
  }

  /** The contact `contactId` on `agent`'s snapshot, or a ResourceNotFoundException naming both. */
  contactOf(agent: AgentRecord, contactId: string): ContactRecord {
    const contact = agent.contacts.find((c) => c.contactId === contactId);
    if (!contact) throw notFound(`contact ${contactId} is not on ${agent.username}'s snapshot`);
    return contact;
  }

  /** Any agent's contact by id (control API). */
  findContact(contactId: string): { agent: AgentRecord; contact: ContactRecord } | undefined {
    for (const agent of this.agents.values()) {
      const contact = agent.contacts.find((c) => c.contactId === contactId);
      if (contact) return { agent, contact };
    }
    return undefined;
  }
}
