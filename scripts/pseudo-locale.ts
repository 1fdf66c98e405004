/**
 * Writes the pseudo-locale `common/locales/en-XA.json` from the source catalog (`en.json`; issue 19):
 * every message's own words accented (a → á, e → é …) and each vowel doubled (about 40 % longer, as
 * German and Finnish run), the whole message between `[!! ` and ` !!]` (`PSEUDO_OPEN`/`PSEUDO_CLOSE`
 * in `common/locales.ts`). ICU syntax is kept as it is: arguments, plural and select keys, `#`.
 * A text on the desk without the markers did not come through the language layer (the pseudo-locale
 * e2e test, `test/e2e/pseudo-locale.test.ts`, fails on it).
 *
 * Run by `npm run docs`; `test/unit/i18n-catalogs.test.ts` fails when `en-XA.json` is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from '../common/locales.js';

const ACCENTS: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Å', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};
const VOWELS = new Set('aeiouyAEIOUY');

/** One literal run of a message, accented, its vowels doubled. */
export function pseudoText(text: string): string {
  let out = '';
  for (const char of text) {
    const accented = ACCENTS[char] ?? char;
    out += VOWELS.has(char) ? accented + accented : accented;
  }
  return out;
}

function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: pseudoText(element.value) };
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(element.options).map(([key, option]) => [key, { ...option, value: pseudoElements(option.value) }]));
      return { ...element, options } as MessageFormatElement;
    }
    if (element.type === TYPE.tag) return { ...element, children: pseudoElements(element.children) };
    return element;
  });
}

/**
 * The pseudo-locale's text of one ICU message.
 * @throws {Error} (FormatJS's `SyntaxError`) when `message` is not ICU MessageFormat.
 */
export function pseudoMessage(message: string): string {
  return `${PSEUDO_OPEN}${printAST(pseudoElements(parse(message)))}${PSEUDO_CLOSE}`;
}

/** The whole pseudo catalog for a source catalog (same keys, same order). */
export function pseudoCatalog(source: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(source).map(([key, message]) => [key, pseudoMessage(message)]));
}

/** The file's text as `npm run docs` writes it (two-space JSON and a newline). */
export function pseudoFile(source: Record<string, string>): string {
  return `${JSON.stringify(pseudoCatalog(source), null, 2)}\n`;
}

const LOCALES_DIR = new URL('../common/locales/', import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = JSON.parse(readFileSync(new URL('en.json', LOCALES_DIR), 'utf8')) as Record<string, string>;
  writeFileSync(new URL('en-XA.json', LOCALES_DIR), pseudoFile(source));
  console.log(`common/locales/en-XA.json: ${Object.keys(source).length} messages`);
}
