/**
 * The main process's side of the language layer (`common/i18n.ts`; issue 19): the catalogs, loaded
 * from `common/locales/` when a locale is first asked for, and translators over them; the locale the
 * window shows, as it reported it; and `Intl.DurationFormat` where the runtime lacks it.
 *
 * - `english` is ready at once (the tray and the toasts speak it until they follow the agent's
 *   language, and the source catalog fills any gap of another).
 * - `translatorFor(choice)` loads a locale's catalog (once) and answers a {@link Translator}: render a
 *   core code with `translator.t(code, params)`; log lines stay English and never go through it.
 * - {@link WindowLocale}: the hosts hear which locale the window chose (`reportLocale` on the
 *   contract), so what the main process says (tray, toasts, dialogs) can follow it.
 * - {@link AgentLanguage}: the translator the main process speaks with now — the window's locale,
 *   else `display.language`, else the OS's languages — and a listener for its changes (the tray
 *   re-renders at once). {@link systemLanguagesOf} reads a terminal's language from its environment.
 *
 * Node 20 (the web host's floor) has no `Intl.DurationFormat`; FormatJS's polyfill is installed here
 * when it is missing (Electron's Node and Chromium have it).
 */
import '@formatjs/intl-durationformat/polyfill.js';
import { chooseLocale, createTranslator, isLocale, SOURCE_LOCALE, type Catalog, type Locale, type LocaleChoice, type Translator } from '../common/i18n.js';
import source from '../common/locales/en.json' with { type: 'json' };

/** The source catalog (English). */
export const SOURCE_CATALOG: Catalog = source;

/** English, ready without loading anything. */
export const english: Translator = createTranslator(SOURCE_LOCALE, SOURCE_CATALOG);

const catalogs = new Map<Locale, Promise<Catalog>>([[SOURCE_LOCALE, Promise.resolve(SOURCE_CATALOG)]]);

/**
 * A locale's catalog, read once (a bundled chunk in the desktop app, the file under `tsx`).
 * @throws {Error} for a name that is not one of `LOCALES` (never reaches the file system).
 */
export function loadCatalog(locale: Locale): Promise<Catalog> {
  if (!isLocale(locale)) return Promise.reject(new Error(`"${String(locale)}" is not a locale the desk speaks`));
  let loading = catalogs.get(locale);
  if (!loading) {
    loading = import(`../common/locales/${locale}.json`, { with: { type: 'json' } }).then((module: { default: Catalog }) => module.default);
    catalogs.set(locale, loading);
  }
  return loading;
}

/** A translator for the chosen locale, the source filling any gap (`common/i18n.ts`, `chooseLocale`). */
export async function translatorFor(choice: LocaleChoice): Promise<Translator> {
  if (choice.locale === SOURCE_LOCALE && choice.formatLocale === SOURCE_LOCALE) return english;
  return createTranslator(choice.locale, await loadCatalog(choice.locale), { formatLocale: choice.formatLocale, fallback: SOURCE_CATALOG });
}

/**
 * What a host knows of the agent's language: the system's preferred languages (the desktop app:
 * Electron's `app.getPreferredSystemLanguages()`; the web host: none, the browser knows them) and
 * the locale the window shows, as it last reported it.
 */
export class WindowLocale {
  #active: Locale | undefined;
  readonly #listeners = new Set<(locale: Locale) => void>();

  /** @param systemLanguages the OS's preferred languages, most preferred first (BCP 47 tags). */
  constructor(private readonly systemLanguages: () => readonly string[] = () => []) {}

  /** The OS's preferred languages (empty where the host does not know them). */
  system(): string[] {
    try {
      return [...this.systemLanguages()];
    } catch {
      return [];
    }
  }

  /** The locale the window shows; undefined until a window reported one. */
  get active(): Locale | undefined {
    return this.#active;
  }

  /** A window says which locale it shows (after its first render and after every switch). */
  report(locale: Locale): void {
    if (locale === this.#active) return;
    this.#active = locale;
    for (const listener of this.#listeners) listener(locale);
  }

  /** Listens to the window's locale changing. Returns the unsubscribe function. */
  onChange(listener: (locale: Locale) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}

/**
 * The language the main process speaks to the agent in (the tray, the toasts, notices, the web
 * host's lines): the locale the window reported (it already weighed `display.language` and the
 * agent's languages), else `display.language`, else the OS's preferred languages, else English.
 * English until the chosen catalog has loaded (a moment, once); a catalog that cannot be loaded
 * keeps the language it has. Listeners hear each change, so the tray re-renders at once.
 */
export class AgentLanguage {
  #translator: Translator = english;
  #wanted: LocaleChoice | undefined;
  #settled: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(translator: Translator) => void>();

  /**
   * @param window the window's reported locale and the OS's languages.
   * @param configured `display.language` now (read again on each choice: the settings may change).
   */
  constructor(
    private readonly window: WindowLocale,
    private readonly configured: () => string | undefined = () => undefined,
  ) {
    window.onChange(() => void this.refresh());
    void this.refresh();
  }

  /** The translator to speak with now. */
  get translator(): Translator {
    return this.#translator;
  }

  /** Chooses again (the window reported a locale, or the settings changed); resolves once it speaks it. */
  refresh(): Promise<void> {
    const system = this.window.system();
    const choice = chooseLocale(this.window.active ?? this.configured(), system);
    const wanted = this.#wanted;
    if (wanted && wanted.locale === choice.locale && wanted.formatLocale === choice.formatLocale) return this.#settled;
    this.#wanted = choice;
    this.#settled = translatorFor(choice).then(
      (translator) => {
        if (this.#wanted !== choice || translator === this.#translator) return;
        this.#translator = translator;
        for (const listener of this.#listeners) listener(translator);
      },
      // The catalog did not load (a broken package): the language stays as it is.
      () => undefined,
    );
    return this.#settled;
  }

  /** Resolves once the latest choice is spoken (tests, and a host's first line). */
  settled(): Promise<void> {
    return this.#settled;
  }

  /** Listens to the language changing. Returns the unsubscribe function. */
  onChange(listener: (translator: Translator) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}

/**
 * A terminal's languages from its environment, most preferred first (POSIX: `LANGUAGE`'s list, then
 * `LC_ALL`, `LC_MESSAGES`, `LANG`; `de_DE.UTF-8` becomes `de-DE`; `C` and `POSIX` are no language).
 * The web host speaks its terminal lines in them when `display.language` is not set.
 */
export function systemLanguagesOf(env: NodeJS.ProcessEnv): string[] {
  const tags: string[] = [];
  const add = (value: string | undefined): void => {
    const tag = value?.split(/[.@]/)[0]?.replace(/_/g, '-');
    if (!tag || tag === 'C' || tag === 'POSIX' || tags.includes(tag)) return;
    try {
      tags.push(Intl.getCanonicalLocales(tag)[0]!);
    } catch {
      // Not a language tag: left out.
    }
  };
  for (const part of (env.LANGUAGE ?? '').split(':')) add(part);
  add(env.LC_ALL);
  add(env.LC_MESSAGES);
  add(env.LANG);
  return tags;
}
