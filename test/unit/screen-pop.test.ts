/**
 * Screen pop (main/desk/screen-pop.ts): template expansion with URL-encoded values, the https-only
 * and allow-list rules (the tricky hosts included), and the once-per-call moment.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandScreenPop, hostAllowed, normaliseAllowedHost, ScreenPopper } from '../../main/desk/screen-pop.js';
import { createTranslator, type Catalog, type MessageKey } from '../../common/i18n.js';
import type { Call } from '../../common/model.js';
import { parseConfig } from '../../main/config.js';

const call = (over: Partial<Call> = {}): Call => ({
  key: 'voice/c1',
  accountId: 'voice',
  id: 'c1',
  direction: 'inbound',
  state: 'ringing',
  caller: '+1 555 0100',
  target: '8005550199',
  queue: { id: 'q7', name: 'Billing & Sales' },
  startedAt: '2026-11-21T09:00:00.000Z',
  actions: ['answer'],
  userData: { CaseId: 'A/1?x=2#f', 'Customer Name': 'Zoë' },
  ...over,
});
const ALLOWED = ['crm.example.com', '*.support.example.org', 'crm.example.net:8443', 'bücher.example'];
const expand = (template: string, c: Call = call()) => expandScreenPop(template, c, ALLOWED);

describe('screen pop templates', () => {
  it('expands every placeholder, URL-encoded', () => {
    const out = expand('https://crm.example.com/search?phone={caller}&to={target}&q={queue}&qid={queueId}&id={callId}&acct={account}&case={userData.CaseId}&n={userData.Customer Name}');
    assert.deepEqual(out, {
      ok: true,
      url: 'https://crm.example.com/search?phone=%2B1%20555%200100&to=8005550199&q=Billing%20%26%20Sales&qid=q7&id=c1&acct=voice&case=A%2F1%3Fx%3D2%23f&n=Zo%C3%AB',
      unknown: [],
    });
  });

  it('leaves unknown placeholders and missing attached data empty, and names them', () => {
    const out = expand('https://crm.example.com/?a={nope}&b={userData.Missing}&c={caller}', call({ caller: undefined }));
    assert.deepEqual(out, { ok: true, url: 'https://crm.example.com/?a=&b=&c=', unknown: ['nope', 'userData.Missing'] });
  });

  it('a value can never change the host, the path or add a parameter', () => {
    for (const evil of ['evil.com', '@evil.com', '/../admin', '1&admin=1', 'x#frag', '\\\\evil.com', 'javascript:alert(1)']) {
      const out = expand('https://crm.example.com/p/{caller}?x={caller}', call({ caller: evil }));
      assert.equal(out.ok, true);
      const url = new URL((out as { url: string }).url);
      assert.equal(url.host, 'crm.example.com');
      assert.deepEqual([...url.searchParams.keys()], ['x']);
      assert.equal(url.searchParams.get('x'), evil);
      assert.equal(url.hash, '');
    }
  });

  it('refuses a host built from a value when it is not on the list', () => {
    const out = expand('https://{userData.Host}/case', call({ userData: { Host: 'evil.com' } }));
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /evil\.com is not on the list of screen pop hosts/);
  });

  const refused: Array<[string, RegExp]> = [
    ['https://crm.example.com.evil.com/x', /crm\.example\.com\.evil\.com is not on/],
    ['https://evilcrm.example.com/x', /not on/],
    ['https://user@evil.com/x', /user name or password/],
    ['https://crm.example.com@evil.com/x', /user name or password/],
    ['https://user:pw@crm.example.com/x', /user name or password/],
    ['http://crm.example.com/x', /uses http: \(only https: is opened\)/],
    ['javascript:alert(1)//crm.example.com', /uses javascript:/],
    ['data:text/html,hi', /uses data:/],
    ['file:///etc/passwd', /uses file:/],
    ['crm.example.com/x', /not an absolute URL/],
    ['https://crm.example.com:8443/x', /crm\.example\.com:8443 is not on/],
    ['https://crm.example.net/x', /crm\.example\.net is not on/], // listed with :8443 only
    ['https://support.example.org/x', /not on/], // the wildcard is for subdomains
    ['https://xn--bcher-kva.example.evil/x', /not on/],
  ];
  for (const [template, why] of refused) {
    it(`refuses ${template}`, () => {
      const out = expand(template);
      assert.equal(out.ok, false);
      assert.match((out as { reason: string }).reason, why);
    });
  }

  it('says every refusal in the agent\'s language, the host or scheme as written', () => {
    const german = createTranslator('de', JSON.parse(readFileSync(new URL('../../common/locales/de.json', import.meta.url), 'utf8')) as Catalog);
    const said = (template: string): string => {
      const out = expand(template);
      assert.equal(out.ok, false);
      const { key, values } = (out as { said: { key: MessageKey; values?: Record<string, string | number> } }).said;
      return german.t(key, values);
    };
    assert.equal(said('https://crm.example.com.evil.com/x'), 'Screen-Pop nicht geöffnet: crm.example.com.evil.com steht nicht auf der Liste der Screen-Pop-Hosts (screenPop.allowedHosts).');
    assert.equal(said('http://crm.example.com/x'), 'Screen-Pop nicht geöffnet: Die Adresse verwendet http: (nur https: wird geöffnet).');
    assert.equal(said('https://user@evil.com/x'), 'Screen-Pop nicht geöffnet: Die Adresse enthält einen Benutzernamen oder ein Passwort.');
    assert.equal(said('crm.example.com/x'), 'Screen-Pop nicht geöffnet: Die Adresse ist keine absolute URL.');
    assert.equal(said(`https://crm.example.com/${'x'.repeat(5000)}`), 'Screen-Pop nicht geöffnet: Die Adresse ist länger als 4096 Zeichen.');
  });

  const allowed = [
    'https://crm.example.com/x',
    'https://CRM.Example.COM./x',
    'https://crm.example.com:443/x',
    'https://a.support.example.org/x',
    'https://a.b.support.example.org/x',
    'https://crm.example.net:8443/x',
    'https://bücher.example/x', // IDN, compared as punycode
    'https://xn--bcher-kva.example/x',
  ];
  for (const template of allowed) {
    it(`opens ${template}`, () => assert.equal(expand(template).ok, true));
  }

  it('reads allow-list entries and refuses what is not a host', () => {
    assert.deepEqual(normaliseAllowedHost('*.Example.com'), { wildcard: true, host: 'example.com', port: '' });
    for (const bad of ['', '*', 'https://crm.example.com', 'crm.example.com/path', 'user@crm.example.com', '*.*.example.com', 'a b.com']) {
      assert.equal(normaliseAllowedHost(bad), undefined, bad);
    }
    assert.equal(hostAllowed('example.com', '', ['*.example.com']), false);
  });

  it('never throws, and an allowed URL is always https on a listed host', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string({ maxLength: 8 }), fc.string()), fc.option(fc.string()), (template, userData, caller) => {
        const out = expandScreenPop(template, call({ userData, caller: caller ?? undefined }), ['crm.example.com']);
        if (out.ok) {
          const url = new URL(out.url);
          assert.equal(url.protocol, 'https:');
          assert.equal(url.hostname, 'crm.example.com');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('when a call pops', () => {
  const start = '2026-11-21T08:00:00.000Z';
  it('pops once per call while it rings, never again for the same call', () => {
    const popper = new ScreenPopper([{ accountId: 'voice', url: 'https://crm.example.com/?p={caller}', on: 'ringing' }], ALLOWED, start);
    assert.equal(popper.decide({ 'voice/c1': call() }).length, 1);
    assert.equal(popper.decide({ 'voice/c1': call({ caller: 'changed' }) }).length, 0, 're-read');
    assert.equal(popper.decide({ 'voice/c1': call({ state: 'connected' }) }).length, 0);
    assert.equal(popper.decide({ 'other/c1': call({ key: 'other/c1', accountId: 'other' }) }).length, 0, 'an account without a template');
  });

  it('pops on answer when asked, not for a call found already connected after a restart, nor a stale one', () => {
    const popper = new ScreenPopper([{ accountId: 'voice', url: 'https://crm.example.com/', on: 'answered' }], ALLOWED, start);
    assert.equal(popper.decide({ 'voice/c1': call() }).length, 0, 'ringing');
    assert.equal(popper.decide({ 'voice/c1': call({ state: 'connected' }) }).length, 1, 'answered');
    assert.equal(popper.decide({ 'voice/c1': call({ state: 'held' }) }).length, 0);
    const old = call({ key: 'voice/c2', id: 'c2', state: 'connected', connectedAt: '2026-11-21T07:59:00.000Z' });
    assert.equal(popper.decide({ 'voice/c2': old }).length, 0, 'connected before the app started');
    const stale = call({ key: 'voice/c3', id: 'c3', state: 'connected', connectedAt: '2026-11-21T08:30:00.000Z', stale: true });
    assert.equal(popper.decide({ 'voice/c3': stale }).length, 0, 'stale');
  });

  it('names the account in a config error for a template that is not https', () => {
    assert.throws(
      () => parseConfig({ accounts: [{ id: 'voice', vendor: 'enreach', user: 'a@example.com', secretKey: 'k', screenPop: { url: 'http://crm.example.com/?p={caller}' } }] }),
      /accounts\[0\]\.screenPop\.url: must be an https:\/\/ address/,
    );
    assert.throws(() => parseConfig({ screenPop: { allowedHosts: ['https://crm.example.com'] } }), /screenPop\.allowedHosts\[0\]: must be a host name/);
    const config = parseConfig({ screenPop: { allowedHosts: ['crm.example.com'] }, accounts: [{ id: 'voice', vendor: 'enreach', user: 'a@example.com', secretKey: 'k', screenPop: { url: 'https://crm.example.com/?p={caller}' } }] });
    assert.deepEqual(config.accounts[0]!.screenPop, { url: 'https://crm.example.com/?p={caller}', on: 'ringing' });
    assert.equal(config.display.screenPop, 'auto');
    assert.equal(config.display.toasts.callsThroughDnd, true);
    assert.equal(config.display.startAtLogin, false);
  });
});
