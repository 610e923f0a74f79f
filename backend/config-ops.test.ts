import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../testing/backend/test-kit';

/** Follows `nextToken` like the engine does, collecting `key` from every page. */
async function allPages(h: Harness, op: string, key: string, extra: Record<string, unknown> = {}): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const res = await h.cti(op, { ...extra, maxResults: 2, ...(nextToken ? { nextToken } : {}) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body[key].length <= 2, 'maxResults is honoured');
    items.push(...res.body[key]);
    nextToken = res.body.nextToken;
    pages++;
  } while (nextToken);
  return { items, pages };
}

describe('configuration operations', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('GetAgentConfiguration returns S1h with the routing profile and channel concurrency', async () => {
    const res = await h.cti('GetAgentConfiguration', {});
    assert.equal(res.status, 200);
    const c = res.body.configuration;
    assert.equal(c.username, 'agent1');
    assert.equal(c.softphoneEnabled, true);
    assert.equal(c.extension, '');
    assert.match(c.routingProfile.routingProfileARN, /^arn:aws:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}\/routing-profile\//);
    assert.deepEqual(c.routingProfile.channelConcurrencyMap, { VOICE: 1, CHAT: 3, TASK: 10 });
    assert.ok(c.routingProfile.defaultOutboundQueue.queueARN);
  });

  test('the four lists really paginate with maxResults 2', async () => {
    const states = await allPages(h, 'GetAgentStates', 'states');
    assert.ok(states.pages >= 3);
    const names = states.items.map((s) => s.name);
    for (const n of ['Available', 'Offline', 'Lunch', 'Training']) assert.ok(names.includes(n), n);
    assert.equal(states.items.find((s) => s.name === 'Available').type, 'routable');
    assert.equal(states.items.find((s) => s.name === 'Offline').type, 'offline');
    assert.equal(states.items.find((s) => s.name === 'Lunch').type, 'not_routable');
    assert.ok(states.items.every((s) => typeof s.agentStateARN === 'string'));

    const countries = await allPages(h, 'GetDialableCountryCodes', 'countryCodes');
    assert.ok(countries.items.includes('us') && countries.items.includes('gb'));
    assert.ok(countries.pages > 2);

    const permissions = await allPages(h, 'GetAgentPermissions', 'permissions');
    assert.ok(permissions.items.includes('outboundCall'));

    const arn = (await h.cti('GetAgentConfiguration', {})).body.configuration.routingProfile.routingProfileARN;
    const queues = await allPages(h, 'GetRoutingProfileQueues', 'queues', { routingProfileARN: arn });
    assert.deepEqual(queues.items.map((q) => q.name), ['BasicQueue', 'Sales', 'Support']);
    assert.equal(queues.pages, 2);
  });

  test('a nextToken from another list or made up → PaginationException', async () => {
    const page = await h.cti('GetAgentStates', { maxResults: 2 });
    const wrongList = await h.cti('GetDialableCountryCodes', { nextToken: page.body.nextToken });
    assert.equal(wrongList.status, 400);
    assert.equal(wrongList.body.__type, 'PaginationException');
    const madeUp = await h.cti('GetAgentPermissions', { nextToken: 'garbage' });
    assert.equal(madeUp.body.__type, 'PaginationException');
  });

  test('GetRoutingProfileQueues: another routing profile → error; missing ARN → validation', async () => {
    const other = await h.cti('GetRoutingProfileQueues', { routingProfileARN: 'arn:other' });
    assert.equal(other.status, 400);
    assert.equal(other.body.__type, 'ResourceNotFoundException');
    const missing = await h.cti('GetRoutingProfileQueues', {});
    assert.match(missing.body.message, /routingProfileARN is required/);
  });

  test('GetEndpoints pages through phone numbers, agents and queues', async () => {
    const arn = (await h.cti('GetRoutingProfileQueues', { routingProfileARN:
      (await h.cti('GetAgentConfiguration', {})).body.configuration.routingProfile.routingProfileARN })).body.queues[0].queueARN;
    const { items } = await allPages(h, 'GetEndpoints', 'endpoints', { queueARNs: [arn] });
    const types = new Set(items.map((e) => e.type));
    assert.deepEqual([...types].sort(), ['agent', 'phone_number', 'queue']);
    assert.ok(items.every((e) => e.endpointARN && e.name));
    assert.ok(items.some((e) => e.type === 'agent' && e.agentLogin === 'agent2'));
    const unknownQueues = await h.cti('GetEndpoints', { queueARNs: ['arn:nope'] });
    assert.deepEqual(unknownQueues.body.endpoints, []);
    const missing = await h.cti('GetEndpoints', {});
    assert.match(missing.body.message, /queueARNs is required/);
  });

  test('UpdateAgentConfiguration really updates, and refuses bad values', async () => {
    const config = (await h.cti('GetAgentConfiguration', {}, { as: 'agent2' })).body.configuration;
    const update = { ...config, softphoneEnabled: false, extension: '+14255550123', agentPreferences: { locale: 'de_DE' } };
    const res = await h.cti('UpdateAgentConfiguration', { configuration: update }, { as: 'agent2' });
    assert.equal(res.status, 200);
    const after = (await h.cti('GetAgentConfiguration', {}, { as: 'agent2' })).body.configuration;
    assert.equal(after.softphoneEnabled, false);
    assert.equal(after.extension, '+14255550123');
    assert.equal(after.agentPreferences.locale, 'de_DE');

    const badExtension = await h.cti('UpdateAgentConfiguration', { configuration: { ...update, extension: '555-1234' } }, { as: 'agent2' });
    assert.equal(badExtension.status, 400);
    assert.equal(badExtension.body.__type, 'InvalidConfigurationException');
    const deskWithoutNumber = await h.cti('UpdateAgentConfiguration', { configuration: { ...update, extension: '' } }, { as: 'agent2' });
    assert.match(deskWithoutNumber.body.message, /extension is required/);
    const otherProfile = await h.cti('UpdateAgentConfiguration',
      { configuration: { ...update, routingProfile: { routingProfileARN: 'arn:x' } } }, { as: 'agent2' });
    assert.equal(otherProfile.body.__type, 'InvalidConfigurationException');
    assert.equal((await h.cti('GetAgentConfiguration', {}, { as: 'agent2' })).body.configuration.extension, '+14255550123',
      'refused updates change nothing');
  });

  test('CreateTransport answers each transport type; an unknown type is refused', async () => {
    const ws = await h.cti('CreateTransport', { transportType: 'web_socket' });
    assert.match(ws.body.webSocketTransport.url, /^wss?:\/\//);
    assert.ok(ws.body.webSocketTransport.transportLifeTimeInSeconds >= 300);
    const chat = await h.cti('CreateTransport', { transportType: 'chat_token', participantId: 'p1' });
    assert.equal(typeof chat.body.chatTokenTransport.participantToken, 'string');
    assert.ok(!Number.isNaN(Date.parse(chat.body.chatTokenTransport.expiry)));
    const phone = await h.cti('CreateTransport', { transportType: 'softphone', softphoneClientId: 'c1' });
    assert.ok(phone.body.softphoneTransport.softphoneMediaConnections[0].urls.length > 0);
    const bad = await h.cti('CreateTransport', { transportType: 'pigeon' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /transportType must be one of/);
  });

  test('GetNewAuthToken trades a refresh token once', async () => {
    const login = await h.control('POST', '/sim/login', { username: 'agent3' });
    const { token, refreshToken } = login.body;
    const res = await h.cti('GetNewAuthToken', { refreshToken }, { token });
    assert.equal(res.status, 200);
    assert.notEqual(res.body.newAuthToken, token);
    assert.ok(res.body.expirationDateTime > Date.now() / 1000);
    const works = await h.cti('GetAgentConfiguration', {}, { token: res.body.newAuthToken });
    assert.equal(works.body.configuration.username, 'agent3');
    const spent = await h.cti('GetNewAuthToken', { refreshToken }, { token });
    assert.equal(spent.status, 400);
    assert.equal(spent.body.__type, 'RefreshTokenExpiredException');
  });

  test('telemetry is accepted and counted; malformed telemetry is refused', async () => {
    const logs = await h.cti('SendClientLogs', { logEvents: [
      { timestamp: Date.now() / 1000, component: 'ccp', message: 'one' },
      { timestamp: Date.now() / 1000, component: 'ccp', message: 'two' }] });
    assert.equal(logs.status, 200);
    assert.equal((await h.cti('SendSoftphoneCallMetrics', { contactId: 'c', softphoneStreamStatistics: [] })).status, 200);
    assert.equal((await h.cti('SendSoftphoneCallReport', { contactId: 'c', report: { talkTimeMillis: 5 } })).status, 200);
    assert.equal((await h.cti('NotifyContactIssue', { contactId: 'c', issueCode: 'no-audio' })).status, 200);
    const stats = (await h.control('GET', '/sim/stats')).body;
    assert.deepEqual(stats.telemetry.agent1, { clientLogEvents: 2, softphoneMetrics: 1, softphoneReports: 1, contactIssues: 1 });
    assert.equal((await h.cti('SendClientLogs', {})).status, 400);
    assert.match((await h.cti('SendSoftphoneCallMetrics', { contactId: 'c' })).body.message, /softphoneStreamStatistics/);
    assert.match((await h.cti('SendSoftphoneCallReport', { contactId: 'c', report: 1 })).body.message, /report/);
    assert.match((await h.cti('NotifyContactIssue', {})).body.message, /contactId/);
  });
});
