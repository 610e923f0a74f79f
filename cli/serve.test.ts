import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ControlApiMode } from '../backend/config';
import { parseServeOptions, serve, UsageError } from './serve';

test('flags win over the environment; approved origins default to the demo CRM on its port', () => {
  const o = parseServeOptions(['--port', '9080', '--crm-port=9081'], { CTI_PORT: '7000', CRM_PORT: '7001' });
  assert.equal(o.port, 9080);
  assert.equal(o.crmPort, 9081);
  assert.deepEqual(o.approvedOrigins, ['http://127.0.0.1:9081', 'http://localhost:9081']);
  assert.equal(o.controlApi, ControlApiMode.AUTO);
  assert.deepEqual(parseServeOptions([], { CTI_PORT: '7000' }).port, 7000);
  assert.deepEqual(parseServeOptions(['--approved-origins', 'http://a.test:3000,http://b.test'], {}).approvedOrigins,
    ['http://a.test:3000', 'http://b.test']);
});

test('a bad flag is a UsageError naming it', () => {
  const bad: [string[], RegExp][] = [
    [['--port', 'abc'], /--port must be a port number/],
    [['--port', '70000'], /--port must be a port number/],
    [['--crm-port'], /--crm-port needs a value/],
    [['--port', '--crm-port', '1'], /--port needs a value/],
    [['--bogus'], /unknown option --bogus/],
    [['--control-api', 'maybe'], /--control-api must be auto, on or off/],
    [['--approved-origins', 'not a url'], /--approved-origins: "not a url" is not a URL/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(() => parseServeOptions(argv, {}), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  }
  assert.throws(() => parseServeOptions([], { CTI_PORT: 'x' }), /CTI_PORT must be a port number/);
});

test('a port in use is a UsageError naming the flag that picks another', async () => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  const busy = (holder.address() as AddressInfo).port;
  const quiet = console.log;
  console.log = () => undefined;
  try {
    await assert.rejects(serve({ port: 0, crmPort: busy, approvedOrigins: [], controlApi: ControlApiMode.OFF }),
      (e: unknown) => e instanceof UsageError && e.message.includes(`port ${busy} is in use`) && e.message.includes('--crm-port'));
    await assert.rejects(serve({ port: busy, crmPort: 0, approvedOrigins: [], controlApi: ControlApiMode.OFF }),
      (e: unknown) => e instanceof UsageError && e.message.includes('--port'));
  } finally {
    console.log = quiet;
    await new Promise((r) => holder.close(r));
  }
});
