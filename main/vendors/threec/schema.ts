/**
 * The 3C Event adapter's commands and events, property by property, exactly as the document names
 * them (`vendor-docs/3c-event-adapter.txt`, "Commands" and "Events"; VENDOR-NOTES.md, 3C [C]: keep
 * the casing — commands say `addressvalue`/`addresstype`, events `address`/`addressType`).
 *
 * Every event is checked with zod. Tolerant where the wild may differ without changing the meaning
 * [I]: a property may be absent or `null` (treated as absent), `call` may come as a number,
 * `isIncoming` as the text "true"/"false"; unknown properties are ignored. How these travel (the
 * envelopes) is the wire contract's business: `contract.ts`.
 */
import { z } from 'zod';

/** The document's command names. */
export const COMMANDS = ['startMonitoringUsers', 'stopMonitoringUsers', 'startMonitoringTerminals', 'stopMonitoringTerminals', 'sendText'] as const;
/** A command name of the document. */
export type CommandName = (typeof COMMANDS)[number];

/** The document's event names. */
export const EVENTS = ['connected3C', 'presenceChanged', 'imReceived', 'monitoredTerminalEventReceived'] as const;
/** An event name of the document. */
export type EventName = (typeof EVENTS)[number];

/**
 * "Start Monitoring Terminals": "Specify up to 500 terminals to monitor. Submit multiple requests to
 * monitor more than 500 terminals." (document). The connector sends at most this many per request.
 */
export const MAX_TERMINALS_PER_REQUEST = 500;

/** The request properties of each command (document, "Request Properties"). */
export type CommandProperties = {
  startMonitoringUsers: { users: Array<{ username: string }> };
  stopMonitoringUsers: { users: Array<{ username: string }> };
  startMonitoringTerminals: { terminals: Array<{ addressvalue: string; addresstype: string }> };
  stopMonitoringTerminals: { terminals: Array<{ addressvalue: string; addresstype: string }> };
  sendText: { destuser: string; message: string };
};

/** The request properties' schemas, for the simulator (which must refuse what the document does not allow). */
export const commandPropertiesSchemas = {
  startMonitoringUsers: z.object({ users: z.array(z.object({ username: z.string().min(1) })).min(1) }),
  stopMonitoringUsers: z.object({ users: z.array(z.object({ username: z.string().min(1) })).min(1) }),
  startMonitoringTerminals: z.object({
    terminals: z.array(z.object({ addressvalue: z.string().min(1), addresstype: z.string().min(1) })).min(1),
  }),
  stopMonitoringTerminals: z.object({
    terminals: z.array(z.object({ addressvalue: z.string().min(1), addresstype: z.string().min(1) })).min(1),
  }),
  sendText: z.object({ destuser: z.string().min(1), message: z.string() }),
} satisfies { [C in CommandName]: z.ZodType<CommandProperties[C]> };

/** A string property that may be absent or `null` (both read as absent). */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
/** A string property the event cannot do without. */
const required = z.string().min(1);

/** "presenceChanged": User Presence change notification (document). */
export const presenceChangedSchema = z.object({
  /** "The unique ID of the user." */
  user: required,
  /** "The new presence status of the user." Free text (VENDOR-NOTES [C]). */
  presence: z.string(),
  /** "Additional note associated to the presence status of user." */
  presenceNote: text,
});
/** The checked properties (absent and `null` read as `undefined`). */
export type PresenceChanged = z.output<typeof presenceChangedSchema>;

/** "imReceived": User received a new chat message (document). */
export const imReceivedSchema = z.object({
  /** "The username of the user" who received it; absent: taken to be the agent [I]. */
  receivingUser: text,
  /** "The username of the user" who sent it. */
  sendingUser: required,
  /** "The chat message received." */
  message: z.string(),
});
/** The checked properties (absent and `null` read as `undefined`). */
export type ImReceived = z.output<typeof imReceivedSchema>;

/** "monitoredTerminalEventReceived": Call Info event for a monitored terminal (document). */
export const monitoredTerminalEventSchema = z.object({
  /** "The address value for the monitored terminal." */
  address: required,
  /** "The address type (e.g. ext) for the monitored terminal." */
  addressType: text,
  /** "The address value for the called party." */
  calledAddressValue: text,
  /** "The address type (e.g. ext) for the called party." */
  calledAddressType: text,
  /** "The caller number". */
  caller: text,
  /** "Call Type." Free text (VENDOR-NOTES [I]: Internal, External). */
  callType: text,
  /** "True if it is an incoming call, else false." A boolean; the text "true"/"false" is tolerated [I]. */
  isIncoming: z
    .union([z.boolean(), z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE'])])
    .nullish()
    .transform((v) => (v === null || v === undefined ? undefined : typeof v === 'boolean' ? v : v.toLowerCase() === 'true')),
  /** "Call State (e.g. Ringing, Disconnected)." Free text. */
  callState: z.string(),
  /** "The integer identifier for the call", a string (VENDOR-NOTES [C]); a number is tolerated [I]. */
  call: z.union([z.string().min(1), z.number().int()]).transform(String),
});
/** The checked properties (absent and `null` read as `undefined`). */
export type MonitoredTerminalEvent = z.output<typeof monitoredTerminalEventSchema>;

/** One event of the adapter, its properties checked. */
export type AdapterEvent =
  | { event: 'connected3C' }
  | { event: 'presenceChanged'; properties: PresenceChanged }
  | { event: 'imReceived'; properties: ImReceived }
  | { event: 'monitoredTerminalEventReceived'; properties: MonitoredTerminalEvent };

/**
 * Checks an event's properties against the document's table for its name.
 * @returns the event; `unknown` for a name the document does not list (its caller logs and drops
 *   it); or the problem, in words, when the properties do not fit.
 */
export function parseAdapterEvent(name: string, properties: unknown): { ok: true; event: AdapterEvent } | { ok: true; event: undefined } | { ok: false; error: string } {
  // One safeParse and the result's two objects: no closure or intermediate result per event (3C's parse path).
  switch (name) {
    case 'connected3C':
      return { ok: true, event: { event: 'connected3C' } };
    case 'presenceChanged': {
      const r = presenceChangedSchema.safeParse(properties ?? {});
      return r.success ? { ok: true, event: { event: name, properties: r.data } } : { ok: false, error: z.prettifyError(r.error) };
    }
    case 'imReceived': {
      const r = imReceivedSchema.safeParse(properties ?? {});
      return r.success ? { ok: true, event: { event: name, properties: r.data } } : { ok: false, error: z.prettifyError(r.error) };
    }
    case 'monitoredTerminalEventReceived': {
      const r = monitoredTerminalEventSchema.safeParse(properties ?? {});
      return r.success ? { ok: true, event: { event: name, properties: r.data } } : { ok: false, error: z.prettifyError(r.error) };
    }
    default:
      return { ok: true, event: undefined };
  }
}
