import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { connectionOfType, contactIn, startHarness, type Harness } from '../testing/backend/test-kit';

describe('voice calls: outbound, hold, DTMF, third parties, transfers', () => {
  let h: Harness;
  // Several tests read a leg's `connecting` state right after dialling: a 20 ms dial delay loses that race on a
  // loaded 2-core machine (seen while other suites ran), 400 ms does not and keeps the suite short.
  before(async () => { h = await startHarness({ dialDelayMs: 400 }); });
  after(() => h.close());
  beforeEach(async () => {
    await h.control('POST', '/sim/reset');
    for (const n of ['agent1', 'agent2']) await h.login(n);
  });

  /** An accepted inbound call on agent1; returns its id and customer leg. */
  async function liveCall(): Promise<{ id: string; customer: string; agentLeg: string }> {
    const id = await h.inbound({ from: '+442079460000' });
    await h.cti('AcceptContact', { contactId: id });
    const contact = contactIn(await h.truth(), id);
    return { id, customer: connectionOfType(contact, 'inbound').connectionId, agentLeg: connectionOfType(contact, 'agent').connectionId };
  }

  test('outbound: E.164 number → connecting, then connected when the customer answers', async () => {
    const res = await h.cti('CreateOutboundContact', { endpoint: { type: 'phone_number', phoneNumber: '+14155550123' } });
    assert.equal(res.status, 200);
    let truth = await h.truth();
    const contact = truth.contacts[0];
    assert.equal(contact.state.type, 'connecting');
    assert.equal(contact.initiationMethod, 'outbound');
    assert.equal(truth.agentAvailabilityState.state, 'CallingCustomer');
    const customer = connectionOfType(contact, 'outbound');
    assert.equal(customer.initial, true);
    assert.equal(customer.endpoint.phoneNumber, '+14155550123');
    truth = await h.waitFor((t) => t.contacts[0].state.type === 'connected');
    assert.equal(connectionOfType(truth.contacts[0], 'outbound').state.type, 'connected');
  });

  test('outbound: a quick connect by ARN works; bad numbers and busy agents are refused', async () => {
    const bad = await h.cti('CreateOutboundContact', { endpoint: { type: 'phone_number', phoneNumber: '4155550123' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.__type, 'BadEndpointException');
    const queueEndpoint = await h.cti('CreateOutboundContact', { endpoint: { type: 'queue', queue: { queueARN: 'arn:x' } } });
    assert.equal(queueEndpoint.body.__type, 'BadEndpointException');
    assert.equal((await h.truth()).contacts.length, 0);

    const queues = (await h.cti('GetRoutingProfileQueues', { routingProfileARN:
      (await h.cti('GetAgentConfiguration', {})).body.configuration.routingProfile.routingProfileARN })).body.queues;
    const endpoints = (await h.cti('GetEndpoints', { queueARNs: [queues[0].queueARN] })).body.endpoints;
    const phone = endpoints.find((e: any) => e.type === 'phone_number');
    const ok = await h.cti('CreateOutboundContact', { endpoint: { endpointARN: phone.endpointARN, type: 'phone_number' },
      queueARN: queues[1].queueARN });
    assert.equal(ok.status, 200);
    const contact = (await h.truth()).contacts[0];
    assert.equal(connectionOfType(contact, 'outbound').endpoint.phoneNumber, phone.phoneNumber);
    assert.equal(contact.queue.name, queues[1].name);

    const busy = await h.cti('CreateOutboundContact', { endpoint: { type: 'phone_number', phoneNumber: '+14155550124' } });
    assert.equal(busy.status, 400);
    assert.equal(busy.body.__type, 'InvalidStateException');
  });

  test('hold and resume the customer', async () => {
    const { id, customer, agentLeg } = await liveCall();
    assert.equal((await h.cti('HoldConnection', { contactId: id, connectionId: customer })).status, 200);
    assert.equal(connectionOfType(contactIn(await h.truth(), id), 'inbound').state.type, 'hold');
    const twice = await h.cti('HoldConnection', { contactId: id, connectionId: customer });
    assert.equal(twice.body.__type, 'InvalidStateException');
    assert.equal((await h.cti('ResumeConnection', { contactId: id, connectionId: customer })).status, 200);
    assert.equal(connectionOfType(contactIn(await h.truth(), id), 'inbound').state.type, 'connected');
    const notHeld = await h.cti('ResumeConnection', { contactId: id, connectionId: customer });
    assert.equal(notHeld.body.__type, 'InvalidStateException');
    const own = await h.cti('HoldConnection', { contactId: id, connectionId: agentLeg });
    assert.equal(own.body.__type, 'InvalidStateException');
    const unknown = await h.cti('HoldConnection', { contactId: id, connectionId: 'nope' });
    assert.equal(unknown.body.__type, 'ResourceNotFoundException');
  });

  test('mute and unmute a participant: sets and clears the connection\'s mute; bad input and dead legs refused', async () => {
    const { id, customer, agentLeg } = await liveCall();
    assert.equal((await h.cti('MuteParticipant', { contactId: id, connectionId: customer })).status, 200);
    assert.equal(connectionOfType(contactIn(await h.truth(), id), 'inbound').mute, true);
    assert.equal((await h.cti('MuteParticipant', { contactId: id, connectionId: customer })).status, 200, 'muting twice is a no-op');
    assert.equal((await h.cti('UnmuteParticipant', { contactId: id, connectionId: customer })).status, 200);
    assert.equal(connectionOfType(contactIn(await h.truth(), id), 'inbound').mute, false);
    const missing = await h.cti('MuteParticipant', { contactId: id });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /connectionId/);
    const own = await h.cti('MuteParticipant', { contactId: id, connectionId: agentLeg });
    assert.equal(own.body.__type, 'InvalidStateException');
    const unknown = await h.cti('UnmuteParticipant', { contactId: id, connectionId: 'nope' });
    assert.equal(unknown.body.__type, 'ResourceNotFoundException');
    await h.cti('DestroyConnection', { contactId: id, connectionId: agentLeg });
    const ended = await h.cti('MuteParticipant', { contactId: id, connectionId: customer });
    assert.equal(ended.body.__type, 'InvalidStateException');
  });

  test('SendDigits accepts DTMF and refuses anything else', async () => {
    const { id, customer } = await liveCall();
    assert.equal((await h.cti('SendDigits', { contactId: id, connectionId: customer, digits: '12#*,9' })).status, 200);
    assert.equal((await h.truth()).digitsSent[id], '12#*,9');
    const bad = await h.cti('SendDigits', { contactId: id, connectionId: customer, digits: '12a' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /digits must contain only/);
    assert.equal((await h.truth()).digitsSent[id], '12#*,9');
  });

  test('third party: add (customer on hold) → toggle → conference → third party leaves', async () => {
    const { id, customer } = await liveCall();
    const add = await h.cti('CreateAdditionalConnection', { contactId: id, endpoint: { type: 'phone_number', phoneNumber: '+14155550777' } });
    assert.equal(add.status, 200);
    let contact = contactIn(await h.truth(), id);
    const third = contact.connections.find((c: any) => c.type === 'outbound' && !c.initial);
    assert.equal(third.state.type, 'connecting');
    assert.equal(connectionOfType(contact, 'inbound').state.type, 'hold');
    const early = await h.cti('ConferenceConnections', { contactId: id });
    assert.equal(early.body.__type, 'InvalidStateException', 'cannot conference before the third party answers');
    contact = contactIn(await h.waitFor((t) => contactIn(t, id).connections.some((c: any) => c.connectionId === third.connectionId
      && c.state.type === 'connected')), id);

    assert.equal((await h.cti('ToggleActiveConnections', { contactId: id, connectionId: customer })).status, 200);
    contact = contactIn(await h.truth(), id);
    assert.equal(connectionOfType(contact, 'inbound').state.type, 'connected');
    assert.equal(contact.connections.find((c: any) => c.connectionId === third.connectionId).state.type, 'hold');

    assert.equal((await h.cti('ConferenceConnections', { contactId: id })).status, 200);
    contact = contactIn(await h.truth(), id);
    assert.ok(contact.connections.every((c: any) => c.state.type === 'connected'));
    const nothingToToggle = await h.cti('ToggleActiveConnections', { contactId: id, connectionId: customer });
    assert.equal(nothingToToggle.body.__type, 'InvalidStateException');

    assert.equal((await h.cti('DestroyConnection', { contactId: id, connectionId: third.connectionId })).status, 200);
    contact = contactIn(await h.truth(), id);
    assert.equal(contact.state.type, 'connected', 'the call goes on with the customer');
    assert.equal(contact.connections.length, 2);
  });

  test('CreateAdditionalConnection: a bad number or a ringing contact is refused, nothing added', async () => {
    const { id } = await liveCall();
    const bad = await h.cti('CreateAdditionalConnection', { contactId: id, endpoint: { type: 'phone_number', phoneNumber: '12' } });
    assert.equal(bad.body.__type, 'BadEndpointException');
    assert.equal(contactIn(await h.truth(), id).connections.length, 2);
    const ringing = await h.inbound({ username: 'agent2' });
    const early = await h.cti('CreateAdditionalConnection', { contactId: ringing,
      endpoint: { type: 'phone_number', phoneNumber: '+14155550777' } }, { as: 'agent2' });
    assert.equal(early.body.__type, 'InvalidStateException');
  });

  test('conference and toggle without a third party are refused', async () => {
    const { id, customer } = await liveCall();
    assert.equal((await h.cti('ConferenceConnections', { contactId: id })).body.__type, 'InvalidStateException');
    assert.equal((await h.cti('ToggleActiveConnections', { contactId: id, connectionId: customer })).body.__type,
      'InvalidStateException');
  });

  test('transfer to an agent: add the agent, drop out → ACW here, the call rings there', async () => {
    const { id, agentLeg } = await liveCall();
    await h.cti('CreateAdditionalConnection', { contactId: id, endpoint: { type: 'agent', agentLogin: 'agent2' } });
    await h.waitFor((t) => contactIn(t, id).connections.every((c: any) => c.state.type !== 'connecting'));
    assert.equal((await h.cti('DestroyConnection', { contactId: id, connectionId: agentLeg })).status, 200);
    const mine = await h.truth();
    assert.equal(contactIn(mine, id).state.type, 'ended');
    assert.equal(mine.state.name, 'AfterCallWork');
    const theirs = await h.truth('agent2');
    assert.equal(theirs.contacts.length, 1);
    const transferred = theirs.contacts[0];
    assert.equal(transferred.state.type, 'connecting');
    assert.equal(transferred.initiationMethod, 'transfer');
    assert.equal(transferred.initialContactId, id);
    assert.equal(connectionOfType(transferred, 'inbound').endpoint.phoneNumber, '+442079460000');
  });

  test('transfer to a queue rings an eligible agent other than the transferring one', async () => {
    const { id, agentLeg } = await liveCall();
    for (const n of ['agent3', 'agent4', 'agent5']) {
      await h.login(n);
      await h.cti('PutAgentState', { state: { name: 'Lunch', type: 'not_routable' } }, { as: n });
    }
    await h.cti('CreateAdditionalConnection', { contactId: id, endpoint: { type: 'queue', queue: { queueARN:
      contactIn(await h.truth(), id).queue.queueARN } } });
    await h.cti('DestroyConnection', { contactId: id, connectionId: agentLeg });
    const theirs = await h.truth('agent2');
    assert.equal(theirs.contacts[0].initiationMethod, 'queue_transfer');
  });

  test('the agent hanging up without a third party ends the call; a second hang-up is refused', async () => {
    const { id, agentLeg } = await liveCall();
    await h.cti('DestroyConnection', { contactId: id, connectionId: agentLeg });
    const truth = await h.truth();
    assert.equal(contactIn(truth, id).state.type, 'ended');
    assert.equal(truth.state.name, 'AfterCallWork');
    const again = await h.cti('DestroyConnection', { contactId: id, connectionId: agentLeg });
    assert.equal(again.body.__type, 'InvalidStateException');
  });

  test('destroying the agent leg of a ringing call declines it', async () => {
    const id = await h.inbound();
    const leg = connectionOfType(contactIn(await h.truth(), id), 'agent').connectionId;
    await h.cti('DestroyConnection', { contactId: id, connectionId: leg });
    const truth = await h.truth();
    assert.equal(truth.contacts.length, 0);
    assert.equal(truth.state.name, 'Available');
  });
});
