/**
 * Issue #14, drop-in CCP: a CRM page on the unmodified amazon-connect-streams 2.28.2 release embeds our CCP with
 * `connect.core.initCCP` and works against it unchanged, side by side with connect-sync tabs of the same browser.
 */
import type { Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';
import {
  comparableNames, CRM_ORIGIN, genuineUrl, initialIsMute, openGenuine, openMixedPages, recorded, startRecording, streamsAction, streamsView, type StreamsView,
} from './genuine-helpers';

type Genuine = { genuineCrm: { initialized(): boolean; ackTimeouts(): string[]; events: { name: string }[] } };

/** Waits until every page's Streams view passes `check`. */
async function expectViews(pages: Page[], check: (v: StreamsView) => boolean, what: string): Promise<void> {
  await expect.poll(async () => {
    const views = await Promise.all(pages.map(streamsView));
    return views.every(check) ? 'ok' : JSON.stringify(views.map((v) => [v.state, v.contacts.map((c) => `${c.type}:${c.state}`)]));
  }, { message: what }).toBe('ok');
}

test('a genuine-library CRM gets the agent within a second of its first acknowledge', async ({ context, backend }) => {
  void backend;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(genuineUrl());
  await page.waitForFunction(() => (window as unknown as Genuine).genuineCrm.initialized(), null, { timeout: 5000 });
  const start = Date.now();
  await page.waitForFunction(() => (window as unknown as Genuine).genuineCrm.events.some((e) => e.name === 'agent::init'), null, { timeout: 1000 });
  expect(Date.now() - start).toBeLessThan(1000);
  const view = await streamsView(page);
  expect(view.state).toBe('Available');
  expect(view.routingProfile).toBe('Basic Routing Profile');
  expect(errors).toEqual([]);
});

test('done-when: a genuine CRM changes state, takes, holds, resumes, ends and clears a call, dials out and holds a master topic, beside connect-sync tabs',
  async ({ context, backend, openTabs }) => {
    const { ccp, ours, genuine, errors } = await openMixedPages(context, openTabs);
    const all = [genuine, ours, ccp];
    await startRecording(genuine);
    await startRecording(ours);

    expect(await streamsAction(genuine, 'setState', { name: 'Lunch' })).toBe('ok');
    await expectViews(all, (v) => v.state === 'Lunch', 'Lunch everywhere');
    expect(await streamsAction(genuine, 'setState', { name: 'Available' })).toBe('ok');
    await expectViews(all, (v) => v.state === 'Available', 'Available everywhere');

    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectViews(all, (v) => v.contacts.some((c) => c.id === contactId && c.state === 'connecting'), 'ringing everywhere');
    expect(await streamsAction(genuine, 'accept', { contactId })).toBe('ok');
    await expectViews(all, (v) => v.contacts.some((c) => c.state === 'connected'), 'connected everywhere');
    expect(await streamsAction(genuine, 'hold', { contactId })).toBe('ok');
    await expectViews(all, (v) => v.contacts[0]?.connections.some((k) => k.initial && k.onHold) ?? false, 'held');
    expect(await streamsAction(genuine, 'resume', { contactId })).toBe('ok');
    await expectViews(all, (v) => v.contacts[0]?.connections.some((k) => k.initial && !k.onHold && k.active) ?? false, 'resumed');
    expect(await streamsAction(genuine, 'hangup', { contactId })).toBe('ok');
    await expectViews(all, (v) => v.state === 'AfterCallWork' && v.contacts[0]?.state === 'ended', 'after-call work');
    expect(await streamsAction(genuine, 'clear', { contactId })).toBe('ok');
    await expectViews(all, (v) => v.state === 'Available' && v.contacts.length === 0, 'cleared');

    expect(await streamsAction(genuine, 'connect', { phoneNumber: '+12065550100' })).toBe('ok');
    await expectViews(all, (v) => v.contacts.length === 1 && v.contacts[0]!.state === 'connected' && !v.contacts[0]!.inbound, 'outbound connected');
    const outbound = (await streamsView(genuine)).contacts[0]!.id;
    expect(await streamsAction(genuine, 'hangup', { contactId: outbound })).toBe('ok');
    expect(await streamsAction(genuine, 'clear', { contactId: outbound })).toBe('ok');
    await expectViews(all, (v) => v.contacts.length === 0, 'outbound cleared');

    expect(await streamsAction(genuine, 'ifMaster', { topic: 'connect::sendLogs' })).toBe('master');
    expect(await streamsAction(ours, 'ifMaster', { topic: 'connect::sendLogs' })).toBe('not-master');
    expect(await streamsAction(ours, 'becomeMaster', { topic: 'connect::sendLogs' })).toBe('ok');
    expect(await streamsAction(genuine, 'ifMaster', { topic: 'connect::sendLogs' })).toBe('not-master');

    // Keep-alive: more than 10 s of synchronize/acknowledge without an ACK_TIMEOUT in the library's log.
    await genuine.waitForTimeout(11_000);
    expect(await genuine.evaluate(() => (window as unknown as Genuine).genuineCrm.ackTimeouts())).toEqual([]);
    expect(await genuine.evaluate(() => (window as unknown as Genuine).genuineCrm.initialized())).toBe(true);

    const g = await recorded(genuine);
    const o = await recorded(ours);
    // The same events in the same order (less the deliberate differences of `comparableNames`).
    expect(comparableNames(g.names, 'genuine')).toEqual(comparableNames(o.names, 'ours'));
    expect(g.names).toContain('contact::accepted');
    expect(g.stateChanges).toEqual(o.stateChanges);
    expect(errors).toEqual([]);
  });

test('a genuine CRM mutes and unmutes the customer (voiceConnection.muteParticipant): isMute() follows in its tab and a connect-sync tab',
  async ({ context, backend, openTabs }) => {
    const { ours, genuine, errors } = await openMixedPages(context, openTabs);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectViews([genuine, ours], (v) => v.contacts.some((c) => c.id === contactId && c.state === 'connecting'), 'ringing');
    expect(await streamsAction(genuine, 'accept', { contactId })).toBe('ok');
    await expectViews([genuine, ours], (v) => v.contacts.some((c) => c.state === 'connected'), 'connected');
    expect(await initialIsMute(genuine, contactId)).toBe(false);

    expect(await streamsAction(genuine, 'muteParticipant', { contactId })).toBe('ok');
    await expect.poll(() => initialIsMute(genuine, contactId), { message: 'genuine tab: muted' }).toBe(true);
    await expect.poll(() => initialIsMute(ours, contactId), { message: 'connect-sync tab: muted' }).toBe(true);

    expect(await streamsAction(genuine, 'unmuteParticipant', { contactId })).toBe('ok');
    await expect.poll(() => initialIsMute(genuine, contactId), { message: 'genuine tab: unmuted' }).toBe(false);
    await expect.poll(() => initialIsMute(ours, contactId), { message: 'connect-sync tab: unmuted' }).toBe(false);
    expect(errors).toEqual([]);
  });

test('a genuine-library CRM on a non-approved origin gets nothing from the CCP', async ({ page, backend, baseURL }) => {
  void backend; // logged in: the CCP would have an agent to tell about
  const html = `<!doctype html><div id="c"></div><script src="${CRM_ORIGIN}/vendor/amazon-connect-streams.js"></script>
    <script>window.__messages = []; window.__events = [];
    addEventListener('message', (e) => window.__messages.push(e.data));
    connect.core.initCCP(document.getElementById('c'), { ccpUrl: '${baseURL}/ccp', loginPopup: false });
    connect.core.getEventBus().subscribeAll((d, n) => window.__events.push(n));</script>`;
  const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => !!(window as unknown as { connect?: unknown }).connect);
    // Past the library's 5 s load timeout: no acknowledge came, so it never initialised.
    await page.waitForTimeout(6000);
    const got = await page.evaluate(() => {
      const w = window as unknown as { __messages: unknown[]; __events: string[]; connect: { core: { initialized?: boolean } } };
      return { conduit: w.__messages.filter((m) => !!m && typeof m === 'object' && 'event' in m), events: w.__events, initialized: !!w.connect.core.initialized };
    });
    expect(got.conduit).toEqual([]);
    expect(got.initialized).toBe(false);
    expect(got.events.filter((n) => /^(agent|contact)::/.test(n))).toEqual([]);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('mixed pages share one engine: mute, contact::accepted, master topics and logout cross between genuine and connect-sync tabs',
  async ({ context, backend, openTabs }) => {
    const { ccp, ours, genuine } = await openMixedPages(context, openTabs);
    const second = await openGenuine(context);
    const pages = [genuine, second, ours, ccp];
    await Promise.all(pages.map((p) => p.evaluate(() => {
      const w = window as unknown as { __cross: string[]; connect: { core: { getEventBus(): { subscribeAll(f: (d: unknown, n: string) => void): void } } } };
      w.__cross = [];
      w.connect.core.getEventBus().subscribeAll((d, n) => {
        if (n === 'agent::mute_toggle') w.__cross.push(`${n}:${(d as { muted: boolean }).muted}`);
        if (n === 'contact::accepted' || n === 'terminated') w.__cross.push(n);
      });
    })));
    const cross = (p: Page) => p.evaluate(() => (window as unknown as { __cross: string[] }).__cross);

    // Mute from a genuine tab: every tab (genuine and ours) hears the toggle; unmute from one of ours: the same.
    expect(await streamsAction(genuine, 'mute')).toBe('ok');
    for (const p of pages) await expect.poll(() => cross(p)).toContain('agent::mute_toggle:true');
    expect(await streamsAction(ours, 'unmute')).toBe('ok');
    for (const p of pages) await expect.poll(() => cross(p)).toContain('agent::mute_toggle:false');

    // Accept from our CCP tab: the genuine tabs raise contact::accepted (it travels only as a broadcast).
    const first = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectViews(pages, (v) => v.contacts.some((c) => c.id === first), 'ringing everywhere');
    expect(await streamsAction(ccp, 'accept', { contactId: first })).toBe('ok');
    for (const p of pages) await expect.poll(() => cross(p)).toContain('contact::accepted');
    expect(await streamsAction(genuine, 'hangup', { contactId: first })).toBe('ok');
    expect(await streamsAction(second, 'clear', { contactId: first })).toBe('ok');
    await expectViews(pages, (v) => v.contacts.length === 0 && v.state === 'Available', 'cleared everywhere');

    // Master topics are one set for all tabs: a genuine tab takes one over from ours and back.
    expect(await streamsAction(ours, 'ifMaster', { topic: 'connect::metrics' })).toBe('master');
    expect(await streamsAction(second, 'becomeMaster', { topic: 'connect::metrics' })).toBe('ok');
    expect(await streamsAction(ours, 'ifMaster', { topic: 'connect::metrics' })).toBe('not-master');
    expect(await streamsAction(genuine, 'ifMaster', { topic: 'connect::metrics' })).toBe('not-master');
    expect(await streamsAction(second, 'ifMaster', { topic: 'connect::metrics' })).toBe('master');

    // Logout from our CCP tab: the genuine tabs hear `terminated`.
    await ccp.evaluate(() => window.connect.core.logout());
    for (const p of [genuine, second, ours]) await expect.poll(() => cross(p)).toContain('terminated');
  });

test('cross-site: a genuine CRM on localhost embedding the CCP of 127.0.0.1 is acknowledged, signs in through the frame\'s popup and gets the agent',
  async ({ context, backend }) => {
    const popups: Page[] = [];
    context.on('page', (p) => { popups.push(p); });
    const page = await context.newPage();
    await page.goto(genuineUrl('loginPopup=0', `http://localhost:${new URL(CRM_ORIGIN).port}`));
    // Acknowledged within the library's 5 s load timeout although the frame is third-party (no cookies, no locks).
    await page.waitForFunction(() => (window as unknown as Genuine).genuineCrm.initialized(), null, { timeout: 5000 });
    // No session reaches a third-party frame: the frame's own login popup (first-party) signs the agent in.
    await expect.poll(() => popups.filter((p) => p !== page).length, { message: 'a login popup opens' }).toBe(1);
    const popup = popups.find((p) => p !== page)!;
    await popup.waitForLoadState();
    expect(new URL(popup.url()).origin).toBe(backend.baseURL);
    await popup.locator('#username').fill('agent1');
    await popup.locator('#password').fill('connect');
    await popup.locator('button[type=submit]').click();
    await page.waitForFunction(() => (window as unknown as Genuine).genuineCrm.events.some((e) => e.name === 'agent::init'), null, { timeout: 20_000 });
    expect((await streamsView(page)).state).toBe('Available');
    const frame = page.frames().find((f) => f.url().startsWith(`${backend.baseURL}/ccp`))!;
    // The genuine library takes no locks for the frame: the frame runs its own engine (see the README's limits).
    expect(await frame.evaluate(() => window.connect.core.getTransportKind())).toBe('in-page');
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectViews([page], (v) => v.contacts.some((c) => c.id === contactId && c.state === 'connecting'), 'the call rings');
    expect(await streamsAction(page, 'accept', { contactId })).toBe('ok');
    await expectViews([page], (v) => v.contacts[0]?.state === 'connected', 'connected');
    expect(await page.evaluate(() => (window as unknown as Genuine).genuineCrm.ackTimeouts())).toEqual([]);
  });

test('a genuine CRM is a crm tab: it cannot take connect::ringtone, and a broadcast it may not make reaches only its own page',
  async ({ context, backend, openTabs }) => {
    void backend;
    const [ccp] = await openTabs(1);
    const genuine = await openGenuine(context);
    expect(await streamsAction(genuine, 'ifMaster', { topic: 'connect::ringtone' })).toBe('not-master');
    // The refusal travels as master_response.err (the library's own becomeMaster has no failure path and calls
    // success on any answer; its master client shows the error); the topic stays with the CCP.
    const refused = await genuine.evaluate(() => new Promise<string>((resolve) => {
      const c = (window as unknown as { connect: { core: { getMasterClient(): { call(m: string, p: unknown, cb: unknown): void } } } }).connect;
      c.core.getMasterClient().call('becomeMaster', { topic: 'connect::ringtone' }, {
        success: () => resolve('ok'), failure: (err: string) => resolve(String(JSON.parse(err).type)),
      });
    }));
    expect(refused).toBe('ForbiddenError');
    expect(await streamsAction(genuine, 'ifMaster', { topic: 'connect::ringtone' })).toBe('not-master');
    expect(await streamsAction(ccp!, 'ifMaster', { topic: 'connect::ringtone' })).toBe('master');
    await ccp!.evaluate(() => {
      const w = window as unknown as { __seen: string[] };
      w.__seen = [];
      window.connect.core.getEventBus().subscribe('contact::screen_sharing_started', () => w.__seen.push('seen'));
    });
    await genuine.evaluate(() => {
      const w = window as unknown as { __seen: string[]; connect: { core: { getEventBus(): { subscribe(n: string, f: () => void): void }; getUpstream(): { sendUpstream(e: string, d: unknown): void } } } };
      w.__seen = [];
      w.connect.core.getEventBus().subscribe('contact::screen_sharing_started', () => w.__seen.push('seen'));
      w.connect.core.getUpstream().sendUpstream('broadcast', { event: 'contact::screen_sharing_started', data: { contactId: 'x' } });
    });
    await expect.poll(() => genuine.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).toEqual(['seen']);
    await ccp!.waitForTimeout(1000);
    expect(await ccp!.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).toEqual([]);
  });
