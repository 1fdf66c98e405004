/**
 * The configuration of one NEC UNIVERGE 3C account (the "3C Event" adapter, v2.0.11).
 *
 * Sources: the document `vendor-docs/3c-event-adapter.txt`, "Properties" (`serveruri`, `username`,
 * `password`, each at most 1024 characters; the user name in UPN format "eg : test@domain"; the
 * server URI "like https://serverdnsname/SphericallService") and "Start Monitoring Terminals"
 * (`addressvalue`, `addresstype` "e.g. ext"); VENDOR-NOTES.md, 3C section [C]. The adapter link's
 * URL is the wire contract's [I] (`contract.ts`).
 *
 * The three lists (own terminals, colleagues, colleagues' terminals) are kept in the config exactly
 * as written — a line of text (what the settings screen writes) or a JSON array — and read into
 * their structured form by {@link terminalsOf}, {@link colleaguesOf} and {@link colleagueTerminalsOf};
 * the schema checks every item, naming the item that is wrong.
 */
import { z } from 'zod';
import { accountSchemaOf, secretField, type SecretsOf } from '../kit/platform.js';

/** The document's maximum length of each adapter property (`serveruri`, `username`, `password`). */
export const PROPERTY_MAX_LENGTH = 1024;

/** The address type of a terminal written without one (the document's example type, "e.g. ext"). */
export const DEFAULT_ADDRESS_TYPE = 'ext';

/** A terminal as the document's monitoring commands name it: `{addressvalue, addresstype}`. */
export interface ThreecTerminal {
  /** "The unique identifiable address that provides callable identity for the terminal", e.g. `1001`. */
  addressvalue: string;
  /** "The address type (e.g. ext) for the terminal." */
  addresstype: string;
}

/** A colleague's terminal, watched for a busy lamp, with the colleague (user name) it belongs to. */
export interface ColleagueTerminal {
  username: string;
  terminal: ThreecTerminal;
}

/**
 * A user name in UPN format, as the document asks (`test@domain`: one `@`, something on each side,
 * no spaces; the domain need not contain a dot). At most 1024 characters.
 */
export const upnSchema = z
  .string()
  .trim()
  .max(PROPERTY_MAX_LENGTH, `must be at most ${PROPERTY_MAX_LENGTH} characters`)
  .regex(/^[^@\s]+@[^@\s]+$/, 'must be a user name in UPN format, e.g. agent@domain');

const ITEM = /^(\S+?)(?:\s*\(\s*([A-Za-z0-9_.:-]+)\s*\))?$/;

/**
 * Reads one terminal written as text: `1001` (type {@link DEFAULT_ADDRESS_TYPE}) or `1001 (ext)`.
 * @returns the terminal, or a message saying what is wrong.
 */
export function parseTerminalText(text: string): ThreecTerminal | string {
  const match = ITEM.exec(text.trim());
  if (!match || !match[1]) return `"${text.trim()}" is not an address: write 1001 or 1001 (ext)`;
  return { addressvalue: match[1], addresstype: match[2] ?? DEFAULT_ADDRESS_TYPE };
}

/**
 * Reads one colleague terminal written as text: `bob@domain = 1002` or `bob@domain = 1002 (ext)`
 * (our syntax [I]; the owner is a UPN as the document's `username`).
 * @returns the terminal and its owner, or a message saying what is wrong.
 */
export function parseColleagueTerminalText(text: string): ColleagueTerminal | string {
  const eq = text.indexOf('=');
  if (eq < 0) return `"${text.trim()}" must name its colleague: bob@domain = 1002`;
  const username = text.slice(0, eq).trim();
  if (!upnSchema.safeParse(username).success) return `"${username}" must be a user name in UPN format, e.g. bob@domain`;
  const terminal = parseTerminalText(text.slice(eq + 1));
  return typeof terminal === 'string' ? terminal : { username, terminal };
}

/** Splits a list written as text: items separated by commas, semicolons or line breaks. */
function splitText(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

const terminalObject = z.strictObject({
  addressvalue: z.string().trim().min(1, 'must not be empty'),
  addresstype: z.string().trim().min(1, 'must not be empty').default(DEFAULT_ADDRESS_TYPE),
});
const colleagueTerminalObject = terminalObject.extend({ username: upnSchema });

/**
 * A list field: a line of text (items separated by commas) or a JSON array of items, each item
 * text or an object. Kept as written; `readText` reads each text item and returns a string only to
 * say what is wrong with it; the issues name the bad items.
 */
function listField<Item extends z.ZodType>(item: Item, readText: (text: string) => unknown) {
  return z.union([z.string(), z.array(z.union([z.string(), item]))]).superRefine((value, ctx) => {
    const items = typeof value === 'string' ? splitText(value) : value;
    items.forEach((entry, i) => {
      if (typeof entry !== 'string') return; // objects were checked by their schema
      const read = readText(entry);
      if (typeof read === 'string') ctx.addIssue({ code: 'custom', message: read, path: typeof value === 'string' ? [] : [i] });
    });
  });
}

/**
 * The fields of a 3C account (besides `id`, `label`, `enabled`, `vendor`):
 * - `linkUrl`: the adapter link, `ws://` or `wss://` [I] (contract.ts);
 * - `serveruri`: the 3C Server URI, http(s), ≤ 1024 characters (document, "Properties");
 * - `username`: UPN, ≤ 1024 characters (document); `password`: the user's password (a secret;
 *   its 1024-character limit is checked when it is resolved, see the connector);
 * - `terminals`: the agent's own terminals (calls on them are the agent's calls), e.g.
 *   `"1001, 1002 (ext)"` or `[{"addressvalue": "1001", "addresstype": "ext"}]`;
 * - `colleagues`: user names whose presence the Team section shows, e.g. `"bob@domain, carol@domain"`;
 * - `colleagueTerminals`: for supervisors, colleagues' terminals whose calls light the colleague's
 *   busy lamp, e.g. `"bob@domain = 1002"` or `[{"username": "bob@domain", "addressvalue": "1002"}]`;
 *   their colleague is watched too.
 */
export const threecShape = {
  linkUrl: z.url({ protocol: /^wss?$/, error: 'must be the adapter link’s ws:// or wss:// address' }),
  serveruri: z
    .url({ protocol: /^https?$/, error: 'must be the 3C Server URI, like https://serverdnsname/SphericallService' })
    .max(PROPERTY_MAX_LENGTH, `must be at most ${PROPERTY_MAX_LENGTH} characters`),
  username: upnSchema,
  password: secretField(),
  terminals: listField(terminalObject, parseTerminalText).default([]),
  colleagues: listField(upnSchema, (text) => (upnSchema.safeParse(text).success ? null : `"${text}" must be a user name in UPN format, e.g. bob@domain`)).default([]),
  colleagueTerminals: listField(colleagueTerminalObject, parseColleagueTerminalText).default([]),
};

/** A 3C account in the config: the common fields, `vendor: "threec"` and {@link threecShape}, strict. */
export const threecAccountSchema = accountSchemaOf('threec', threecShape);

/** A parsed 3C account (defaults applied; the lists as written). */
export type ThreecAccount = z.output<typeof threecAccountSchema>;

/** The account's secrets resolved to their values, derived from the shape's `secretField()`s: `{ password }` (the 3C user's). */
export type ThreecSecrets = SecretsOf<typeof threecShape>;

type ListValue = string | ReadonlyArray<string | Record<string, unknown>>;

function itemsOf(value: ListValue): Array<string | Record<string, unknown>> {
  return typeof value === 'string' ? splitText(value) : [...value];
}

const terminalKey = (t: ThreecTerminal): string => `${t.addresstype.toLowerCase()}:${t.addressvalue}`;

/**
 * The agent's own terminals, in order, each once.
 * @throws {Error} on an item the schema would refuse (parse the account with the schema first).
 */
export function terminalsOf(value: ListValue): ThreecTerminal[] {
  const out = new Map<string, ThreecTerminal>();
  for (const item of itemsOf(value)) {
    const terminal = typeof item === 'string' ? parseTerminalText(item) : terminalObject.parse(item);
    if (typeof terminal === 'string') throw new Error(terminal);
    if (!out.has(terminalKey(terminal))) out.set(terminalKey(terminal), terminal);
  }
  return [...out.values()];
}

/** The colleagues to watch, in order, each once (compared case-insensitively). */
export function colleaguesOf(value: ListValue): string[] {
  const out = new Map<string, string>();
  for (const item of itemsOf(value)) {
    const name = typeof item === 'string' ? item.trim() : '';
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), name);
  }
  return [...out.values()];
}

/**
 * The colleagues' terminals to watch, in order, each terminal once (the first owner named wins).
 * @throws {Error} on an item the schema would refuse.
 */
export function colleagueTerminalsOf(value: ListValue): ColleagueTerminal[] {
  const out = new Map<string, ColleagueTerminal>();
  for (const item of itemsOf(value)) {
    let read: ColleagueTerminal | string;
    if (typeof item === 'string') read = parseColleagueTerminalText(item);
    else {
      const parsed = colleagueTerminalObject.parse(item);
      read = { username: parsed.username, terminal: { addressvalue: parsed.addressvalue, addresstype: parsed.addresstype } };
    }
    if (typeof read === 'string') throw new Error(read);
    if (!out.has(terminalKey(read.terminal))) out.set(terminalKey(read.terminal), read);
  }
  return [...out.values()];
}

/** A terminal's identity for matching: the type compared case-insensitively, the value exactly. */
export function terminalId(terminal: ThreecTerminal): string {
  return terminalKey(terminal);
}

/**
 * Connector tuning: the defaults suit production; tests shorten them. The platform module's
 * `createConnector` receives it as `options.tuning` (opaque outside this folder).
 */
export interface ThreecTuning {
  /** WebSocket ping interval, ms (default 30 000, the contract's [I]). */
  pingIntervalMs?: number;
  /** A ping not answered by a pong within this long means the link is gone, ms (default 10 000) [I]. */
  pongTimeoutMs?: number;
  /** How long to wait for `connected3C` after the connect frame, ms (default 20 000) [I]. */
  connectTimeoutMs?: number;
  /** How long to wait for a command's response, ms (default 15 000) [I]. */
  commandTimeoutMs?: number;
  /** An IM repeated with the same text within this long is the same message, ms (default 5 000) [I]. */
  repeatWindowMs?: number;
  /** The largest frame the connector reads, bytes (default 1 MiB); larger ones are logged and dropped [I]. */
  maxFrameBytes?: number;
}
