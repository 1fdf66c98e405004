/**
 * The locales the desk speaks and how one is chosen (issue 19): the locale table and the choice
 * from the settings and the agent's preferred languages. Apart from the translator
 * (`common/i18n.ts`) so the contract and the config read it without loading FormatJS.
 * In `common/`: no Node, no DOM, no package.
 */

/** Every locale the desk speaks, the source first; `en-XA` is the pseudo-locale tests use. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'fi', 'sv', 'ja', 'zh-CN', 'en-XA'] as const;
/** A locale the desk speaks (a BCP 47 tag). */
export type Locale = (typeof LOCALES)[number];
/** The locale every message is written in first, and the last resort of the choice. */
export const SOURCE_LOCALE: Locale = 'en';
/** The pseudo-locale: English accented, about 40 % longer, every message between {@link PSEUDO_OPEN} and {@link PSEUDO_CLOSE}. */
export const PSEUDO_LOCALE: Locale = 'en-XA';
/** The pseudo-locale's markers around every message and every formatted value. */
export const PSEUDO_OPEN = '[!! ';
export const PSEUDO_CLOSE = ' !!]';

/**
 * The locale table: each locale's name in its own language (the settings' language menu), its
 * writing direction, and whether it is the pseudo-locale (accepted by the config, left out of the menu).
 */
export const LOCALE_INFO: Readonly<Record<Locale, { name: string; dir: 'ltr' | 'rtl'; pseudo?: true }>> = {
  en: { name: 'English', dir: 'ltr' },
  de: { name: 'Deutsch', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  es: { name: 'Español', dir: 'ltr' },
  fi: { name: 'Suomi', dir: 'ltr' },
  sv: { name: 'Svenska', dir: 'ltr' },
  ja: { name: '日本語', dir: 'ltr' },
  'zh-CN': { name: '简体中文', dir: 'ltr' },
  'en-XA': { name: 'Pseudo-locale (en-XA)', dir: 'ltr', pseudo: true },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A tag's language and script, with the likely script filled in (`zh` → `zh-Hans`, `zh-TW` → `zh-Hant`); undefined for a malformed tag. */
function languageAndScript(tag: string): { language: string; script: string | undefined; region: string | undefined } | undefined {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return { language: locale.language, script: locale.script, region: locale.region };
  } catch {
    return undefined;
  }
}

/**
 * The first of `preferred` (BCP 47 tags, most preferred first) that one of the desk's locales
 * speaks: the same language in the same script (`de-AT` → `de`, `zh`/`zh-Hans`/`zh-SG` → `zh-CN`,
 * but `zh-TW`, in traditional characters, → none), the pseudo-locale only when asked by name.
 * Matching by CLDR's likely subtags (`Intl.Locale.maximize`). Undefined when none fits.
 */
export function matchLocale(preferred: readonly string[]): Locale | undefined {
  for (const tag of preferred) {
    const exact = LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const wanted = languageAndScript(tag);
    if (!wanted) continue;
    const found = LOCALES.find((locale) => {
      if (LOCALE_INFO[locale].pseudo) return false;
      const have = languageAndScript(locale);
      return have?.language === wanted.language && have.script === wanted.script;
    });
    if (found) return found;
  }
  return undefined;
}

/** The locale shown and the tag dates and numbers are formatted in. */
export type LocaleChoice = {
  locale: Locale;
  /**
   * The BCP 47 tag `Intl` formats with: the agent's own regional variant of the chosen language
   * when they prefer one (`en-GB` for English words with British dates), else the locale itself
   * (`en` for the pseudo-locale).
   */
  formatLocale: string;
};

/**
 * Chooses the desk's language: `setting` (`display.language`) when it names a locale, else the
 * first of `preferred` the desk speaks, else {@link SOURCE_LOCALE}.
 * @param preferred the agent's languages, most preferred first (Electron's
 *   `app.getPreferredSystemLanguages()`, the browser's `navigator.languages`).
 */
export function chooseLocale(setting: string | undefined, preferred: readonly string[]): LocaleChoice {
  const locale = isLocale(setting) ? setting : (matchLocale(preferred) ?? SOURCE_LOCALE);
  return { locale, formatLocale: formatLocaleFor(locale, preferred) };
}

function formatLocaleFor(locale: Locale, preferred: readonly string[]): string {
  if (LOCALE_INFO[locale].pseudo) return SOURCE_LOCALE;
  const own = languageAndScript(locale);
  for (const tag of preferred) {
    const wanted = languageAndScript(tag);
    if (!wanted || wanted.language !== own?.language || wanted.script !== own.script) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? locale;
    } catch {
      return locale;
    }
  }
  return locale;
}
