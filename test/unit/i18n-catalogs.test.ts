/**
 * The language layer (issue 19): every locale has every message, each parses as ICU MessageFormat
 * with the source's parameters, the pseudo-locale is up to date, the choice of locale follows the
 * settings and the agent's languages, and the translator formats as each market reads it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import '@formatjs/intl-durationformat/polyfill.js';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { chooseLocale, createTranslator, LOCALES, PSEUDO_CLOSE, PSEUDO_OPEN, type Catalog, type Locale } from '../../common/i18n.js';
import { parseConfig } from '../../main/config.js';
import { AgentLanguage, systemLanguagesOf, WindowLocale } from '../../main/i18n.js';
import { pseudoFile } from '../../scripts/pseudo-locale.js';

const DIR = new URL('../../common/locales/', import.meta.url);
const read = (locale: Locale): Record<string, string> => JSON.parse(readFileSync(new URL(`${locale}.json`, DIR), 'utf8')) as Record<string, string>;
const source = read('en');
const catalogs = Object.fromEntries(LOCALES.map((locale) => [locale, read(locale)])) as Record<Locale, Record<string, string>>;

/** A message's parameters as `name:kind` (plural and select with their option keys), sorted. */
function parameters(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        into.add(`${element.value}:text`);
        break;
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${TYPE[element.type]}`);
        break;
      case TYPE.select:
        into.add(`${element.value}:select(${Object.keys(element.options).sort().join('|')})`);
        for (const option of Object.values(element.options)) parameters(option.value, into);
        break;
      case TYPE.plural:
        into.add(`${element.value}:plural`);
        assert.ok('other' in element.options, `a plural of {${element.value}} without "other"`);
        for (const option of Object.values(element.options)) parameters(option.value, into);
        break;
      case TYPE.tag:
        parameters(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

const sorted = (set: Set<string>): string[] => [...set].sort();

describe('the catalogs', () => {
  it('has the source catalog with messages', () => {
    assert.ok(Object.keys(source).length > 100, `en.json has ${Object.keys(source).length} messages`);
  });

  for (const locale of LOCALES) {
    it(`${locale} has every message of the source and no other`, () => {
      const keys = Object.keys(catalogs[locale]);
      const missing = Object.keys(source).filter((key) => !(key in catalogs[locale]));
      const extra = keys.filter((key) => !(key in source));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      const empty = keys.filter((key) => catalogs[locale][key]!.trim() === '');
      assert.deepEqual(empty, [], `${locale} has empty messages`);
    });

    it(`${locale}'s messages parse and take the source's parameters`, () => {
      const wrong: string[] = [];
      for (const [key, message] of Object.entries(catalogs[locale])) {
        const want = sorted(parameters(parse(source[key] ?? '')));
        let have: string[];
        try {
          have = sorted(parameters(parse(message)));
        } catch (error) {
          wrong.push(`${key}: does not parse (${String(error)})`);
          continue;
        }
        if (JSON.stringify(have) !== JSON.stringify(want)) wrong.push(`${key}: takes ${have.join(', ') || 'nothing'}, the source ${want.join(', ') || 'nothing'}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('keeps the pseudo-locale up to date with the source (npm run docs writes it)', () => {
    assert.equal(readFileSync(new URL('en-XA.json', DIR), 'utf8'), pseudoFile(source), 'common/locales/en-XA.json is stale: run npm run docs');
  });

  it('writes the translations apart from the source (no locale is English copied)', () => {
    for (const locale of LOCALES.filter((l) => l !== 'en' && l !== 'en-XA')) {
      const same = Object.keys(source).filter((key) => catalogs[locale][key] === source[key] && /[a-z]{4,}/.test(source[key]!));
      // A few words are the same in a language (Offline, Chat, Pause); most are not.
      assert.ok(same.length < Object.keys(source).length * 0.1, `${locale} repeats English in ${same.length} messages: ${same.slice(0, 8).join(', ')}`);
    }
  });
});

describe('choosing the language', () => {
  it('takes display.language over the agent’s languages', () => {
    assert.equal(chooseLocale('fi', ['de-DE', 'en']).locale, 'fi');
  });

  it('takes the first preferred language the desk speaks, in its script', () => {
    assert.deepEqual(chooseLocale(undefined, ['pt-BR', 'de-AT', 'en']), { locale: 'de', formatLocale: 'de-AT' });
    assert.equal(chooseLocale(undefined, ['zh']).locale, 'zh-CN');
    assert.equal(chooseLocale(undefined, ['zh-SG']).locale, 'zh-CN');
    // Traditional Chinese is another script: not zh-CN, English instead.
    assert.equal(chooseLocale(undefined, ['zh-TW']).locale, 'en');
    assert.equal(chooseLocale(undefined, ['sv-FI', 'fi']).locale, 'sv');
    assert.equal(chooseLocale(undefined, []).locale, 'en');
  });

  it('formats dates in the agent’s own regional English', () => {
    assert.deepEqual(chooseLocale(undefined, ['en-GB']), { locale: 'en', formatLocale: 'en-GB' });
  });

  it('never chooses the pseudo-locale unless asked by name', () => {
    assert.equal(chooseLocale(undefined, ['en-XA']).locale, 'en-XA');
    assert.equal(chooseLocale(undefined, ['en-US']).locale, 'en');
  });

  it('refuses an unknown display.language in the config and names the locales', () => {
    assert.throws(() => parseConfig({ display: { language: 'klingon' } }), (error: Error) => {
      assert.match(error.message, /display\.language/);
      for (const locale of ['en', 'de', 'fr', 'es', 'fi', 'sv', 'ja', 'zh-CN']) assert.ok(error.message.includes(`"${locale}"`), `${locale} is named`);
      return true;
    });
    assert.equal(parseConfig({ display: { language: 'ja' } }).display.language, 'ja');
    assert.equal(parseConfig({}).display.language, undefined);
  });
});

describe('the main process’s language', () => {
  it('speaks the window’s locale, else display.language, else the OS’s languages, and says when it changes', async () => {
    const window = new WindowLocale(() => ['sv-SE']);
    let configured: string | undefined = 'de';
    const language = new AgentLanguage(window, () => configured);
    const heard: string[] = [];
    language.onChange((tr) => heard.push(tr.locale));
    await language.settled();
    assert.equal(language.translator.t('tray.quit'), 'Beenden', 'display.language before any window reported');
    configured = undefined;
    await language.refresh();
    assert.equal(language.translator.t('tray.quit'), 'Avsluta', 'the OS’s language when nothing is set');
    window.report('ja');
    await language.settled();
    assert.equal(language.translator.t('tray.quit'), '終了', 'the window’s locale wins');
    assert.deepEqual(heard, ['de', 'sv', 'ja']);
  });

  it('reads a terminal’s languages from its environment (the web host’s lines)', () => {
    assert.deepEqual(systemLanguagesOf({ LANG: 'de_DE.UTF-8' }), ['de-DE']);
    assert.deepEqual(systemLanguagesOf({ LANGUAGE: 'fi:sv', LANG: 'en_US.UTF-8' }), ['fi', 'sv', 'en-US']);
    assert.deepEqual(systemLanguagesOf({ LC_ALL: 'C', LANG: 'POSIX' }), []);
    assert.deepEqual(systemLanguagesOf({ LANG: 'zh_CN.GB18030@pinyin' }), ['zh-CN']);
  });
});

describe('the translator', () => {
  const tr = (locale: Locale, formatLocale?: string) =>
    createTranslator(locale, catalogs[locale] as Catalog, { fallback: source as Catalog, ...(formatLocale ? { formatLocale } : {}) });

  it('says plurals in each language’s forms', () => {
    assert.equal(tr('en').t('calls.missed', { count: 1 }), '1 missed call');
    assert.equal(tr('en').t('calls.missed', { count: 3 }), '3 missed calls');
    assert.equal(tr('de').t('calls.missed', { count: 1 }), '1 verpasster Anruf');
    assert.equal(tr('de').t('calls.missed', { count: 3 }), '3 verpasste Anrufe');
  });

  it('says the presence states in the market’s words', () => {
    assert.equal(tr('de').t('presence.wrap-up'), 'Nachbearbeitung');
    assert.equal(tr('ja').t('presence.wrap-up'), '後処理');
  });

  it('formats durations as a clock and in words', () => {
    assert.equal(tr('en').duration(192), '03:12');
    assert.equal(tr('en').duration(3792), '1:03:12');
    assert.equal(tr('en').duration(-5), '00:00');
    assert.equal(tr('en').duration(192, 'long'), '3 minutes, 12 seconds');
    assert.equal(tr('de').duration(192, 'long'), '3 Minuten, 12 Sekunden');
  });

  it('formats relative times, numbers and lists', () => {
    const now = Date.parse('2026-03-12T12:00:00Z');
    assert.equal(tr('en').relative('2026-03-12T11:55:00Z', now), '5 min. ago');
    assert.equal(tr('de').relative('2026-03-12T12:03:00Z', now), 'in 3 Min.');
    assert.equal(tr('de').number(1234.5), '1.234,5');
    assert.equal(tr('en').list(['Sales', 'Support', 'Billing']), 'Sales, Support, and Billing');
    assert.equal(tr('de').list(['Sales', 'Support']), 'Sales und Support');
    assert.equal(tr('ja').list(['A', 'B']), 'A、B');
  });

  it('marks every message and every formatted value in the pseudo-locale', () => {
    const pseudo = tr('en-XA');
    for (const text of [pseudo.t('presence.ready'), pseudo.duration(5), pseudo.number(3), pseudo.time('2026-03-12T12:00:00Z')]) {
      assert.ok(text.startsWith(PSEUDO_OPEN) && text.endsWith(PSEUDO_CLOSE), text);
    }
    // About 40 % longer than English, as German and Finnish run.
    const en = Object.values(source).join('').length;
    const xa = Object.values(catalogs['en-XA']).join('').length;
    assert.ok(xa > en * 1.3, `en-XA is ${Math.round((xa / en - 1) * 100)} % longer`);
  });

  it('falls back to English for a gap, never to the key', () => {
    const partial = createTranslator('de', {}, { fallback: source as Catalog });
    assert.equal(partial.t('presence.ready'), 'Ready');
  });
});
