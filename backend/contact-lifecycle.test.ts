import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { connectionOfType, contactIn, startHarness, type Harness } from '../testing/backend/test-kit';

const LUNCH = { name: 'Lunch', type: 'not_routable' };
const TRAINING = { name: 'Training', type: 'not_routable' };

describe('contact lifecycle', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ ringTimeoutMs: 250 }); });
  after(() => h.close());
  beforeEach(async () => {
    await h.control('POST', '/sim/reset');
    await h.login('agent1');
    await h.login('agent2');
  });

  test('inbound voice: connecting → accept → connected → hangup → ended + AfterCallWork → clear → back', async () => {
    const id = await h.inbound({ from: 'Jane Doe', attributes: { accountId: 'A-17', reason: 'billing' } });
    let truth = await h.truth();
    let contact = contactIn(truth, id);
    assert.equal(contact.type, 'voice');
    assert.equal(contact.state.type, 'connecting');
    assert.equal(connectionOfType(contact, 'agent').state.type, 'connecting');
    assert.equal(connectionOfType(contact, 'inbound').initial, true);
    assert.equal(contact.initiationMethod, 'inbound');
    assert.equal(contact.initialContactId, id);
    assert.equal(contact.queue.name, 'BasicQueue');
    assert.equal(typeof contact.queueTimestamp, 'number');
    assert.deepEqual(contact.attributes.customerName, { name: 'customerName', value: 'Jane Doe' });
    assert.equal(contact.attributes.accountId.value, 'A-17');
    assert.equal(truth.agentAvailabilityState.state, 'PendingBusy');

    assert.equal((await h.cti('AcceptContact', { contactId: id })).status, 200);
    truth = await h.truth();
    contact = contactIn(truth, id);
    assert.equal(contact.state.type, 'connected');
    assert.ok(contact.connections.every((c: any) => c.state.type === 'connected'));
    assert.equal(truth.state.name, 'Available');
    assert.equal(truth.agentAvailabilityState.state, 'Busy');

    const again = await h.cti('AcceptContact', { contactId: id });
    assert.equal(again.status, 400);
    assert.equal(again.body.__type, 'InvalidStateException');

    assert.equal((await h.control('POST', `/sim/contacts/${id}/hangup`)).status, 200);
    truth = await h.truth();
    assert.equal(contactIn(truth, id).state.type, 'ended');
    assert.ok(contactIn(truth, id).connections.every((c: any) => c.state.type === 'disconnected'));
    assert.deepEqual([truth.state.name, truth.state.type], ['AfterCallWork', 'not_routable']);

    assert.equal((await h.cti('ClearContact', { contactId: id })).status, 200);
    truth = await h.truth();
    assert.equal(truth.contacts.length, 0);
    assert.equal(truth.state.name, 'Available');
  });

  test('missed: not accepted within the ring timeout → missed + MissedCallAgent → clear → back', async () => {
    const id = await h.inbound();
    const truth = await h.waitFor((t) => contactIn(t, id)?.state.type === 'missed');
    assert.deepEqual([truth.state.name, truth.state.type], ['MissedCallAgent', 'not_routable']);
    const late = await h.cti('AcceptContact', { contactId: id });
    assert.equal(late.body.__type, 'InvalidStateException');
    const busy = await h.control('POST', '/sim/contacts', { type: 'voice', username: 'agent1' });
    assert.equal(busy.status, 409, 'an agent in an error state is not routable');
    await h.cti('ClearContact', { contactId: id });
    const after = await h.truth();
    assert.equal(after.state.name, 'Available');
    assert.equal(after.contacts.length, 0);
  });

  test('reject: the contact leaves the snapshot and the agent keeps its state', async () => {
    const id = await h.inbound();
    const before = await h.truth();
    assert.equal((await h.cti('RejectContact', { contactId: id })).status, 200);
    const after = await h.truth();
    assert.equal(after.contacts.length, 0);
    assert.equal(after.state.name, 'Available');
    assert.ok(after.version > before.version);
    assert.equal((await h.cti('RejectContact', { contactId: id })).body.__type, 'ResourceNotFoundException');
  });

  test('clearing a live contact is refused; CompleteContact closes an ended one like clear', async () => {
    const id = await h.inbound();
    await h.cti('AcceptContact', { contactId: id });
    const early = await h.cti('ClearContact', { contactId: id });
    assert.equal(early.status, 400);
    assert.equal(early.body.__type, 'InvalidStateException');
    assert.equal((await h.cti('CompleteContact', { contactId: id })).body.__type, 'InvalidStateException');
    await h.control('POST', `/sim/contacts/${id}/hangup`);
    assert.equal((await h.cti('CompleteContact', { contactId: id })).status, 200);
    assert.equal((await h.truth()).state.name, 'Available');
  });

  test('a customer hanging up while it rings abandons the contact (no after-call work)', async () => {
    const id = await h.inbound();
    const res = await h.control('POST', `/sim/contacts/${id}/hangup`);
    assert.equal(res.body.outcome, 'abandoned');
    const truth = await h.truth();
    assert.equal(truth.contacts.length, 0);
    assert.equal(truth.state.name, 'Available');
  });

  test('queue callback: incoming → accept → connecting → connected when the customer answers', async () => {
    const id = await h.inbound({ type: 'queue_callback', from: '+14155550199' });
    let contact = contactIn(await h.truth(), id);
    assert.equal(contact.state.type, 'incoming');
    assert.equal(contact.initiationMethod, 'callback');
    await h.cti('AcceptContact', { contactId: id });
    contact = contactIn(await h.truth(), id);
    assert.equal(contact.state.type, 'connecting');
    const truth = await h.waitFor((t) => contactIn(t, id).state.type === 'connected');
    assert.equal(connectionOfType(contactIn(truth, id), 'outbound').endpoint.phoneNumber, '+14155550199');
  });

  test('chat: three at once; a fourth is refused; agent in ACW after a chat ends', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await h.inbound({ type: 'chat', from: `Customer ${i}` }));
    const fourth = await h.control('POST', '/sim/contacts', { type: 'chat', username: 'agent1' });
    assert.equal(fourth.status, 409);
    assert.equal(fourth.body.__type, 'AgentUnavailableException');
    for (const id of ids) await h.cti('AcceptContact', { contactId: id });
    let truth = await h.truth();
    assert.equal(truth.contacts.filter((c: any) => c.type === 'chat' && c.state.type === 'connected').length, 3);
    const agentLeg = connectionOfType(contactIn(truth, ids[0]), 'agent');
    assert.ok(agentLeg.chatMediaInfo.connectionData.includes('ConnectionAuthenticationToken'));

    await h.control('POST', `/sim/contacts/${ids[0]}/message`, { text: 'Hello?' });
    const transcript = await h.control('GET', `/sim/contacts/${ids[0]}/transcript`);
    assert.equal(transcript.body.messages[0].text, 'Hello?');
    truth = await h.truth();
    assert.equal(JSON.parse(contactIn(truth, ids[0]).attributes.transcript.value)[0].text, 'Hello?');

    const leg = connectionOfType(contactIn(truth, ids[1]), 'agent');
    await h.cti('DestroyConnection', { contactId: ids[1], connectionId: leg.connectionId });
    truth = await h.truth();
    assert.equal(contactIn(truth, ids[1]).state.type, 'ended');
    assert.equal(truth.state.name, 'AfterCallWork');
    await h.cti('ClearContact', { contactId: ids[1] });
    assert.equal((await h.truth()).state.name, 'Available');
  });

  test('routing through a queue picks a routable agent with capacity; none → 409', async () => {
    for (const n of ['agent1', 'agent3', 'agent4', 'agent5']) {
      await h.login(n);
      await h.cti('PutAgentState', { state: LUNCH }, { as: n });
    }
    const res = await h.control('POST', '/sim/contacts', { type: 'voice', queue: 'Sales' });
    assert.equal(res.status, 201);
    assert.equal(res.body.username, 'agent2');
    assert.equal(contactIn(await h.truth('agent2'), res.body.contactId).queue.name, 'Sales');
    const none = await h.control('POST', '/sim/contacts', { type: 'voice', queue: 'Sales' });
    assert.equal(none.status, 409);
    const unknownQueue = await h.control('POST', '/sim/contacts', { type: 'voice', queue: 'Nope' });
    assert.equal(unknownQueue.status, 404);
  });

  test('PutAgentState applies at once when idle; an unknown state is refused', async () => {
    assert.equal((await h.cti('PutAgentState', { state: LUNCH })).status, 200);
    const truth = await h.truth();
    assert.deepEqual([truth.state.name, truth.state.type], ['Lunch', 'not_routable']);
    assert.ok(truth.state.agentStateARN);
    const unknown = await h.cti('PutAgentState', { state: { name: 'Napping', type: 'not_routable' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.__type, 'InvalidStateException');
    const system = await h.cti('PutAgentState', { state: { name: 'AfterCallWork', type: 'not_routable' } });
    assert.equal(system.body.__type, 'InvalidStateException', 'system states cannot be chosen');
    assert.equal((await h.truth()).state.name, 'Lunch');
  });

  test('next state: chosen on a contact, kept through ACW, applied when the contact is cleared', async () => {
    const id = await h.inbound();
    await h.cti('AcceptContact', { contactId: id });
    assert.equal((await h.cti('PutAgentState', { state: TRAINING, enqueueNextState: true })).status, 200);
    let truth = await h.truth();
    assert.equal(truth.state.name, 'Available');
    assert.equal(truth.nextState.name, 'Training');
    await h.control('POST', `/sim/contacts/${id}/hangup`);
    truth = await h.truth();
    assert.equal(truth.state.name, 'AfterCallWork');
    assert.equal(truth.nextState.name, 'Training');
    await h.cti('PutAgentState', { state: LUNCH });
    assert.equal((await h.truth()).nextState.name, 'Lunch', 'a later choice replaces the pending one');
    await h.cti('ClearContact', { contactId: id });
    truth = await h.truth();
    assert.equal(truth.state.name, 'Lunch');
    assert.equal(truth.nextState, undefined);
  });

  test('next state also applies after a missed call is cleared', async () => {
    const id = await h.inbound();
    await h.cti('PutAgentState', { state: LUNCH });
    await h.waitFor((t) => t.state.name === 'MissedCallAgent');
    await h.cti('ClearContact', { contactId: id });
    assert.equal((await h.truth()).state.name, 'Lunch');
  });

  test('CreateTaskContact puts a task on an agent; no capacity or bad endpoint is refused', async () => {
    const res = await h.cti('CreateTaskContact', { endpoint: { type: 'agent', agentLogin: 'agent2' }, name: 'Follow up',
      description: 'Call back tomorrow', references: { crm: { value: 'https://crm.example/1', type: 'URL' } } });
    assert.equal(res.status, 200);
    const task = contactIn(await h.truth('agent2'), res.body.contactId);
    assert.equal(task.type, 'task');
    assert.equal(task.name, 'Follow up');
    assert.equal(task.references.crm.type, 'URL');
    const bad = await h.cti('CreateTaskContact', { endpoint: { type: 'phone_number', phoneNumber: '+14155550100' }, name: 'x' });
    assert.equal(bad.body.__type, 'BadEndpointException');
    await h.login('agent3');
    await h.cti('PutAgentState', { state: LUNCH }, { as: 'agent3' });
    const unavailable = await h.cti('CreateTaskContact', { endpoint: { type: 'agent', agentLogin: 'agent3' }, name: 'y' });
    assert.equal(unavailable.body.__type, 'InvalidStateException');
    const missingName = await h.cti('CreateTaskContact', { endpoint: { type: 'agent', agentLogin: 'agent2' } });
    assert.match(missingName.body.message, /name is required/);
  });
});
