import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { HostPolicy, isLoopbackBind } from './host-policy';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers } as unknown as IncomingMessage);

describe('HostPolicy', () => {
  test('a loopback bind serves its three loopback names at its port, nothing else', () => {
    const hosts = new HostPolicy({ bind: '127.0.0.1', port: 8080 });
    assert.equal(hosts.ownOrigin(req({ host: 'LOCALHOST:8080' })), 'http://localhost:8080');
    assert.equal(hosts.ownOrigin(req({ host: '[::1]:8080' })), 'http://[::1]:8080');
    assert.equal(hosts.ownOrigin(req({ host: '127.0.0.1:8081' })), undefined);
    assert.equal(hosts.ownOrigin(req({ host: 'evil.example:8080' })), undefined);
    assert.equal(hosts.ownOrigin(req({})), undefined, 'no Host, no answer');
  });

  test('PUBLIC_ORIGIN: its host is served with its scheme, and it counts as own whatever Host a proxy sends', () => {
    const hosts = new HostPolicy({ bind: '127.0.0.1', port: 8080, publicOrigin: 'https://ccp.example' });
    assert.equal(hosts.ownOrigin(req({ host: 'ccp.example' })), 'https://ccp.example');
    assert.equal(hosts.isSameOrigin(req({ host: '127.0.0.1:8080', origin: 'https://ccp.example' })), true);
    assert.equal(hosts.isSameOrigin(req({ host: 'ccp.example', origin: 'http://ccp.example' })), false);
  });

  test('same origin: no Origin and no Sec-Fetch-Site (a script) or same-origin; any other page is refused', () => {
    const hosts = new HostPolicy({ bind: '127.0.0.1', port: 8080 });
    const host = '127.0.0.1:8080';
    assert.equal(hosts.isSameOrigin(req({ host })), true);
    assert.equal(hosts.isSameOrigin(req({ host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' })), true);
    assert.equal(hosts.isSameOrigin(req({ host, origin: 'http://127.0.0.1:8081' })), false);
    assert.equal(hosts.isSameOrigin(req({ host, origin: 'null' })), false);
    assert.equal(hosts.isSameOrigin(req({ host, 'sec-fetch-site': 'same-site' })), false);
    assert.equal(hosts.isSameOrigin(req({ host, 'sec-fetch-site': 'cross-site' })), false);
  });

  test('loopback binds', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackBind(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'ccp.example']) assert.equal(isLoopbackBind(h), false, h);
  });
});
