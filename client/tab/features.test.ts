import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLoginPopup } from './features';
import { loginOptionsOf, ringtoneOptionsOf, type TabFeatureOptions } from '../features/page-features';
import { freshContext } from '../../testing/client/context';
import { gatedRingtoneOptions } from '../features/ringtone-gate';
import { UrlGate } from './url-gate';

describe('tab features: options', () => {
  test('defaults: popup on, no auto-close, built-in ringtone', () => {
    assert.deepEqual(loginOptionsOf({}), { enabled: true, loginUrl: undefined, autoClose: false, geometry: {} });
    assert.deepEqual(ringtoneOptionsOf({}), { softphone: undefined, chat: undefined });
  });

  test('the initCCP names are honoured (loginPopup, loginPopupAutoClose / loginOptions.autoClose, loginUrl)', () => {
    assert.equal(loginOptionsOf({ loginPopup: false }).enabled, false);
    assert.equal(loginOptionsOf({ loginPopupAutoClose: true }).autoClose, true);
    assert.equal(loginOptionsOf({ loginOptions: { autoClose: true, width: 500 } }).autoClose, true);
    assert.deepEqual(loginOptionsOf({ loginOptions: { width: 500, top: 10 } }).geometry, { width: 500, top: 10 });
    assert.equal(loginOptionsOf({ loginUrl: 'https://idp.example/saml' }).loginUrl, 'https://idp.example/saml');
    assert.deepEqual(ringtoneOptionsOf({ softphone: { disableRingtone: true, ringtoneUrl: 'r.mp3' } }).softphone,
      { disableRingtone: true, ringtoneUrl: 'r.mp3' });
  });

  test('values of the wrong type (they may cross a frame boundary) are dropped, never passed on', () => {
    const hostile = {
      loginPopup: 'no', loginUrl: 42, loginPopupAutoClose: 'yes', loginOptions: { width: '9999', left: Infinity },
      softphone: { disableRingtone: 'true', ringtoneUrl: { toString: () => 'x' } }, chat: 'on',
    } as unknown as TabFeatureOptions;
    assert.deepEqual(loginOptionsOf(hostile), { enabled: true, loginUrl: undefined, autoClose: false, geometry: {} });
    assert.deepEqual(ringtoneOptionsOf(hostile), { softphone: { disableRingtone: false, ringtoneUrl: undefined }, chat: undefined });
  });

  test('openLoginPopup before initSharedWorker (or in a CRM page) says no and logs why', () => {
    const { ctx } = freshContext();
    assert.equal(openLoginPopup(), false);
    assert.ok(ctx.log.getLogs().some((e) => /only pages on the CCP origin/.test(e.text)));
  });

  test('ringtone URLs: data:, javascript: and third-party ones are dropped (built-in tone); CCP and approved CRM origins pass', () => {
    const { ctx } = freshContext();
    const gate = new UrlGate('https://ccp.example', () => ({ approved: ['https://crm.example'], login: [] }), ctx.log);
    const from = (softphone: string, chat: string) => gatedRingtoneOptions(ringtoneOptionsOf({ softphone: { ringtoneUrl: softphone }, chat: { ringtoneUrl: chat } }), gate);
    assert.deepEqual(from('data:audio/wav;base64,AAAA', 'https://evil.example/r.mp3'),
      { softphone: { disableRingtone: false, ringtoneUrl: undefined }, chat: { disableRingtone: false, ringtoneUrl: undefined } });
    assert.deepEqual(from('javascript:1', 'blob:https://ccp.example/x').softphone?.ringtoneUrl, undefined);
    assert.deepEqual(from('/ring.mp3', 'https://crm.example/chat.mp3'),
      { softphone: { disableRingtone: false, ringtoneUrl: 'https://ccp.example/ring.mp3' }, chat: { disableRingtone: false, ringtoneUrl: 'https://crm.example/chat.mp3' } });
    assert.equal(ctx.log.getLogs().filter((e) => e.level === 'WARN' && /ringtoneUrl refused/.test(e.text)).length, 4);
  });
});
