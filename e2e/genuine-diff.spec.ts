/**
 * Differential suite (issue #14): the same scenarios seen by a tab on the genuine amazon-connect-streams 2.28.2
 * release (the genuine CRM page, embedding our CCP) and by a connect-sync CRM tab of the same browser. Both must
 * raise the same Streams events in the same order and read the same values through the getters a CRM uses; the only
 * differences allowed are the deliberate ones of `comparableNames` (listed in the README's API table).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, waitForAgent } from './fixtures';
import { crmUrl } from './api-helpers';
import {
  comparableNames, openGenuine, recorded, startRecording, streamsAction, streamsView, type StreamsView,
} from './genuine-helpers';

/** Durations are read a few ms apart in two pages; allow this much (and any skew rounding) between them. */
const DURATION_TOLERANCE_MS = 1500;

interface Pair { genuine: Page; ours: Page; both: Page[] }

async function openPair(context: BrowserContext): Promise<Pair> {
  const ours = await context.newPage();
  await ours.goto(crmUrl);
  await waitForAgent(ours);
  const genuine = await openGenuine(context);
  await startRecording(genuine);
  await startRecording(ours);
  return { genuine, ours, both: [genuine, ours] };
}

async function until(pages: Page[], check: (v: StreamsView) => boolean, what: string): Promise<void> {
  await expect.poll(async () => {
    const views = await Promise.all(pages.map(streamsView));
    return views.every(check) ? 'ok' : JSON.stringify(views.map((v) => [v.state, v.nextState, v.contacts.map((c) => [c.type, c.state, c.connections.map((k) => `${k.type}:${k.state}`)])]));
  }, { message: what }).toBe('ok');
}

/** The getters of both tabs agree (durations within the tolerance). */
async function expectSameView(pair: Pair): Promise<void> {
  const [g, o] = await Promise.all([streamsView(pair.genuine), streamsView(pair.ours)]);
  const strip = (v: StreamsView) => ({ ...v, stateDurationMs: 0, contacts: v.contacts.map((c) => ({ ...c, durationMs: 0 })) });
  expect(strip(g)).toEqual(strip(o));
  expect(Math.abs(g.stateDurationMs - o.stateDurationMs)).toBeLessThan(DURATION_TOLERANCE_MS);
  g.contacts.forEach((c, i) => expect(Math.abs(c.durationMs - o.contacts[i]!.durationMs)).toBeLessThan(DURATION_TOLERANCE_MS));
}

/** Both tabs raised the same events in the same order (they may arrive a little apart: wait for agreement). */
async function expectSameEvents(pair: Pair, mustInclude: string[] = []): Promise<void> {
  await expect.poll(async () => {
    const [g, o] = await Promise.all([recorded(pair.genuine), recorded(pair.ours)]);
    return JSON.stringify(comparableNames(g.names, 'genuine')) === JSON.stringify(comparableNames(o.names, 'ours'))
      && JSON.stringify(g.stateChanges) === JSON.stringify(o.stateChanges);
  }, { message: 'both libraries raised the same events' }).toBe(true).catch(() => undefined); // the diff follows
  const [g, o] = await Promise.all([recorded(pair.genuine), recorded(pair.ours)]);
  expect(comparableNames(g.names, 'genuine')).toEqual(comparableNames(o.names, 'ours'));
  expect(g.stateChanges).toEqual(o.stateChanges);
  for (const name of mustInclude) expect(g.names).toContain(name);
}

test.describe('genuine library vs connect-sync, one browser', () => {
  test('agent state changes', async ({ context, backend }) => {
    void backend;
    const pair = await openPair(context);
    expect(await streamsAction(pair.genuine, 'setState', { name: 'Lunch' })).toBe('ok');
    await until(pair.both, (v) => v.state === 'Lunch', 'Lunch');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'setState', { name: 'Break' })).toBe('ok');
    await until(pair.both, (v) => v.state === 'Break', 'Break');
    expect(await streamsAction(pair.genuine, 'setState', { name: 'Offline' })).toBe('ok');
    await until(pair.both, (v) => v.state === 'Offline' && v.stateType === 'offline', 'Offline');
    expect(await streamsAction(pair.genuine, 'setState', { name: 'Available' })).toBe('ok');
    await until(pair.both, (v) => v.state === 'Available', 'Available');
    await expectSameView(pair);
    await expectSameEvents(pair, ['agent::not_routable', 'agent::offline', 'agent::routable', 'agent::state_change']);
  });

  test('next state during a call (enqueueNextState), then after-call work and the queued state', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await until(pair.both, (v) => v.contacts.length === 1, 'ringing');
    expect(await streamsAction(pair.ours, 'accept', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'connected');
    expect(await streamsAction(pair.genuine, 'setState', { name: 'Lunch', enqueue: true })).toBe('ok');
    await until(pair.both, (v) => v.nextState === 'Lunch' && v.state === 'Available', 'Lunch queued');
    await expectSameView(pair);
    expect(await streamsAction(pair.genuine, 'hangup', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.state === 'AfterCallWork', 'ACW');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.state === 'Lunch' && v.nextState === null && v.contacts.length === 0, 'Lunch after the call');
    await expectSameView(pair);
    await expectSameEvents(pair, ['agent::enqueued_next_state', 'agent::acw', 'contact::destroyed']);
  });

  test('inbound voice: accepted, held, resumed, ended by the customer, cleared', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice', attributes: { customerName: 'Ada' } });
    await until(pair.both, (v) => v.contacts[0]?.state === 'connecting', 'ringing');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'accept', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'connected');
    expect(await streamsAction(pair.genuine, 'hold', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.connections.some((k) => k.initial && k.onHold) ?? false, 'held');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'resume', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.connections.some((k) => k.initial && k.state === 'connected') ?? false, 'resumed');
    expect(await streamsAction(pair.genuine, 'sendDigits', { contactId, digits: '12#' })).toBe('ok');
    await backend.hangup(contactId);
    await until(pair.both, (v) => v.contacts[0]?.state === 'ended', 'ended');
    await expectSameView(pair);
    expect(await streamsAction(pair.genuine, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'cleared');
    await expectSameEvents(pair, ['contact::accepted', 'contact::connected', 'contact::ended', 'contact::destroyed']);
  });

  test('a missed call', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await until(pair.both, (v) => v.contacts[0]?.state === 'connecting', 'ringing');
    // RING_TIMEOUT_MS of the e2e server (20 s): nobody answers.
    await expect.poll(async () => (await streamsView(pair.genuine)).state, { timeout: 40_000 }).toBe('MissedCallAgent');
    await until(pair.both, (v) => v.state === 'MissedCallAgent', 'missed');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0 && v.state === 'Available', 'cleared');
    await expectSameEvents(pair, ['contact::missed', 'agent::error']);
  });

  test('a rejected call', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await until(pair.both, (v) => v.contacts[0]?.state === 'connecting', 'ringing');
    expect(await streamsAction(pair.genuine, 'reject', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'rejected');
    await expectSameView(pair);
    await expectSameEvents(pair, ['contact::destroyed']);
  });

  test('an outbound call', async ({ context, backend }) => {
    void backend;
    const pair = await openPair(context);
    expect(await streamsAction(pair.ours, 'connect', { phoneNumber: '+12065550123' })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'answered');
    await expectSameView(pair);
    const contactId = (await streamsView(pair.genuine)).contacts[0]!.id;
    expect(await streamsAction(pair.genuine, 'hangup', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'ended', 'ended');
    expect(await streamsAction(pair.genuine, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'cleared');
    await expectSameEvents(pair, ['contact::connecting', 'contact::connected', 'contact::destroyed']);
  });

  test('transfer and conference through a quick connect and a phone number', async ({ context, backend }) => {
    const pair = await openPair(context);
    expect(await streamsAction(pair.genuine, 'getEndpoints')).toBe(await streamsAction(pair.ours, 'getEndpoints'));
    const contactId = await backend.inbound({ username: 'agent1', type: 'voice' });
    await until(pair.both, (v) => v.contacts.length === 1, 'ringing');
    expect(await streamsAction(pair.genuine, 'accept', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'connected');
    expect(await streamsAction(pair.genuine, 'addConnection', { contactId, phoneNumber: '+12065550199' })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.connections.some((k) => k.type === 'outbound' && k.state === 'connected') ?? false, 'third party answered');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'toggle', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.connections.some((k) => k.type === 'outbound' && k.state === 'hold') ?? false, 'toggled');
    expect(await streamsAction(pair.genuine, 'conference', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.connections.filter((k) => k.type !== 'agent').every((k) => k.state === 'connected') ?? false, 'conferenced');
    await expectSameView(pair);
    expect(await streamsAction(pair.genuine, 'destroyThirdParty', { contactId })).toBe('ok');
    await until(pair.both, (v) => !(v.contacts[0]?.connections.some((k) => k.type === 'outbound' && k.state === 'connected') ?? true), 'third party gone');
    expect(await streamsAction(pair.genuine, 'hangup', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'ended', 'ended');
    expect(await streamsAction(pair.genuine, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'cleared');
    await expectSameEvents(pair, ['contact::refresh', 'contact::destroyed']);
  });

  test('a chat with messages', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'chat' });
    await until(pair.both, (v) => v.contacts[0]?.type === 'chat', 'chat offered');
    expect(await streamsAction(pair.genuine, 'accept', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'chat connected');
    await backend.message(contactId, 'Hello there');
    await backend.message(contactId, 'Are you there?');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'hangup', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'ended', 'chat ended');
    expect(await streamsAction(pair.genuine, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'cleared');
    await expectSameEvents(pair, ['contact::connected', 'contact::destroyed']);
  });

  test('mute and unmute', async ({ context, backend }) => {
    void backend;
    const pair = await openPair(context);
    expect(await streamsAction(pair.genuine, 'mute')).toBe('ok');
    expect(await streamsAction(pair.ours, 'unmute')).toBe('ok');
    await expectSameEvents(pair, ['agent::mute_toggle']);
  });

  test('a queue callback', async ({ context, backend }) => {
    const pair = await openPair(context);
    const contactId = await backend.inbound({ username: 'agent1', type: 'queue_callback' });
    await until(pair.both, (v) => v.contacts[0]?.type === 'queue_callback', 'callback offered');
    await expectSameView(pair);
    expect(await streamsAction(pair.ours, 'accept', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'connected', 'customer called back');
    await expectSameView(pair);
    expect(await streamsAction(pair.genuine, 'hangup', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts[0]?.state === 'ended', 'ended');
    expect(await streamsAction(pair.genuine, 'clear', { contactId })).toBe('ok');
    await until(pair.both, (v) => v.contacts.length === 0, 'cleared');
    await expectSameEvents(pair, ['contact::incoming', 'contact::destroyed']);
  });
});
