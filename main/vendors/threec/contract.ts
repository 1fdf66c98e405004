/**
 * **The wire contract to the 3C adapter link — inferred [I], in this one module.**
 *
 * Nothing public describes how the 3C Event adapter is reached (VENDOR-NOTES.md, 3C: "[C] from the
 * document only"); VENDOR-NOTES states the contract to implement, and this module is it, word for
 * word. The link client (`link.ts`) and the simulator (`simulator/`) both take it from here, so a
 * change to the contract is a change to this file. Its protocol-confidence page (`docs/platforms/threec.md`) lists it
 * as Inferred.
 *
 * - One WebSocket (`ws`) to the adapter link URL (the account's `linkUrl`).
 * - The client's first frame: `{"type":"connect","properties":{"serveruri","username","password"}}`
 *   (the document's adapter properties). The link answers with the event `connected3C`, or with
 *   `{"type":"error","errorMessage"}` and a close — code {@link CLOSE_BAD_CREDENTIALS} for bad
 *   credentials. No command before `connected3C`: the link refuses early commands.
 * - Commands `{"type":"command","id":"<uuid>","command":"<document's name>","properties":{…}}` →
 *   `{"type":"response","id","status":"success"|"failure","errorMessage"?}`.
 * - Events `{"type":"event","event":"<document's name>","timestamp":"<ISO>","properties":{…}}`.
 * - Ping/pong at the WebSocket level every 30 s.
 * - After a reconnect the link remembers nothing: monitor again; calls it does not report again
 *   are unknown (kept, marked stale), not ended.
 *
 * Beyond the contract, our own choices, also [I]: the close code {@link CLOSE_SESSION_UNKNOWN} (the
 * simulator uses it when it forgets a client; the connector reconnects on it as on any close but
 * 4401), tolerance of `status` casing, of a missing or bad `timestamp` (the receive time is used),
 * and of an `error` frame that carries a command's `id` (that command failed; the session lives).
 */
import { z } from 'zod';
import { canonicalIsoUtc } from '../kit/iso-date.js';
import type { CommandName, CommandProperties } from './schema.js';

/** Close code of a refused login (bad user name or password): the account needs a person. */
export const CLOSE_BAD_CREDENTIALS = 4401;
/** Close code of a link that no longer knows the client (our simulator's; any close but 4401 reconnects) [I]. */
export const CLOSE_SESSION_UNKNOWN = 4404;
/** The contract's ping interval, ms. */
export const PING_INTERVAL_MS = 30_000;

/** The adapter properties the connect frame carries (the document's "Properties"). */
export interface ConnectProperties {
  serveruri: string;
  username: string;
  password: string;
}

/** The client's first frame. */
export interface ConnectFrame {
  type: 'connect';
  properties: ConnectProperties;
}

/** A command frame. */
export interface CommandFrame<C extends CommandName = CommandName> {
  type: 'command';
  id: string;
  command: C;
  properties: CommandProperties[C];
}

/** Builds the connect frame. */
export function connectFrame(properties: ConnectProperties): ConnectFrame {
  return { type: 'connect', properties: { serveruri: properties.serveruri, username: properties.username, password: properties.password } };
}

/** Builds a command frame. */
export function commandFrame<C extends CommandName>(id: string, command: C, properties: CommandProperties[C]): CommandFrame<C> {
  return { type: 'command', id, command, properties };
}

/** The link's answer to a command. `status` is read case-insensitively [I]. */
export const responseFrameSchema = z.object({
  type: z.literal('response'),
  id: z.string().min(1),
  status: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['success', 'failure'])),
  errorMessage: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});
/** A parsed `response` frame. */
export type ResponseFrame = z.output<typeof responseFrameSchema>;

/** An event; its `properties` are checked against the document by `schema.ts`. */
export const eventFrameSchema = z.object({
  type: z.literal('event'),
  event: z.string().min(1),
  /** ISO time; a missing or unreadable one is replaced by the receive time [I]. */
  timestamp: z.unknown().optional(),
  properties: z.unknown().optional(),
});
/** A parsed `event` frame (properties unchecked). */
export type EventFrame = z.output<typeof eventFrameSchema>;

/** The link's refusal (then it closes); with an `id`, the refusal of that command [I]. */
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  errorMessage: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  id: z.string().optional(),
});
/** A parsed `error` frame. */
export type ErrorFrame = z.output<typeof errorFrameSchema>;

/** Any frame the link sends. */
export const linkFrameSchema = z.discriminatedUnion('type', [responseFrameSchema, eventFrameSchema, errorFrameSchema]);
/** Any parsed frame from the link. */
export type LinkFrame = z.output<typeof linkFrameSchema>;

/** What a client may send (the simulator reads these). */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    properties: z.object({ serveruri: z.string(), username: z.string(), password: z.string() }),
  }),
  z.object({ type: z.literal('command'), id: z.string().min(1), command: z.string().min(1), properties: z.unknown() }),
]);
/** A parsed frame from a client (the simulator reads these). */
export type ClientFrame = z.output<typeof clientFrameSchema>;

/**
 * Reads one text frame from the link.
 * @returns the frame, or the problem in words (not JSON, or not one of the contract's envelopes).
 */
export function parseLinkFrame(text: string): { ok: true; frame: LinkFrame } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = linkFrameSchema.safeParse(json);
  return parsed.success ? { ok: true, frame: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
}

/** The event's time: its `timestamp` when it is an ISO time, else `fallback`. Returned as ISO UTC. */
export function eventTime(timestamp: unknown, fallback: string): string {
  if (typeof timestamp !== 'string') return fallback;
  const canonical = canonicalIsoUtc(timestamp);
  if (canonical !== undefined) return canonical;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}

/** Why the link closed, in words for the agent (and the log). */
export function closeReason(code: number, reason: string, errorMessage?: string): string {
  const said = [errorMessage, reason].filter((s) => s && s.trim()).join(' — ');
  const suffix = said ? `: ${said}` : '';
  switch (code) {
    case CLOSE_BAD_CREDENTIALS:
      return `the 3C link refused the user name or password${suffix}`;
    case CLOSE_SESSION_UNKNOWN:
      return `the 3C link no longer knows this session${suffix}`;
    case 1000:
    case 1001:
      return `the 3C link closed the connection (${code})${suffix}`;
    case 1006:
      return `the connection to the 3C link was cut${suffix}`;
    default:
      return `the 3C link ended the session (close code ${code})${suffix}`;
  }
}
