/**
 * Why an account is reconnecting or failed, as the agent reads it (issue 19, item 2): the kit turns
 * every connector's error into a code with parameters (`main/vendors/kit/reasons.ts`) that the window
 * says in the agent's language, the server's or connector's own words kept as `detail`, as sent; a
 * connector's own code wins. The log keeps the English (`reason`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES } from '../../common/locales.js';
import { createTranslator } from '../../common/i18n.js';
import { ConnectionError } from '../../main/desk/port.js';
import { loadCatalog } from '../../main/i18n.js';
import { connectionReason } from '../../main/vendors/kit/reasons.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('an account’s reason as a code', () => {
  it('says a server that cannot be reached, one that did not answer in time, and an HTTP error status, whatever the platform wrapped them in', () => {
    const refused = new ConnectionError('the real-time service cannot be reached', false, { cause: new TypeError('fetch failed', { cause: withCode('connect ECONNREFUSED 10.0.0.5:443', 'ECONNREFUSED') }) });
    assert.deepEqual(connectionReason(refused), { key: 'accounts.reason.unreachable', values: { detail: 'the real-time service cannot be reached' } });
    assert.equal(connectionReason(withCode('getaddrinfo ENOTFOUND pbx.example.com', 'ENOTFOUND')).key, 'accounts.reason.unreachable');
    assert.equal(connectionReason(new ConnectionError('no answer', false, { cause: withCode('timeout', 'UND_ERR_CONNECT_TIMEOUT') })).key, 'accounts.reason.no-answer');
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    assert.equal(connectionReason(timeout).key, 'accounts.reason.no-answer');
    const status = new ConnectionError('the server is not answering properly (HTTP 503 on /users/me); retrying', false, { cause: Object.assign(new Error('HTTP 503'), { status: 503 }) });
    assert.deepEqual(connectionReason(status), { key: 'accounts.reason.status', values: { status: 503, detail: 'the server is not answering properly (HTTP 503 on /users/me); retrying' } });
  });

  it('says a refused token that a fresh sign-in may cure, and what needs a person or is only lost, with the words as sent', () => {
    assert.equal(connectionReason(new ConnectionError('token expired (HTTP 401)', false, { unauthorized: true })).key, 'accounts.reason.unauthorized');
    assert.deepEqual(connectionReason(new ConnectionError('the licence was refused', true)), { key: 'accounts.reason.failed', values: { detail: 'the licence was refused' } });
    assert.deepEqual(connectionReason(new Error('socket hang up')), { key: 'accounts.reason.lost', values: { detail: 'socket hang up' } });
  });

  it('keeps the code a connector gave, and says it in German with the server’s words untouched', async () => {
    const said = { key: 'accounts.reason.sign-in-refused', values: { user: '1001', detail: 'Invalid credentials' } } as const;
    const error = new ConnectionError('refused to sign in agent 1001: Invalid credentials', true, { said });
    assert.deepEqual(connectionReason(error), said);
    const de = createTranslator('de', await loadCatalog('de'));
    assert.equal(de.t(said.key, said.values), 'Der Server hat die Anmeldung von 1001 abgelehnt: Invalid credentials – prüfen Sie Agenten-ID und Passwort in den Kontoeinstellungen.');
    const missing = ConnectionError.say('accounts.reason.no-secret', { user: 'agent@example.com' }, true);
    assert.equal(missing.message, 'No password is set for agent@example.com — check the account settings.', 'the English for the log');
    assert.equal(missing.fatal, true);
  });

  it('has every reason in every locale, with its parameters', async () => {
    for (const locale of LOCALES) {
      const catalog = await loadCatalog(locale);
      for (const key of ['accounts.reason.unreachable', 'accounts.reason.status', 'accounts.notice.presence-elsewhere'] as const) {
        const text = createTranslator(locale, catalog).t(key, { detail: 'D-E-T', status: 503, tool: 'T-O-O-L' });
        assert.match(text, key === 'accounts.reason.status' ? /503.*D-E-T|D-E-T.*503/s : /D-E-T|T-O-O-L/, `${locale} ${key}`);
      }
    }
  });
});
