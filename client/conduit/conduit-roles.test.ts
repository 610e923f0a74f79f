/**
 * The engine's role rules (main, #12) against what a genuine-library CRM broadcasts (streams-conduit.md §4): every
 * broadcast the library makes for the guide's API must cross tabs from a CRM, and no engine event may.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_OWNED_EVENTS, crmMayBroadcast, refusal } from '../../worker/role-policy';
import { ErrorType, TabRole, UpType } from '../../shared/protocol';
import { broadcastRoute, BroadcastRoute } from './streams-conduit';

/** What the genuine 2.28.2 library broadcasts for the guide's API: `contact.accept()` (two), `agent.mute()/unmute()`,
 * `connect.core.viewContact`, the agent's device setters. */
const GUIDE_BROADCASTS = [
  'contact::accepted', 'contact::accepted::3f1c0a52-5e0c-4a8e-b5a4-0d7f9b2c6e11', 'mute', 'contact::view',
  'configuration::set_speaker_device', 'configuration::set_microphone_device', 'configuration::set_ringer_device',
];

describe('a genuine CRM under the engine role rules', () => {
  test('every broadcast of the guide\'s API goes to every tab, and a CRM may make it', () => {
    for (const name of GUIDE_BROADCASTS) {
      assert.equal(broadcastRoute(name), BroadcastRoute.EVERY_TAB, name);
      assert.equal(crmMayBroadcast(name), true, name);
      assert.equal(refusal(TabRole.CRM, { type: UpType.BROADCAST, event: name, data: {} }), null, name);
    }
  });

  test('its log lines and telemetry never become broadcasts (engine log; sender only)', () => {
    for (const name of ['log', 'server_bound_internal_log']) assert.equal(broadcastRoute(name), BroadcastRoute.LOG, name);
    for (const name of ['client_metric', 'click_stream_data', 'softphone_stats', 'softphone_report']) {
      assert.equal(broadcastRoute(name), BroadcastRoute.SENDER_ONLY, name);
    }
  });

  test('engine events and the conduit\'s own names stay forbidden to a CRM broadcast', () => {
    for (const name of [...ENGINE_OWNED_EVENTS, 'agent::update', 'contact::accepted::', 'contact::accepted::a::b',
      'agent::softphone_error', 'contact::screen_sharing_started']) {
      assert.equal(crmMayBroadcast(name), false, name);
      const r = refusal(TabRole.CRM, { type: UpType.BROADCAST, event: name, data: {} });
      assert.equal(r?.type, ErrorType.FORBIDDEN, name);
    }
  });
});
