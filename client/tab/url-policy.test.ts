import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorType } from '../../shared/protocol';
import { Logger } from '../api/log';
import { UrlGate } from './url-gate';
import { checkUrl, MAX_URL_CHARS, UrlUse, type TrustedOrigins } from './url-policy';

const CCP = 'https://ccp.example';
const SSO = 'https://sso.example';
const CRM = 'https://crm.example';

describe('checkUrl', () => {
  test('relative and same-origin http(s) URLs pass, resolved against the CCP origin', () => {
    assert.deepEqual(checkUrl('/login?popup=1', CCP, []), { ok: true, url: `${CCP}/login?popup=1` });
    assert.deepEqual(checkUrl(`${CCP}/sounds/ring.mp3`, CCP, []), { ok: true, url: `${CCP}/sounds/ring.mp3` });
    assert.deepEqual(checkUrl(`${SSO}/saml?x=1`, CCP, [SSO]), { ok: true, url: `${SSO}/saml?x=1` });
  });

  test('script and inline schemes never pass, whatever their spelling', () => {
    for (const raw of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<script>1</script>',
      'data:audio/wav;base64,AAAA', 'blob:https://ccp.example/1234', 'file:///etc/passwd', 'vbscript:x', 'about:blank']) {
      const r = checkUrl(raw, CCP, [SSO]);
      assert.equal(r.ok, false, raw);
      if (!r.ok) assert.equal(r.error.type, ErrorType.VALIDATION);
    }
  });

  test('http(s) on an origin that is neither the CCP nor listed is refused', () => {
    for (const raw of ['https://evil.example/login', '//evil.example/login', `${CRM}/login`, 'http://ccp.example/login']) {
      assert.equal(checkUrl(raw, CCP, [SSO]).ok, false, raw);
    }
  });

  test('credentials, non-strings and over-long URLs are refused', () => {
    assert.equal(checkUrl(`https://user:pw@ccp.example/login`, CCP, []).ok, false);
    assert.equal(checkUrl(42, CCP, []).ok, false);
    assert.equal(checkUrl({ toString: () => '/login' }, CCP, []).ok, false);
    assert.equal(checkUrl(`/${'a'.repeat(MAX_URL_CHARS)}`, CCP, []).ok, false);
    assert.equal(checkUrl('http://[bad', CCP, []).ok, false);
  });
});

describe('UrlGate', () => {
  const trusted: TrustedOrigins = { login: [SSO], approved: [CRM] };
  const make = () => {
    const log = new Logger({ console: { debug() {}, info() {}, log() {}, warn() {}, error() {} } });
    return { log, gate: new UrlGate(CCP, () => trusted, log) };
  };
  const warnings = (log: Logger) => log.getLogs().filter((e) => e.level === 'WARN');

  test('login pages: the CCP origin and the server\'s login origins; ringtones: the CCP and approved CRM origins', () => {
    const { gate } = make();
    assert.equal(gate.pass(UrlUse.LOGIN, `${SSO}/login`), `${SSO}/login`);
    assert.equal(gate.pass(UrlUse.LOGIN, `${CRM}/login`), undefined);
    assert.equal(gate.pass(UrlUse.RINGTONE, `${CRM}/ring.mp3`), `${CRM}/ring.mp3`);
    assert.equal(gate.pass(UrlUse.RINGTONE, `${SSO}/ring.mp3`), undefined);
    assert.equal(gate.pass(UrlUse.RINGTONE, '/ring.mp3'), `${CCP}/ring.mp3`);
    assert.equal(gate.pass(UrlUse.LOGIN, undefined), undefined);
  });

  test('a refused URL is dropped with one typed warning, however often the option is read', () => {
    const { gate, log } = make();
    for (let i = 0; i < 5; i++) assert.equal(gate.pass(UrlUse.LOGIN, 'javascript:opener.connect.core.terminate()'), undefined);
    const w = warnings(log);
    assert.equal(w.length, 1);
    assert.match(w[0]!.text, /loginUrl refused/);
    assert.doesNotMatch(w[0]!.text, /opener/);
    assert.deepEqual(w[0]!.objects, [{ type: ErrorType.VALIDATION, message: 'scheme javascript: is not http(s)' }]);
  });
});
