/**
 * The window's language layer remembers the texts it made (issue 21: formatting the same message,
 * duration or time again on every change of the desk was a tenth of the window's main thread):
 * what it remembers is always what the active language says for those parameters, and a switch of
 * language shows the new language at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import '@formatjs/intl-durationformat/polyfill.js';
import type { Catalog } from '../../common/i18n.js';
import { fmt, setCatalogLoader, t, useLocale } from '../../renderer/lib/i18n.js';

const german = JSON.parse(readFileSync(new URL('../../common/locales/de.json', import.meta.url), 'utf8')) as Catalog;
const globals = globalThis as { document?: unknown };

describe('the window remembers the texts it formats', () => {
  before(() => {
    // useLocale sets <html lang dir>; Node has no document.
    globals.document = { documentElement: {} };
    setCatalogLoader(async () => german);
  });
  after(async () => {
    await useLocale({ locale: 'en', formatLocale: 'en' });
    delete globals.document;
  });

  it('says each set of parameters as the language does, asked once or many times', () => {
    assert.equal(t('calls.missed', { count: 1 }), '1 missed call');
    assert.equal(t('calls.missed', { count: 2 }), '2 missed calls');
    assert.equal(t('calls.missed', { count: 1 }), '1 missed call');
    // A number and the same digits as text are different parameters to a plural.
    assert.equal(t('title.missed', { count: 3, app: 'Agent Companion' }), '(3) Agent Companion');
    assert.equal(t('title.missed', { count: '3', app: 'Agent Companion' }), '(3) Agent Companion');
    assert.equal(t('history.talked', { duration: 'a' }), 'talked a');
    assert.equal(t('history.talked', { duration: 'b' }), 'talked b');
  });

  it('counts whole seconds in a duration, as the translator does', () => {
    assert.equal(fmt.duration(65.9), fmt.duration(65));
    assert.notEqual(fmt.duration(66), fmt.duration(65));
    assert.equal(fmt.duration(-4), fmt.duration(0));
    assert.notEqual(fmt.duration(65, 'long'), fmt.duration(65));
  });

  it('tells a time on the same day from one on another, minute by minute', () => {
    const at = Date.parse('2026-03-12T13:05:00Z');
    const sameDay = fmt.dayTime(at, at + 60_000);
    const nextWeek = fmt.dayTime(at, at + 7 * 86_400_000);
    assert.equal(sameDay, fmt.time(at));
    assert.notEqual(nextWeek, sameDay);
  });

  it('speaks the new language the moment the agent switches', async () => {
    const english = t('calls.missed', { count: 2 });
    const talked = t('history.talked', { duration: fmt.duration(65) });
    await useLocale({ locale: 'de', formatLocale: 'de' });
    assert.equal(t('calls.missed', { count: 2 }), '2 verpasste Anrufe');
    assert.equal(t('history.talked', { duration: fmt.duration(65) }), `gesprochen ${fmt.duration(65)}`);
    await useLocale({ locale: 'en', formatLocale: 'en' });
    assert.equal(t('calls.missed', { count: 2 }), english);
    assert.equal(t('history.talked', { duration: fmt.duration(65) }), talked);
  });
});
