/**
 * The agent's language (issue 19; ARCHITECTURE.md, principle 11): the locales the desk speaks, how
 * one is chosen, and the {@link Translator} that turns a message key and its parameters into text and
 * formats times, durations, numbers and lists with `Intl`. The window (`renderer/lib/i18n.svelte.ts`)
 * and the main process (`main/i18n.ts`) build on it the same way; neither writes words or formats of
 * its own.
 *
 * Messages are ICU MessageFormat, rendered by FormatJS (`@formatjs/intl` over `intl-messageformat`),
 * never glued together: `{count, plural, one {# missed call} other {# missed calls}}`,
 * `{kind, select, held {On hold} other {On a call}}`. Each locale is one flat JSON file,
 * `common/locales/<locale>.json` (`en.json` is the source; `en-XA.json` is generated from it by
 * `npm run docs`, `scripts/pseudo-locale.ts`). The window loads only the active locale's file (a lazy
 * chunk); the main process loads what it needs.
 *
 * How to…
 * - **add a message**: add the key and its English text to `common/locales/en.json` (keys are
 *   `<area>.<what>`, e.g. `calls.answer`), use it (`t('calls.answer')` in the window,
 *   `translator.t(…)` in main), add it to every other locale in the same words an agent of that
 *   market uses, and run `npm run docs` for the pseudo-locale. A key the code uses that `en.json`
 *   lacks is a type error ({@link MessageKey}); a locale that lacks a key, or whose message takes
 *   other parameters than the source's, fails `test/unit/i18n-catalogs.test.ts`.
 * - **format a time or a date**: `tr.time(iso)` ("13:05"), `tr.time(iso, { seconds: true })`,
 *   `tr.dayTime(iso, nowMs)` (the time today, the date and time on another day), `tr.date(iso, options)`.
 * - **format a duration**: `tr.duration(seconds)` is a clock ("03:12", "1:03:12" — in the locale's
 *   digits and separators); `tr.duration(seconds, 'short')` is "3 min, 12 sec" (`Intl.DurationFormat`;
 *   the main process on Node 20 loads FormatJS's polyfill, `main/i18n.ts`).
 * - **format a relative time, a number or a list**: `tr.relative(iso, nowMs)` ("in 3 min", "5 min
 *   ago"), `tr.number(n)`, `tr.list(['a', 'b'])` ("a and b"; `'or'` for "a or b").
 * - **show a platform's own word** (a state name, a reason label, a queue): pass it as a parameter,
 *   never as a key; it is shown as the server sent it.
 * - **say something from the core**: an {@link AgentMessage} (`{ key, values }`). A refusal is
 *   `CommandError.say(key, values)` (`main/desk/port.ts`): its message is the English for the log,
 *   the window says the code (`tSaid`); the main process says one with `core.language.translator`
 *   (`AgentLanguage`, `main/i18n.ts`: the window's locale, else `display.language`, else the OS's).
 *
 * Locale choice ({@link chooseLocale}): `display.language` in the settings or the managed config wins;
 * else the first of the agent's preferred languages (the OS's in the desktop app, the browser's in
 * the web host) that the desk speaks; else English. Dates and numbers follow the agent's own regional
 * variant where it is the same language (an agent whose OS says `en-GB` reads English words and
 * British dates).
 *
 * In `common/`: no Node, no DOM. It is the one file of `common/` allowed a package (`@formatjs/intl`,
 * a lint rule), and it reads the source catalog's keys as a type only.
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import type source from './locales/en.json';
import { LOCALE_INFO, SOURCE_LOCALE, PSEUDO_CLOSE, PSEUDO_OPEN, type Locale } from './locales.js';
import type { AgentActivity, PresenceWords } from './selectors.js';

export * from './locales.js';

/** A message's key: one of the source catalog's (`common/locales/en.json`); any other is a type error. */
export type MessageKey = keyof typeof source;
/** One locale's messages: every key, ICU MessageFormat text. */
export type Catalog = Readonly<Record<MessageKey, string>>;
/** The parameters of a message: ICU arguments by name (`{count}`, `{name}`, `{state, select, …}`). */
export type MessageValues = Readonly<Record<string, string | number | Date | boolean | null | undefined>>;

/**
 * Something to say to the agent as a code with its parameters (issue 19: the core says what, a host
 * says it in the agent's language with `translator.t(message.key, message.values)`; a log line says
 * it in English with the English translator).
 */
export type AgentMessage = { key: MessageKey; values?: MessageValues };

/** `Intl.NumberFormat`'s options, as FormatJS takes them. */
export type NumberOptions = Parameters<IntlShape['formatNumber']>[1];

/** A time as the desk keeps them (an ISO string, or epoch ms); anything else formats as ''. */
export type TimeInput = string | number | undefined;

/** How a duration reads: a `clock` ("03:12", "1:03:12"), or words (`short` "3 min, 12 sec", `long` "3 minutes, 12 seconds", `narrow` "3m 12s"). */
export type DurationStyle = 'clock' | 'short' | 'long' | 'narrow';

/** What both sides use to speak to the agent: messages, and `Intl` formatting in the same locale. */
export interface Translator {
  readonly locale: Locale;
  /** The tag `Intl` formats with (see {@link LocaleChoice.formatLocale}). */
  readonly formatLocale: string;
  /**
   * The message `key` with its parameters. A missing parameter or a message that does not parse
   * falls back to the source's text (never the key, never a throw).
   */
  t(key: MessageKey, values?: MessageValues): string;
  /** "13:05" (the locale's clock), or "13:05:09" with `seconds`; '' when `at` is not a time. */
  time(at: TimeInput, options?: { seconds?: boolean }): string;
  /** Any date format (`Intl.DateTimeFormat` options); '' when `at` is not a time. */
  date(at: TimeInput, options: Intl.DateTimeFormatOptions): string;
  /** The time on the day of `nowMs` (epoch ms), else the day, month and time ("12 Mar, 13:05"). */
  dayTime(at: TimeInput, nowMs: number): string;
  /** A number of seconds (negative counts as zero; whole seconds, rounded down) in `style` (default `clock`). */
  duration(seconds: number, style?: DurationStyle): string;
  /** "in 12 sec", "5 min ago", "now" — coarse (seconds, minutes, hours, days), for banners and due times. */
  relative(at: TimeInput, nowMs: number): string;
  /** A number in the locale's digits and grouping. */
  number(value: number, options?: NumberOptions): string;
  /** "a, b and c" (`and`), "a, b or c" (`or`), "a, b, c" (`unit`). */
  list(items: readonly string[], kind?: 'and' | 'or' | 'unit'): string;
}

/** What {@link createTranslator} may be told besides the locale and its catalog. */
export type TranslatorOptions = {
  /** The tag `Intl` formats with (default: the locale; the pseudo-locale formats as `en`). */
  formatLocale?: string;
  /** Messages a catalog lacks come from here (the source catalog), so a gap shows English, never a key. */
  fallback?: Partial<Catalog>;
  /** Told of a missing message or one that would not format (default: silent; tests fail on it). */
  onError?: (error: Error) => void;
};

const DAY_MS = 86_400_000;

function epochMs(at: TimeInput): number {
  if (at === undefined) return Number.NaN;
  return typeof at === 'number' ? at : Date.parse(at);
}

function pseudoWrap(text: string): string {
  return `${PSEUDO_OPEN}${text}${PSEUDO_CLOSE}`;
}

/**
 * A translator for `locale` with its `catalog`. Cheap: FormatJS memoises each message and each
 * `Intl` formatter per translator, so the window keeps one per active locale and replaces it on a switch.
 */
export function createTranslator(locale: Locale, catalog: Partial<Catalog>, options: TranslatorOptions = {}): Translator {
  const pseudo = LOCALE_INFO[locale].pseudo === true;
  const formatLocale = options.formatLocale ?? (pseudo ? SOURCE_LOCALE : locale);
  const onError = options.onError ?? (() => undefined);
  const messages: Record<string, string> = { ...options.fallback, ...catalog };
  const intl: IntlShape = createIntl(
    {
      locale: formatLocale,
      defaultLocale: formatLocale,
      messages,
      onError: (error) => onError(error),
      onWarn: () => undefined,
    },
    createIntlCache(),
  );
  // In the pseudo-locale every formatted value is marked too, so a test tells a value that went
  // through this layer from one formatted by hand.
  const mark = pseudo ? pseudoWrap : (text: string): string => text;

  const t = (key: MessageKey, values?: MessageValues): string => {
    const fallbackText = options.fallback?.[key];
    const text = intl.formatMessage({ id: key, ...(fallbackText !== undefined ? { defaultMessage: fallbackText } : {}) }, values as Record<string, string | number | boolean | Date | null | undefined>);
    return text;
  };

  const time = (at: TimeInput, opts?: { seconds?: boolean }): string => {
    const ms = epochMs(at);
    if (Number.isNaN(ms)) return '';
    return mark(intl.formatTime(ms, { hour: 'numeric', minute: '2-digit', ...(opts?.seconds ? { second: '2-digit' } : {}) }));
  };

  const date = (at: TimeInput, opts: Intl.DateTimeFormatOptions): string => {
    const ms = epochMs(at);
    return Number.isNaN(ms) ? '' : mark(intl.formatDate(ms, opts));
  };

  const dayTime = (at: TimeInput, nowMs: number): string => {
    const ms = epochMs(at);
    if (Number.isNaN(ms)) return '';
    const sameDay = new Date(ms).toDateString() === new Date(nowMs).toDateString();
    return sameDay ? time(ms) : date(ms, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
  };

  const duration = (seconds: number, style: DurationStyle = 'clock'): string => {
    const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
    const parts = { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
    if (style === 'clock') {
      return mark(intl.formatDuration(parts, { style: 'digital', hours: 'numeric', hoursDisplay: 'auto', minutes: '2-digit', seconds: '2-digit' }));
    }
    // Words leave out the zero units, but say "0 sec" for nothing at all.
    const shown = total === 0 ? { seconds: 0 } : Object.fromEntries(Object.entries(parts).filter(([, value]) => value > 0));
    return mark(intl.formatDuration(shown, { style, ...(total === 0 ? { secondsDisplay: 'always' as const } : {}) }));
  };

  const relative = (at: TimeInput, nowMs: number): string => {
    const ms = epochMs(at);
    if (Number.isNaN(ms)) return '';
    const diffSec = Math.round((ms - nowMs) / 1000);
    const abs = Math.abs(diffSec);
    const sign = diffSec < 0 ? -1 : 1;
    const options = { numeric: 'auto', style: 'short' } as const;
    if (abs < 1) return mark(intl.formatRelativeTime(0, 'second', options));
    if (abs < 60) return mark(intl.formatRelativeTime(sign * abs, 'second', options));
    if (abs < 3600) return mark(intl.formatRelativeTime(sign * Math.round(abs / 60), 'minute', options));
    if (abs < DAY_MS / 1000) return mark(intl.formatRelativeTime(sign * Math.round(abs / 3600), 'hour', options));
    return mark(intl.formatRelativeTime(sign * Math.round(abs / 86_400), 'day', options));
  };

  const number = (value: number, opts?: NumberOptions): string => mark(intl.formatNumber(value, opts));

  const list = (items: readonly string[], kind: 'and' | 'or' | 'unit' = 'and'): string =>
    items.length ? mark(intl.formatList(items, { type: kind === 'and' ? 'conjunction' : kind === 'or' ? 'disjunction' : 'unit' })) : '';

  return { locale, formatLocale, t, time, date, dayTime, duration, relative, number, list };
}

/** The message keys of the canonical presence states, so the window and the tray say them the same way. */
export const PRESENCE_KEYS = {
  ready: 'presence.ready',
  'not-ready': 'presence.not-ready',
  'wrap-up': 'presence.wrap-up',
  'do-not-disturb': 'presence.do-not-disturb',
  offline: 'presence.offline',
} as const satisfies Record<string, MessageKey>;

/** The presence words of `tr`'s language, for `presenceText` and `presenceParts` (`common/selectors.ts`). */
export function presenceWordsIn(tr: Pick<Translator, 't'>): PresenceWords {
  return { state: (state) => tr.t(PRESENCE_KEYS[state]), unknown: tr.t('presence.unknown') };
}

/**
 * What the agent is doing (`agentActivity`, `common/selectors.ts`) in the translator's language, as
 * the presence bar and the tray say it: "On a call 03:12", "2 calls ringing", "Wrap-up 00:45 left",
 * "In a chat". The English twin for logs and tests is `activityText` in `common/selectors.ts`.
 * @param nowMs the clock (epoch ms); undefined leaves the times out.
 */
export function activityTextIn(tr: Pick<Translator, 't' | 'duration'>, activity: AgentActivity, nowMs: number | undefined): string {
  const since = (iso: string | undefined): number | undefined => {
    const at = iso ? Date.parse(iso) : Number.NaN;
    return nowMs === undefined || Number.isNaN(at) ? undefined : (nowMs - at) / 1000;
  };
  const timed = (text: string, seconds: number | undefined): string => (seconds === undefined ? text : tr.t('activity.timed', { activity: text, time: tr.duration(seconds) }));
  switch (activity.kind) {
    case 'on-call':
      return timed(activity.held ? tr.t('calls.state.held') : tr.t('activity.on-call', { calls: activity.calls }), since(activity.since));
    case 'ringing':
      return tr.t('activity.ringing', { calls: activity.calls });
    case 'wrap-up': {
      if (activity.endsAt) {
        const end = Date.parse(activity.endsAt);
        return nowMs === undefined || Number.isNaN(end) ? tr.t('presence.wrap-up') : tr.t('activity.wrap-up.left', { time: tr.duration((end - nowMs) / 1000) });
      }
      return timed(tr.t('presence.wrap-up'), since(activity.startedAt));
    }
    case 'chat':
      return tr.t('activity.chat', { chats: activity.chats });
  }
}
