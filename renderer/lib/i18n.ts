/**
 * The window's language (issue 19): the active {@link Translator}, reactive, so every
 * component that calls {@link t} (or a formatter below) re-renders in the new language the moment
 * the agent switches, without a reload. Built on `common/i18n.ts` (messages in ICU MessageFormat,
 * `Intl` formatting), which says how to add a message.
 *
 * - English (the source) is in the first bundle; every other locale is its own lazy chunk
 *   (`locale-chunks.ts`), loaded when chosen, so the window carries only the active language.
 * - The choice ({@link startLanguage}): the language the window showed last (localStorage), so it
 *   starts in it without a flash of English; then `display.language` or the system's preferred
 *   languages from the host (`desk.getLanguage()`) and the browser's own (`navigator.languages`).
 * - `<html lang>` and `dir` follow the active locale, so a screen reader pronounces it; the host
 *   hears it (`desk.reportLocale`) so the tray and the toasts can follow.
 *
 * Usage in a component: `import { t, fmt } from '../lib/i18n.js'`, then `{t('calls.answer')}`,
 * `{t('calls.missed', { count })}`, `{fmt.time(call.startedAt)}`, `{fmt.duration(seconds)}`.
 */
import {
  chooseLocale,
  createTranslator,
  isLocale,
  LOCALE_INFO,
  SOURCE_LOCALE,
  type Catalog,
  type Locale,
  type LocaleChoice,
  type MessageKey,
  type MessageValues,
  type Translator,
} from '../../common/i18n.js';
import source from '../../common/locales/en.json' with { type: 'json' };
import type { DeskApi } from '../../preload/bridge.js';

/** The source catalog (English), in the first bundle: the first render and the fallback of every other locale. */
const SOURCE: Catalog = source;

/**
 * Loads a locale's catalog (a lazy chunk); registered by the entry (`main.ts`, from
 * `locale-chunks.ts`), so this module also runs where Vite does not (unit tests under Node).
 */
export type CatalogLoader = (locale: Locale) => Promise<Catalog>;
let loader: CatalogLoader | undefined;

/** Tells the layer where the other locales' catalogs come from (the entry calls it once). */
export function setCatalogLoader(load: CatalogLoader): void {
  loader = load;
}

const STORAGE_KEY = 'agent-companion.locale';

/**
 * Where the active translator lives: a plain variable until the entry installs a reactive one
 * (`useReactiveCell`, with `i18n-state.svelte.ts`: Svelte state, so every component and derived
 * value that read it re-renders on a switch). Plain here so this module also runs under Node.
 */
export interface TranslatorCell {
  get(): Translator;
  set(translator: Translator): void;
}

function plainCell(initial: Translator): TranslatorCell {
  let value = initial;
  return {
    get: () => value,
    set: (next) => {
      value = next;
    },
  };
}

let cell: TranslatorCell = plainCell(createTranslator(SOURCE_LOCALE, SOURCE));

/** Moves the active translator into a reactive cell (the entry calls it once, before mounting). */
export function useReactiveCell(make: (initial: Translator) => TranslatorCell): void {
  cell = make(cell.get());
}

/** The active translator; read in a component or a derived value, it re-renders them on a switch. */
function active(): Translator {
  return remembering(cell.get());
}

/**
 * How many texts a translator remembers in one generation; past it, a new generation starts and the
 * one before the last is forgotten, so the texts in use stay and those of calls long gone leave (a
 * window shows a few hundred distinct texts at a time; every call that comes brings a few new ones) [I].
 */
const REMEMBERED_MAX = 4_000;
const rememberingOf = new WeakMap<Translator, Translator>();

/**
 * `translator` with the texts it made remembered, so the same message with the same parameters,
 * the same duration or the same time is formatted once (issue 21: FormatJS merges its formats and
 * looks up its memoised `Intl` formatter on every call — 9 % of the agent's desk's main thread at
 * 1 000 events/s went to `formatDuration` and `formatMessage`, the same few texts again and again).
 * Only parameters that are strings, numbers, booleans or absent are remembered; a `Date` or an
 * object formats each time. A translator is immutable (a switch makes a new one), so what it
 * remembered stays true; the window's time zone is taken as fixed while it runs [I].
 */
function remembering(translator: Translator): Translator {
  const known = rememberingOf.get(translator);
  if (known) return known;
  let texts = new Map<string, string>();
  let older = new Map<string, string>();
  /** Messages without parameters, by key (labels read them on every render). */
  const plain = new Map<string, string>();
  const remember = (key: string, make: () => string): string => {
    const text = texts.get(key);
    if (text !== undefined) return text;
    const made = older.get(key) ?? make();
    if (texts.size >= REMEMBERED_MAX) {
      older = texts;
      texts = new Map();
    }
    texts.set(key, made);
    return made;
  };
  /** Identities of the date options objects seen (a component passes the same constant each time). */
  const dateOptions = new WeakMap<Intl.DateTimeFormatOptions, number>();
  let optionsSeen = 0;
  const optionsId = (options: Intl.DateTimeFormatOptions): number => {
    let id = dateOptions.get(options);
    if (id === undefined) dateOptions.set(options, (id = ++optionsSeen));
    return id;
  };
  const made: Translator = {
    locale: translator.locale,
    formatLocale: translator.formatLocale,
    t: (key, values) => {
      if (!values) {
        let text = plain.get(key);
        if (text === undefined) plain.set(key, (text = translator.t(key)));
        return text;
      }
      let id = `t\u0000${key}`;
      for (const name in values) {
        const value = values[name];
        const kind = typeof value;
        if (value !== undefined && value !== null && kind !== 'string' && kind !== 'number' && kind !== 'boolean') return translator.t(key, values);
        id += `\u0000${name}\u0001${kind[0]}${String(value)}`;
      }
      return remember(id, () => translator.t(key, values));
    },
    duration: (seconds, style = 'clock') => {
      // The translator counts whole seconds, rounded down, negative as zero: so does the key.
      const whole = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
      return remember(`d\u0000${style}\u0000${whole}`, () => translator.duration(whole, style));
    },
    time: (at, options) => remember(`h\u0000${typeof at}${String(at)}\u0000${options?.seconds === true}`, () => translator.time(at, options)),
    date: (at, options) => remember(`D\u0000${optionsId(options)}\u0000${typeof at}${String(at)}`, () => translator.date(at, options)),
    // Whether `at` is on the day of `nowMs` is the same all minute long (time zones are whole minutes off UTC).
    dayTime: (at, nowMs) => remember(`y\u0000${typeof at}${String(at)}\u0000${Math.floor(nowMs / 60_000)}`, () => translator.dayTime(at, nowMs)),
    relative: (at, nowMs) => translator.relative(at, nowMs),
    number: (value, options) => (options ? translator.number(value, options) : remember(`n\u0000${value}`, () => translator.number(value))),
    list: (items, kind = 'and') => remember(`l\u0000${kind}\u0000${items.join('\u0000')}`, () => translator.list(items, kind)),
  };
  rememberingOf.set(translator, made);
  return made;
}

/** Catalogs already loaded, by locale. */
const loaded = new Map<Locale, Catalog>([[SOURCE_LOCALE, SOURCE]]);

/**
 * A locale's catalog: the source at once, any other from its chunk (once).
 * @throws {Error} when the chunk cannot be loaded (the caller keeps the language it has).
 */
async function catalogOf(locale: Locale): Promise<Catalog> {
  const known = loaded.get(locale);
  if (known) return known;
  if (!loader) throw new Error(`no catalog loader for ${locale}`);
  const catalog = await loader(locale);
  loaded.set(locale, catalog);
  return catalog;
}

/** The message `key` in the active language, with its ICU parameters (reactive: re-read on a switch). */
export function t(key: MessageKey, values?: MessageValues): string {
  return active().t(key, values);
}

/**
 * The active language's `Intl` formatting (reactive): `fmt.time(iso)`, `fmt.duration(seconds)`,
 * `fmt.relative(iso, nowMs)`, `fmt.dayTime(iso, nowMs)`, `fmt.number(n)`, `fmt.list(items)`; see
 * {@link Translator} for each one's shapes.
 */
export const fmt: Omit<Translator, 't' | 'locale' | 'formatLocale'> = {
  time: (at, options) => active().time(at, options),
  date: (at, options) => active().date(at, options),
  dayTime: (at, nowMs) => active().dayTime(at, nowMs),
  duration: (seconds, style) => active().duration(seconds, style),
  relative: (at, nowMs) => active().relative(at, nowMs),
  number: (value, options) => active().number(value, options),
  list: (items, kind) => active().list(items, kind),
};

/** The locale the window shows now (reactive). */
export function activeLocale(): Locale {
  return active().locale;
}

/**
 * Shows `choice` from now on: loads its catalog, swaps the translator (every `t()` re-renders), sets
 * `<html lang dir>`, remembers it for the next start and tells the host. A catalog that cannot be
 * loaded leaves the language as it is (and says so in the console).
 */
export async function useLocale(choice: LocaleChoice, desk?: Pick<DeskApi, 'reportLocale'>): Promise<void> {
  let catalog: Catalog;
  try {
    catalog = await catalogOf(choice.locale);
  } catch (error) {
    console.error(`Agent Companion: the ${choice.locale} messages did not load`, error);
    return;
  }
  const now = cell.get();
  if (now.locale !== choice.locale || now.formatLocale !== choice.formatLocale) {
    cell.set(createTranslator(choice.locale, catalog, { formatLocale: choice.formatLocale, fallback: SOURCE }));
  }
  document.documentElement.lang = choice.locale;
  document.documentElement.dir = LOCALE_INFO[choice.locale].dir;
  try {
    localStorage.setItem(STORAGE_KEY, choice.locale);
  } catch {
    // Storage may be unavailable (private mode); the language still holds for this window.
  }
  void desk?.reportLocale(choice.locale).catch(() => undefined);
}

/** The browser's preferred languages (the web host's only source; in Electron the OS's as Chromium knows them). */
function browserLanguages(): string[] {
  return [...(navigator.languages ?? []), navigator.language].filter((tag): tag is string => typeof tag === 'string' && tag !== '');
}

/**
 * The window's first language, before anything is mounted: the one it showed last (so a German desk
 * starts German), else the browser's preferred languages. Resolves once that catalog is loaded.
 */
export async function startLanguage(): Promise<void> {
  let remembered: string | null;
  try {
    remembered = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be unavailable (private mode): the browser's languages choose.
    remembered = null;
  }
  await useLocale(chooseLocale(isLocale(remembered) ? remembered : undefined, browserLanguages()));
}

/**
 * Follows the host: asks `desk.getLanguage()` for `display.language` and the system's preferred
 * languages and switches when they choose another locale than the one shown; call it at start and
 * after the settings are saved. A host that does not answer leaves the language as it is.
 */
export async function followHost(desk: Pick<DeskApi, 'getLanguage' | 'reportLocale'>): Promise<void> {
  let answer: Awaited<ReturnType<DeskApi['getLanguage']>>;
  try {
    answer = await desk.getLanguage();
  } catch {
    return;
  }
  await useLocale(chooseLocale(answer.language, [...answer.system, ...browserLanguages()]), desk);
}

/**
 * What the host said as a code with parameters (a refusal, `SaidMessage`), in the active language;
 * `english` (the host's own text) when the code is not one this window knows (an older window).
 */
export function tSaid(said: { key: string; values?: MessageValues } | undefined, english: string): string {
  if (!said || !Object.hasOwn(SOURCE, said.key)) return english;
  return active().t(said.key as MessageKey, said.values);
}

/**
 * `t(key, values)` for a message whose `literals` are parameters it puts in as they are, as plain
 * `{name}` (a caller's number, a person's or an account's name; never one a `select` or `plural`
 * reads): the rest of the sentence is formatted once for the other values and remembered, and each
 * literal is set in its place (a locale's message that does not put each in once is formatted
 * whole). A call's label names its caller, and formatting it again for every call that rang was
 * 1 % of the window's main thread at 40 calls a second (issue 21).
 */
export function tPlain<V extends MessageValues>(key: MessageKey, values: V, literals: ReadonlyArray<keyof V & string>): string {
  const tokens: Record<string, MessageValues[string]> = { ...values };
  literals.forEach((name, i) => (tokens[name] = `\uE000${i}\uE001`));
  const text = active().t(key, tokens);
  let found = 0;
  const made = text.replace(/\uE000(\d+)\uE001/g, (_, i: string) => {
    found += 1;
    return String(values[literals[Number(i)]!] ?? '');
  });
  // A locale that reads a literal (a select on it) or leaves it out: formatted whole, as t() would.
  return found === literals.length ? made : active().t(key, values);
}

/** A piece of a message as {@link tParts} splits it: its own text, or the value of one parameter (`param`). */
export type MessagePart = { text: string; param?: string };

/**
 * The message `key` in pieces, so a component can set a parameter apart (bold, another style,
 * `translate="no"`) without gluing the sentence together itself: each parameter's place comes from the
 * locale's own word order. `[{ text: 'Allow ' }, { text: 'Acme CRM', param: 'name' }, { text: '?' }]`.
 */
export function tParts(key: MessageKey, values: Readonly<Record<string, string>>): MessagePart[] {
  const names = Object.keys(values);
  const tokens = Object.fromEntries(names.map((name, i) => [name, `\uE000${i}\uE001`]));
  const text = active().t(key, tokens);
  const parts: MessagePart[] = [];
  let last = 0;
  for (const match of text.matchAll(/\uE000(\d+)\uE001/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    const name = names[Number(match[1])]!;
    parts.push({ text: values[name]!, param: name });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * What the core said as a code (`Said`: an account's reason or notice) in pieces, as {@link tParts}
 * splits them: each parameter (a server's words, a user id, a status) set apart so the component shows
 * it as sent (`translate="no"`). A code this window does not know gives the core's `english` whole, as a parameter.
 */
export function saidParts(said: { key: string; values?: Readonly<Record<string, string | number>> } | undefined, english: string): MessagePart[] {
  if (!said || !Object.hasOwn(SOURCE, said.key)) return [{ text: english, param: 'english' }];
  const values = Object.fromEntries(Object.entries(said.values ?? {}).map(([name, value]) => [name, String(value)]));
  return tParts(said.key as MessageKey, values);
}

/** The translator itself (for code outside components that formats once, e.g. the window title). */
export function translator(): Translator {
  return active();
}

/**
 * A table of labels by code whose values are read in the active language each time (reactive):
 * `const OUTCOME_LABELS = labels({ missed: 'history.outcome.missed', … })`, then `OUTCOME_LABELS.missed`.
 */
export function labels<K extends string>(keys: Readonly<Record<K, MessageKey>>): Readonly<Record<K, string>> {
  const table = {} as Record<K, string>;
  for (const code of Object.keys(keys) as K[]) {
    Object.defineProperty(table, code, { enumerable: true, get: () => active().t(keys[code]) });
  }
  return table;
}
