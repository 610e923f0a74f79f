/**
 * The `connect` API in a real browser against the real backend: three tabs of a CRM on another origin that embeds the
 * CCP with `initCCP`, plus two standalone CCP tabs, all driven through the public API only.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForAgent } from './fixtures';
import {
  act, backendContact, crmUrl, expectContactEverywhere, LOG_EVENT, openFive, record, recording, ringingElements, type Recording,
} from './api-helpers';

test.describe('the connect API across five tabs (three CRM tabs embedding the CCP, two CCP tabs)', () => {
  test('an inbound call: the same events in the same order everywhere; accept, hold/resume, conference, digits, issue, hang-up → ACW → clear', async ({ context, backend, openTabs }) => {
    const { crms, ccps, all } = await openFive(context, openTabs);
    await record(all);

    const contactId = await backend.inbound({ username: 'agent1', type: 'voice', attributes: { customerName: 'Ada Lovelace' } });
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => r.contacts.join(',')))
      .toEqual(all.map(() => contactId));
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('connecting'), 'every tab sees the call ringing');

    // Accept in a CRM tab: every tab sees contact::accepted and the contact connected.
    await act(crms[0]!, contactId, 'contact', 'accept');
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('connected'), 'connected everywhere');
    await expect.poll(async () => (await Promise.all(all.map(recording))).every((r) => r.streams.includes(`contact::accepted::${contactId}`))).toBe(true);

    // Hold and resume the customer from two other tabs.
    await act(ccps[0]!, contactId, 'initial', 'hold');
    await expectContactEverywhere(all, contactId, (v) => v.includes('inbound:hold'), 'customer on hold everywhere');
    expect((await backendContact(backend, contactId))!.connections.find((c) => c.type === 'inbound')!.state.type).toBe('hold');
    await act(crms[2]!, contactId, 'initial', 'resume');
    await expectContactEverywhere(all, contactId, (v) => v.includes('inbound:connected'), 'customer back everywhere');

    // DTMF and an issue report go to the backend and succeed.
    await act(ccps[1]!, contactId, 'agent-connection', 'sendDigits', ['123#']);
    await act(crms[1]!, contactId, 'contact', 'notifyIssue', ['audio', 'customer hears an echo']);

    // Conference: add a phone number, toggle between the parties, then everyone together.
    await act(crms[1]!, contactId, 'contact', 'addConnection', [{ type: 'phone_number', phoneNumber: '+12065550199' }]);
    await expectContactEverywhere(all, contactId, (v) => v.includes('inbound:hold') && v.includes('outbound:connected'), 'third party answered');
    await act(ccps[0]!, contactId, 'contact', 'toggleActiveConnections');
    await expectContactEverywhere(all, contactId, (v) => v.includes('inbound:connected') && v.includes('outbound:hold'), 'toggled');
    await act(crms[0]!, contactId, 'contact', 'conferenceConnections');
    await expectContactEverywhere(all, contactId, (v) => v.includes('inbound:connected') && v.includes('outbound:connected'), 'conferenced');
    const truth = await backendContact(backend, contactId);
    expect(truth!.connections.filter((c) => c.type !== 'agent').map((c) => c.state.type)).toEqual(['connected', 'connected']);

    // The customer hangs up; the third party leaves; the contact ends into ACW; a tab clears it.
    await act(ccps[1]!, contactId, 'third-party', 'destroy');
    await expectContactEverywhere(all, contactId, (v) => !v.includes('outbound:connected'), 'third party gone');
    await backend.hangup(contactId);
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('ended'), 'ACW everywhere');
    await act(crms[2]!, contactId, 'contact', 'clear');
    await expectContactEverywhere(all, contactId, (v) => v === 'gone', 'cleared everywhere');

    // Every tab raised the same agent and contact events, in the same order.
    const recs = await Promise.all(all.map(recording));
    const [first] = recs;
    for (const [i, r] of recs.entries()) expect(r.streams, `tab ${i}`).toEqual(first!.streams);
    const ofContact = first!.streams.filter((e) => e.endsWith(`::${contactId}`)).map((e) => e.slice(0, -contactId.length - 2));
    for (const e of ['contact::connecting', 'contact::accepted', 'contact::connected', 'contact::acw', 'contact::ended', 'contact::destroyed']) {
      expect(ofContact).toContain(e);
    }
    expect(ofContact.filter((e) => e === 'contact::ended')).toHaveLength(1);
    expect(ofContact.indexOf('contact::connecting')).toBeLessThan(ofContact.indexOf('contact::connected'));
    expect(ofContact.indexOf('contact::acw')).toBeLessThan(ofContact.indexOf('contact::destroyed'));
  });

  test('setState in one tab gives the same onStateChange in all five; the backend agrees', async ({ context, backend, openTabs }) => {
    const { crms, all } = await openFive(context, openTabs);
    await record(all);
    await crms[1]!.evaluate(() => new Promise<void>((resolve, reject) => {
      const agent = new window.connect.Agent();
      const offline = agent.getAgentStates().find((s) => s.type === window.connect.AgentStateType.OFFLINE)!;
      agent.setState(offline, { success: () => resolve(), failure: (e) => reject(new Error(e.message)) });
    }));
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => JSON.stringify(r.data['agent::state_change'] ?? [])))
      .toEqual(all.map(() => JSON.stringify([{ oldState: 'Available', newState: 'Offline' }])));
    expect((await backend.agent('agent1')).state.name).toBe('Offline');
    const recs = await Promise.all(all.map(recording));
    for (const r of recs) expect(r.streams).toEqual(recs[0]!.streams);
    expect(recs[0]!.streams).toEqual(expect.arrayContaining(['agent::refresh', 'agent::state_change', 'agent::offline']));
  });

  test('transfer to another agent: agent2 gets the contact, agent1 ends in ACW everywhere; destroy() ends a call', async ({ context, backend, openTabs }) => {
    const { crms, ccps, all } = await openFive(context, openTabs);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('connecting'), 'ringing');
    await act(ccps[0]!, contactId, 'contact', 'accept');
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('connected'), 'connected');

    // The agent2 quick connect, as the API lists it.
    const agent2 = await crms[0]!.evaluate(() => new Promise<unknown>((resolve, reject) => {
      const agent = new window.connect.Agent();
      agent.getEndpoints(agent.getAllQueueARNs(), {
        success: ({ endpoints }) => resolve(endpoints.find((e) => e.type === window.connect.EndpointType.AGENT && JSON.stringify(e).includes('agent2'))),
        failure: (e) => reject(new Error(e.message)),
      });
    }));
    expect(agent2).toBeTruthy();
    await act(crms[0]!, contactId, 'contact', 'addConnection', [agent2]);
    await expectContactEverywhere(all, contactId, (v) => v.includes('outbound:connected'), 'agent2 leg answered');
    await act(crms[2]!, contactId, 'contact', 'destroy');
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('ended'), 'agent1 in ACW');
    await expect.poll(async () => (await backend.agent('agent2')).contacts.map((c) => c.type)).toEqual(['voice']);
    const received = (await backend.agent('agent2')).contacts[0] as unknown as { initiationMethod?: string };
    expect(received.initiationMethod).toBe('transfer');

    // destroy() on a second, plain call hangs it up.
    await act(crms[1]!, contactId, 'contact', 'clear');
    await expectContactEverywhere(all, contactId, (v) => v === 'gone', 'cleared');
    const second = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectContactEverywhere(all, second, (v) => v.startsWith('connecting'), 'second call ringing');
    await act(crms[1]!, second, 'contact', 'accept');
    await expectContactEverywhere(all, second, (v) => v.startsWith('connected'), 'second call connected');
    await act(ccps[1]!, second, 'contact', 'destroy');
    await expectContactEverywhere(all, second, (v) => v.startsWith('ended'), 'second call ended');
    expect((await backendContact(backend, second))!.state.type).toBe('ended');
  });

  test('exactly one tab of the browser plays the ringtone, and it stops on accept', async ({ context, backend, openTabs }) => {
    const { crms, all } = await openFive(context, openTabs);
    await record(all);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await expectContactEverywhere(all, contactId, (v) => v.startsWith('connecting'), 'ringing');
    await expect.poll(async () => (await ringingElements(all)).length, { message: 'one ringing element' }).toBe(1);
    // Stays at exactly one (no second tab joins late) and it really plays.
    await crms[0]!.waitForTimeout(1500);
    const ringing = await ringingElements(all);
    expect(ringing).toHaveLength(1);
    expect(ringing[0]).toMatchObject({ paused: false, type: 'voice' });
    expect(new URL(ringing[0]!.url).pathname).toBe('/ccp');
    const started = (await Promise.all(all.map((p) => p.evaluate(() =>
      (window as unknown as { __rec: Recording }).__rec.data['ringtone::started']?.length ?? 0))));
    // The CRM pages never ring themselves (their CCP frame may); the standalone CCP tabs may.
    expect(started.slice(0, 3)).toEqual([0, 0, 0]);

    await act(crms[2]!, contactId, 'contact', 'accept');
    await expect.poll(async () => (await ringingElements(all)).length, { message: 'silent after accept' }).toBe(0);
  });

  test('mute in one tab: onMuteToggle in all five; a tab opened later knows', async ({ context, openTabs }) => {
    const { ccps, all } = await openFive(context, openTabs);
    await record(all);
    await ccps[0]!.evaluate(() => new window.connect.Agent().mute());
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => JSON.stringify(r.data['agent::mute_toggle'] ?? [])))
      .toEqual(all.map(() => JSON.stringify([{ muted: true }])));
    const late = await context.newPage();
    await late.goto(crmUrl);
    await waitForAgent(late);
    await expect.poll(() => late.evaluate(() => new window.connect.Agent().isMuted())).toBe(true);
    await all[1]!.evaluate(() => new window.connect.Agent().unmute());
    await expect.poll(() => late.evaluate(() => new window.connect.Agent().isMuted())).toBe(false);
  });

  test('logout: terminated is raised on every tab', async ({ context, openTabs }) => {
    const { crms, all } = await openFive(context, openTabs);
    await record(all);
    await crms[0]!.evaluate(() => window.connect.core.logout());
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => r.other.filter((e) => e === 'terminated').length))
      .toEqual(all.map(() => 1));
  });

  test('connect.getLog() merges the engine\'s and the other tabs\' entries (a CRM: the engine\'s and its own only); download() saves them as JSON', async ({ context, openTabs }) => {
    const { crms, ccps } = await openFive(context, openTabs);
    const ccpTabId = await ccps[0]!.evaluate(() => window.connect.core.getTabId());
    const crm = crms[0]!;
    const viewer = ccps[1]!;
    await record([viewer]);
    await ccps[0]!.evaluate(() => window.connect.getLog().warn('marker from the %s tab', 'ccp'));
    // EventType.LOG: the other tabs' and the engine's entries are published on this tab's bus.
    await expect.poll(async () => (await recording(viewer)).other.includes(LOG_EVENT)).toBe(true);
    await expect.poll(() => viewer.evaluate((id) => {
      const sources = new Set(window.connect.getLog().getLogs().map((e) => e.source));
      return sources.has('engine') && sources.has(id!) && sources.has(window.connect.core.getTabId()!);
    }, ccpTabId), { message: 'engine, other tab and own entries' }).toBe(true);
    await expect.poll(() => viewer.evaluate(() => window.connect.getLog().getLogs().some((e) => e.text === 'marker from the ccp tab'))).toBe(true);
    // A CRM (another origin, issue #12) gets the engine's entries and its own, never another tab's.
    await expect.poll(() => crm.evaluate(() => window.connect.getLog().getLogs().some((e) => e.source === 'engine'))).toBe(true);
    expect(await crm.evaluate((id) => window.connect.getLog().getLogs().filter((e) => e.source === id || e.text === 'marker from the ccp tab').length, ccpTabId)).toBe(0);
    const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.evaluate(() => { window.connect.getLog().download(); })]);
    expect(download.suggestedFilename()).toBe('agent-log.txt');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const entries = JSON.parse(await readFile(path, 'utf8')) as { source: string; text: string; level: string; time: number }[];
    expect(entries.some((e) => e.source === 'engine')).toBe(true);
    expect(entries.some((e) => e.text === 'marker from the ccp tab' && e.source === ccpTabId && e.level === 'WARN')).toBe(true);
    const times = entries.map((e) => e.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

test.describe('auth across tabs', () => {
  test('session expiry → one login popup in the whole browser → sign in → every tab resumes without reload', async ({ context, backend, openTabs }) => {
    const { crms, all } = await openFive(context, openTabs);
    await record(all);
    await Promise.all(all.map((p) => p.evaluate(() => { (window as unknown as { __loaded: boolean }).__loaded = true; })));
    const popups: Page[] = [];
    context.on('page', (p) => { popups.push(p); });

    await backend.expireSession('agent1');
    // Any call now meets the expired session; the engine pauses and tells every tab once.
    await crms[0]!.evaluate(() => new Promise<void>((resolve) => {
      const agent = new window.connect.Agent();
      const offline = agent.getAgentStates().find((s) => s.type === window.connect.AgentStateType.OFFLINE)!;
      agent.setState(offline, { success: () => resolve(), failure: () => resolve() });
    }));
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => r.other.filter((e) => e === 'auth_fail').length))
      .toEqual(all.map(() => 1));
    await expect.poll(() => popups.length, { message: 'a login popup opens' }).toBe(1);
    const popup = popups[0]!;
    await popup.waitForLoadState();
    expect(new URL(popup.url()).pathname).toBe('/login');
    expect(new URL(popup.url()).searchParams.get('popup')).toBe('1');
    await popup.locator('#username').fill('agent1');
    await popup.locator('#password').fill('connect');
    const signedIn = Date.now();
    await popup.locator('button[type=submit]').click();

    // Every tab hears that the popup handed the session over, and works again: a state change flows to all five.
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => r.other.includes('login_popup::signed_in')))
      .toEqual(all.map(() => true));
    // (The setState above met the expired session, so the agent is still Available.)
    await crms[1]!.evaluate(() => new Promise<void>((resolve, reject) => {
      const agent = new window.connect.Agent();
      const offline = agent.getAgentStates().find((s) => s.type === window.connect.AgentStateType.OFFLINE)!;
      agent.setState(offline, { success: () => resolve(), failure: (e) => reject(new Error(`${e.type}: ${e.message}`)) });
    }));
    await expect.poll(async () => (await Promise.all(all.map(recording))).map((r) => JSON.stringify(r.data['agent::state_change'] ?? [])))
      .toEqual(all.map(() => JSON.stringify([{ oldState: 'Available', newState: 'Offline' }])));
    // Faster than the engine's own 30 s cookie probe: the popup's token did it.
    expect(Date.now() - signedIn).toBeLessThan(20_000);
    // No tab reloaded, and still only one popup was ever opened.
    expect(await Promise.all(all.map((p) => p.evaluate(() => (window as unknown as { __loaded?: boolean }).__loaded === true)))).toEqual(all.map(() => true));
    expect(popups).toHaveLength(1);
    expect((await backend.agent('agent1')).state.name).toBe('Offline');
  });
});
