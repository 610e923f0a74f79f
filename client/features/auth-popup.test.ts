import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentEvents, EventType, LoginPopupEvents, MasterTopics } from '../../shared/enums';
import { ENGINE_EVENTS, MasterMethod, type MasterResult } from '../../shared/protocol';
import { asLoginMessage, LOGIN_MESSAGE_TYPE, LoginPopupManager, popupFeatures, type LoginPopupOptions, type PopupWindowHost } from './auth-popup';
import { freshContext } from '../../testing/client/context';
import { flush } from '../../testing/client/fake-upstream';

const ORIGIN = 'http://127.0.0.1:18080';

class FakePopup {
  closed = false;
  focused = 0;
  close(): void { this.closed = true; }
  focus(): void { this.focused++; }
}

class FakeHost implements PopupWindowHost {
  readonly origin = ORIGIN;
  readonly opened: { url: string; name: string; features: string }[] = [];
  popup: FakePopup | null = new FakePopup();
  private listeners = new Set<(e: MessageEvent) => void>();

  open(url: string, name: string, features: string): Window | null {
    this.opened.push({ url, name, features });
    return this.popup as unknown as Window | null;
  }

  addEventListener(_type: 'message', f: (e: MessageEvent) => void): void { this.listeners.add(f); }
  removeEventListener(_type: 'message', f: (e: MessageEvent) => void): void { this.listeners.delete(f); }

  /** A message as the browser would deliver it. */
  deliver(data: unknown, origin = ORIGIN, source: unknown = this.popup): void {
    for (const f of this.listeners) f({ data, origin, source } as unknown as MessageEvent);
  }

  get listening(): number { return this.listeners.size; }
}

function setup(opts: { isMaster?: boolean; options?: Partial<LoginPopupOptions>; eligible?: boolean; loginOrigins?: string[]; missedAuthFail?: boolean } = {}) {
  const { ctx } = freshContext();
  const host = new FakeHost();
  const masterCalls: { method: MasterMethod; topic: string }[] = [];
  const sessions: { token: string; expiration?: number }[] = [];
  const announced: { event: string; data: unknown }[] = [];
  const manager = new LoginPopupManager({
    bus: ctx.bus,
    log: ctx.log,
    options: () => ({ enabled: true, autoClose: false, ...opts.options }),
    eligible: () => opts.eligible ?? true,
    master: (method, topic) => {
      masterCalls.push({ method, topic });
      const isMaster = opts.isMaster ?? true;
      return Promise.resolve<MasterResult>({ topic, masterId: isMaster ? 'me' : 'other', isMaster });
    },
    supplySession: (token, expiration) => sessions.push({ token, ...(expiration !== undefined ? { expiration } : {}) }),
    announce: (event, data) => announced.push({ event, data }),
    tabId: () => 'me',
    host,
    ...(opts.loginOrigins ? { loginOrigins: () => opts.loginOrigins! } : {}),
  });
  manager.start({ authFailed: opts.missedAuthFail ?? false });
  return { ctx, host, manager, masterCalls, sessions, announced };
}

const LOGIN = { type: LOGIN_MESSAGE_TYPE, accessToken: 'tok-new', expiration: 1_900_000_000_000 };

describe('LoginPopupManager', () => {
  test('a loginUrl that is not http(s) on a trusted origin is never opened: the CCP login page opens instead, with a warning', async () => {
    for (const loginUrl of ['javascript:opener.connect.core.terminate()', 'data:text/html,<script>opener.x=1</script>',
      'https://evil.example/login', '//evil.example/login']) {
      const { ctx, host } = setup({ options: { loginUrl } });
      ctx.bus.trigger(EventType.AUTH_FAIL, null);
      await flush();
      assert.deepEqual(host.opened.map((o) => o.url), [`${ORIGIN}/login?popup=1`], loginUrl);
      const warning = ctx.log.getLogs().find((e) => e.level === 'WARN' && /loginUrl refused/.test(e.text));
      assert.ok(warning, `no warning for ${loginUrl}`);
      assert.equal((warning.objects[0] as { type?: string }).type, 'ValidationError');
    }
  });

  test('a loginUrl on the CCP origin or on a login origin the server lists is opened', async () => {
    for (const [loginUrl, expected] of [['/sso/start', `${ORIGIN}/sso/start`], ['https://idp.example/saml?x=1', 'https://idp.example/saml?x=1']]) {
      const { ctx, host } = setup({ options: { loginUrl }, loginOrigins: ['https://idp.example'] });
      ctx.bus.trigger(EventType.AUTH_FAIL, null);
      await flush();
      assert.deepEqual(host.opened.map((o) => o.url), [expected]);
    }
  });

  test('auth_fail: the loginPopup master opens /login?popup=1 on its own origin, once', async () => {
    const { ctx, host, masterCalls, announced } = setup();
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(masterCalls, [{ method: MasterMethod.CHECK, topic: MasterTopics.LOGIN_POPUP }]);
    assert.equal(host.opened.length, 1);
    assert.equal(host.opened[0]!.url, `${ORIGIN}/login?popup=1`);
    assert.equal(host.opened[0]!.name, MasterTopics.LOGIN_POPUP);
    assert.equal(host.opened[0]!.features, 'width=433,height=578,top=0,left=0');
    assert.deepEqual(announced, [{ event: LoginPopupEvents.OPENED, data: { tabId: 'me' } }]);
    ctx.bus.trigger(EventType.AUTH_FAIL, null); // again while it is open: no second popup
    await flush();
    assert.equal(host.opened.length, 1);
  });

  test('an auth_fail heard before the manager loaded (it is a chunk) is handled when it starts; none, nothing opens', async () => {
    const missed = setup({ missedAuthFail: true });
    await flush();
    assert.deepEqual(missed.masterCalls, [{ method: MasterMethod.CHECK, topic: MasterTopics.LOGIN_POPUP }]);
    assert.equal(missed.host.opened.length, 1);
    const none = setup();
    await flush();
    assert.deepEqual(none.masterCalls, []);
    assert.equal(none.host.opened.length, 0);
  });

  test('a tab that is not the master opens nothing', async () => {
    const { ctx, host } = setup({ isMaster: false });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(host.opened, []);
  });

  test('a standalone page on its first login (never had data) leaves it to its own redirect', async () => {
    const { ctx, host, masterCalls } = setup({ eligible: false });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(host.opened, []);
    assert.deepEqual(masterCalls, []);
  });

  test('loginPopup: false opens nothing and does not compete for the topic', async () => {
    const { ctx, host, masterCalls } = setup({ options: { enabled: false } });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(host.opened, []);
    assert.deepEqual(masterCalls, []);
  });

  test('loginUrl (relative or absolute) and loginOptions geometry are used', async () => {
    const { ctx, host } = setup({ options: { loginUrl: '/saml/start?popup=1', geometry: { width: 500, left: 20 } } });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.equal(host.opened[0]!.url, `${ORIGIN}/saml/start?popup=1`);
    assert.equal(host.opened[0]!.features, 'width=500,height=578,top=0,left=20');
    assert.equal(popupFeatures({ height: 300 }), 'width=433,height=300,top=0,left=0');
  });

  test('a blocked popup is logged and announced; a later click can open it', async () => {
    const { ctx, host, manager, announced } = setup();
    const popup = host.popup;
    host.popup = null;
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(announced.map((a) => a.event), [LoginPopupEvents.BLOCKED]);
    assert.ok(ctx.log.getLogs().some((e) => /blocked by the browser/.test(e.text)));
    host.popup = popup;
    assert.equal(manager.open('user'), true);
    assert.equal(manager.isOpen, true);
  });

  test('the login message from the popup hands the session to the engine and releases the topic', async () => {
    const { ctx, host, masterCalls, sessions, announced } = setup({ options: { autoClose: true } });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    host.deliver(LOGIN);
    await flush();
    assert.deepEqual(sessions, [{ token: 'tok-new', expiration: 1_900_000_000_000 }]);
    assert.deepEqual(announced.map((a) => a.event), [LoginPopupEvents.OPENED, LoginPopupEvents.SIGNED_IN]);
    assert.deepEqual(masterCalls.at(-1), { method: MasterMethod.RELEASE, topic: MasterTopics.LOGIN_POPUP });
    assert.equal(host.popup!.closed, true, 'loginPopupAutoClose closes it');
  });

  test('messages from another origin, another window, or of another shape are ignored', async () => {
    const { ctx, host, sessions } = setup();
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    host.deliver(LOGIN, 'http://127.0.0.1:18081');
    host.deliver(LOGIN, ORIGIN, {});
    host.deliver({ ...LOGIN, type: 'other' });
    host.deliver({ ...LOGIN, accessToken: 42 });
    host.deliver({ ...LOGIN, accessToken: 'x'.repeat(5000) });
    host.deliver({ ...LOGIN, expiration: 'soon' });
    assert.deepEqual(sessions, []);
  });

  test('without autoClose the popup stays; data flowing again (agent::refresh) releases the topic', async () => {
    const { ctx, host, masterCalls } = setup();
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    ctx.bus.trigger(AgentEvents.REFRESH, null);
    await flush();
    assert.deepEqual(masterCalls.map((m) => m.method), [MasterMethod.CHECK, MasterMethod.RELEASE]);
    assert.equal(host.popup!.closed, false);
    ctx.bus.trigger(AgentEvents.REFRESH, null);
    assert.equal(masterCalls.length, 2, 'released once');
  });

  test('the master left before the session came back: the tab the engine hands the topic to opens the popup', async () => {
    const { ctx, host } = setup({ isMaster: false });
    const handOver = { topic: MasterTopics.LOGIN_POPUP, masterId: 'me', isMaster: true };
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, handOver);
    assert.deepEqual(host.opened, [], 'no auth episode: nothing to do');
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    assert.deepEqual(host.opened, []);
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { ...handOver, topic: MasterTopics.RINGTONE });
    assert.deepEqual(host.opened, [], 'another topic');
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, handOver);
    assert.equal(host.opened.length, 1);
  });

  test('after the popup signed in, a hand-over of the released topic opens nothing', async () => {
    const { ctx, host } = setup({ isMaster: false });
    ctx.bus.trigger(EventType.AUTH_FAIL, null);
    await flush();
    ctx.bus.trigger(LoginPopupEvents.SIGNED_IN, { tabId: 'other' });
    ctx.bus.trigger(ENGINE_EVENTS.MASTER_CHANGED, { topic: MasterTopics.LOGIN_POPUP, masterId: 'me', isMaster: true });
    assert.deepEqual(host.opened, []);
  });

  test('stop() removes the listeners', () => {
    const { host, manager } = setup();
    assert.equal(host.listening, 1);
    manager.stop();
    assert.equal(host.listening, 0);
  });
});

describe('asLoginMessage', () => {
  test('epoch seconds become ms; a missing expiration is allowed', () => {
    assert.deepEqual(asLoginMessage({ type: LOGIN_MESSAGE_TYPE, accessToken: 't', expiration: 1_900_000_000 }), { accessToken: 't', expiration: 1_900_000_000_000 });
    assert.deepEqual(asLoginMessage({ type: LOGIN_MESSAGE_TYPE, accessToken: 't' }), { accessToken: 't' });
    assert.equal(asLoginMessage(null), null);
    assert.equal(asLoginMessage('connect-sync:login'), null);
    assert.equal(asLoginMessage({ type: LOGIN_MESSAGE_TYPE, accessToken: '' }), null);
  });
});
