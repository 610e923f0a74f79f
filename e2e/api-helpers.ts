/**
 * Helpers of the API specs: open the five tabs, record what each tab's bus raises, run a guide action on a contact or
 * one of its connections, read every tab's view of a contact, find ringing elements in every frame.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, expectConsistent, waitForAgent, type BackendControl } from './fixtures';
import { CRM_PORT } from '../playwright.config';

export const crmUrl = `http://127.0.0.1:${CRM_PORT}/`;
/** `connect.EventType.LOG`. */
export const LOG_EVENT = 'log';

export interface Five {
  crms: Page[];
  ccps: Page[];
  all: Page[];
}

/** Three demo-CRM tabs (each embeds the CCP) and two standalone CCP tabs, all with agent data and in agreement. */
export async function openFive(context: BrowserContext, openTabs: (n: number, path?: string) => Promise<Page[]>): Promise<Five> {
  const ccps = await openTabs(2);
  const crms: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await context.newPage();
    await p.goto(crmUrl);
    crms.push(p);
  }
  await Promise.all(crms.map((p) => waitForAgent(p)));
  const all = [...crms, ...ccps];
  await expectConsistent(all);
  return { crms, ccps, all };
}

/** Records, per tab, the agent/contact events of the bus (in order), the other events by name, and `connect.contact`. */
export async function record(pages: Page[]): Promise<void> {
  await Promise.all(pages.map((p) => p.evaluate(() => {
    const w = window as unknown as { __rec: { streams: string[]; other: string[]; contacts: string[]; data: Record<string, unknown[]> } };
    w.__rec = { streams: [], other: [], contacts: [], data: {} };
    window.connect.core.getEventBus().subscribeAll((data: unknown, name: string) => {
      if (/^(agent|contact)::/.test(name)) w.__rec.streams.push(name);
      else w.__rec.other.push(name);
      if (/^(agent::state_change|agent::mute_toggle|ringtone::|login_popup::)/.test(name)) {
        const d = data as { agent?: unknown } | null;
        (w.__rec.data[name] ??= []).push(d && typeof d === 'object' && 'agent' in d ? { ...d, agent: undefined } : data);
      }
    });
    window.connect.contact((c) => { w.__rec.contacts.push(c.getContactId()); });
  })));
}

export type Recording = { streams: string[]; other: string[]; contacts: string[]; data: Record<string, unknown[]> };

export function recording(page: Page): Promise<Recording> {
  return page.evaluate(() => (window as unknown as { __rec: Recording }).__rec);
}

export type Target = 'contact' | 'initial' | 'agent-connection' | 'third-party';

/** Calls an action of the guide on a contact or one of its connections in `page`; resolves on `success`, rejects
 * with the typed error on `failure`. */
export function act(page: Page, contactId: string, target: Target, method: string, args: unknown[] = []): Promise<unknown> {
  return page.evaluate(({ contactId, target, method, args }) => new Promise<unknown>((resolve, reject) => {
    const contact = new window.connect.Agent().getContacts().find((c) => c.getContactId() === contactId);
    if (!contact) {
      reject(new Error(`no contact ${contactId}`));
      return;
    }
    const third = contact.getThirdPartyConnections();
    const obj = target === 'contact' ? contact
      : target === 'initial' ? contact.getInitialConnection()
        : target === 'agent-connection' ? contact.getAgentConnection()
          : third[third.length - 1];
    if (!obj) {
      reject(new Error(`no ${target} on ${contactId}`));
      return;
    }
    const f = (obj as unknown as Record<string, (...a: unknown[]) => void>)[method];
    if (typeof f !== 'function') {
      reject(new Error(`${target}.${method} is not a function`));
      return;
    }
    f.call(obj, ...args, {
      success: (data: unknown) => resolve(data ?? null),
      failure: (e: { type: string; message: string }) => reject(new Error(`${e.type}: ${e.message}`)),
    });
  }), { contactId, target, method, args });
}

/** Every tab's view of one contact: its state and its connections' states (in order). */
export async function contactViews(pages: Page[], contactId: string): Promise<string[]> {
  return Promise.all(pages.map((p) => p.evaluate((id) => {
    const c = new window.connect.Agent().getContacts().find((x) => x.getContactId() === id);
    if (!c) return 'gone';
    return `${c.getState().type} ${c.getConnections().map((x) => `${x.getType()}:${x.getStatus().type}`).join(',')}`;
  }, contactId)));
}

/** Waits until every tab shows `expected` for the contact (a string, or a predicate on each view). */
export async function expectContactEverywhere(pages: Page[], contactId: string, expected: (view: string) => boolean, what: string): Promise<void> {
  await expect.poll(async () => {
    const views = await contactViews(pages, contactId);
    return views.every(expected) && new Set(views).size === 1 ? 'ok' : views.join(' | ');
  }, { message: what }).toBe('ok');
}

export async function backendContact(backend: BackendControl, contactId: string, username = 'agent1') {
  return (await backend.agent(username)).contacts.find((c) => c.contactId === contactId);
}

/** Every `audio[data-connect-ringtone]` in every frame of every page: where it is and whether it plays. */
export async function ringingElements(pages: Page[]): Promise<{ url: string; paused: boolean; type: string }[]> {
  const found: { url: string; paused: boolean; type: string }[] = [];
  for (const page of pages) {
    for (const frame of page.frames()) {
      const here = await frame.evaluate(() => [...document.querySelectorAll('audio[data-connect-ringtone]')]
        .map((a) => ({ paused: (a as HTMLAudioElement).paused, type: a.getAttribute('data-connect-ringtone') ?? '' })))
        .catch(() => []);
      for (const h of here) found.push({ url: frame.url(), ...h });
    }
  }
  return found;
}
