import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFromEnv, ControlApiMode, resolveConfig } from './config';

describe('backend configuration', () => {
  test('defaults', () => {
    const c = resolveConfig({}, {});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.deepEqual(c.approvedOrigins, ['http://127.0.0.1:8081', 'http://localhost:8081']);
    assert.equal(c.controlApi, ControlApiMode.AUTO);
    assert.equal(c.publicOrigin, undefined);
    assert.equal(c.sessionTtlSeconds, 12 * 3600);
    assert.equal(c.tokenTtlSeconds, 3600);
    assert.equal(c.ringTimeoutMs, 20000);
    assert.equal(c.agentPassword, 'connect');
    assert.equal(c.logLevel, 'info');
  });

  test('environment variables, then explicit options', () => {
    const env = { CTI_PORT: '9000', CTI_HOST: '0.0.0.0', APPROVED_ORIGINS: 'https://crm.example, https://b.example',
      CONTROL_API: 'off', TOKEN_TTL_SECONDS: '60', RING_TIMEOUT_MS: '1500', AGENT_PASSWORD: 'pw', LOG_LEVEL: 'silent',
      SIM_AGENTS: '20', DIAL_DELAY_MS: '0' };
    const c = resolveConfig({ port: 0 }, env);
    assert.equal(c.port, 0, 'options win');
    assert.deepEqual(c.approvedOrigins, ['https://crm.example', 'https://b.example']);
    assert.equal(c.controlApi, ControlApiMode.OFF);
    assert.equal(resolveConfig({}, { CONTROL_API: 'on', PUBLIC_ORIGIN: 'https://ccp.example' }).publicOrigin, 'https://ccp.example');
    assert.equal(c.tokenTtlSeconds, 60);
    assert.equal(c.ringTimeoutMs, 1500);
    assert.equal(c.agentPassword, 'pw');
    assert.equal(c.logLevel, 'silent');
    assert.equal(c.agentCount, 20);
    assert.equal(c.dialDelayMs, 0);
  });

  test('bad values fail naming the variable', () => {
    assert.throws(() => configFromEnv({ CTI_PORT: 'eighty' }), /CTI_PORT/);
    assert.throws(() => configFromEnv({ RING_TIMEOUT_MS: '0' }), /RING_TIMEOUT_MS/);
    assert.throws(() => configFromEnv({ APPROVED_ORIGINS: 'https://crm.example/path' }), /APPROVED_ORIGINS/);
    assert.throws(() => configFromEnv({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => configFromEnv({ LOGIN_ORIGINS: 'javascript:alert(1)' }), /LOGIN_ORIGINS/);
    assert.throws(() => configFromEnv({ CONTROL_API: 'yes' }), /CONTROL_API/);
    assert.throws(() => configFromEnv({ PUBLIC_ORIGIN: 'https://ccp.example/ccp' }), /PUBLIC_ORIGIN/);
    assert.throws(() => configFromEnv({ PUBLIC_ORIGIN: 'ftp://ccp.example' }), /PUBLIC_ORIGIN/);
  });

  test('LOGIN_ORIGINS: bare origins a loginUrl may open, none by default', () => {
    assert.deepEqual(configFromEnv({ LOGIN_ORIGINS: 'https://sso.example, https://idp.example' }).loginOrigins, ['https://sso.example', 'https://idp.example']);
    assert.deepEqual(resolveConfig({}, {}).loginOrigins, []);
  });
});
