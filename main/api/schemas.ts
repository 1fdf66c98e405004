/**
 * The automation API's one description (issue 20): every request body, path parameter, response
 * and event as a zod 4 schema. The same schemas validate what apps send (`server.ts`), type what
 * the handlers answer and what the event stream carries (`view.ts`, `events.ts`), and generate the
 * OpenAPI 3.1 document (`openapi.ts`), so the document cannot drift from the code.
 *
 * Requests are strict: an unknown field is refused and named (as the config file's are), so a
 * typo such as `numbr` is a 400 that says so, not a call placed to nowhere.
 *
 * Times are ISO-8601 UTC strings; durations carry their unit (`…Sec`). An entity's `id` is the
 * desk's key (`<account>/<platform id>`): percent-encode it in a path (`voice%2F42`).
 */
import { z } from 'zod';
import { API_COMMANDS, API_SCOPES } from '../../common/automation.js';
import { CALL_ACTIONS, PRESENCE_STATES } from '../../common/model.js';

/** The API's version path; every route lives under it. */
export const API_BASE = '/api/v1';

const isoTime = (description: string) => z.string().meta({ format: 'date-time', description });

// ---- shared pieces ----------------------------------------------------------------------------

export const scopeSchema = z.enum(API_SCOPES).meta({
  id: 'Scope',
  description:
    'What an app may do: `read` (the snapshot and the event stream), `calls` (dial, answer, hang up, hold, retrieve), `presence` (change the presence), `chats` (send chat messages).',
});

export const presenceStateSchema = z.enum(PRESENCE_STATES).meta({ id: 'PresenceState', description: 'The agent presence in contact-center terms.' });

/**
 * An RFC 9457 problem document: what went wrong, in plain words (`detail`), with a stable `type`
 * an app can match on, and for a refused body the fields at fault.
 */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A stable identifier of the kind of problem, e.g. `urn:agent-companion:problem:rate-limited`.' }),
    title: z.string().meta({ description: 'The kind of problem, in a few words.' }),
    status: z.number().int().meta({ description: 'The HTTP status code.' }),
    detail: z.string().meta({ description: 'What went wrong this time and what to do, in plain words.' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'For a refused body: each field at fault (`(body)` for the body itself).' }),
    retryAfterSec: z.number().int().optional().meta({ description: 'For 429: the seconds to wait, as in the Retry-After header.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (`application/problem+json`).' });
export type Problem = z.infer<typeof problemSchema>;

export const presenceSchema = z
  .object({
    state: presenceStateSchema,
    label: z.string().meta({ description: 'The platform’s own word for it, as sent.' }),
    reason: z.string().optional().meta({ description: 'A not-ready reason or the agent’s note, when the platform gives one.' }),
    since: isoTime('When the state began, when known.').optional(),
  })
  .meta({ id: 'Presence' });

export const accountSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    platform: z.string().meta({ description: 'The platform id of the account (as in the config file’s `vendor`).' }),
    demo: z.boolean().meta({ description: 'True when the account talks to a built-in simulator (demo mode).' }),
    connection: z.enum(['connecting', 'connected', 'reconnecting', 'failed', 'stopped']),
    reason: z.string().optional().meta({ description: 'Why it is reconnecting or failed.' }),
    presence: presenceSchema.optional(),
    can: z
      .object({
        dial: z.boolean(),
        controlCalls: z.boolean().meta({ description: 'Answer, hang up, hold and retrieve.' }),
        setPresence: z.array(presenceStateSchema).meta({ description: 'The presence states the account accepts.' }),
        presenceReasons: z.array(z.object({ code: z.string(), label: z.string(), state: z.enum(['not-ready', 'offline']) })),
      })
      .meta({ description: 'What the account can do now.' }),
  })
  .meta({ id: 'Account' });
export type ApiAccount = z.infer<typeof accountSchema>;

export const callSchema = z
  .object({
    id: z.string().meta({ description: 'The call’s id on the desk (`<account>/<platform call id>`); percent-encode it in a path.' }),
    account: z.string(),
    direction: z.enum(['inbound', 'outbound', 'internal', 'consult']),
    state: z.enum(['dialing', 'queued', 'ringing', 'connected', 'held', 'ended']),
    caller: z.string().optional().meta({ description: 'The calling number (ANI).' }),
    target: z.string().optional().meta({ description: 'The number or service called (DNIS).' }),
    queue: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
    attachedData: z.record(z.string(), z.string()).meta({ description: 'Attached (screen-pop) data, as flat strings.' }),
    actions: z.array(z.enum(CALL_ACTIONS)).meta({ description: 'What the call allows now.' }),
    startedAt: isoTime('When the desk first heard of the call.'),
    connectedAt: isoTime('When the agent was connected.').optional(),
    placedBy: z.string().optional().meta({ description: 'The app that placed the call through this API.' }),
    unconfirmed: z.boolean().optional().meta({ description: 'The platform has not confirmed the call since it reconnected.' }),
  })
  .meta({ id: 'Call' });
export type ApiCall = z.infer<typeof callSchema>;

export const endedCallSchema = callSchema
  .extend({
    state: z.literal('ended'),
    endedAt: isoTime('When it ended.'),
    endReason: z.string().optional().meta({ description: 'Why it ended, in the platform’s words.' }),
    outcome: z.enum(['missed', 'answered', 'placed']).meta({ description: '`missed` (inbound, never connected), `answered` (inbound, connected), `placed` (outbound).' }),
    durations: z
      .object({
        totalSec: z.number().meta({ description: 'From the first sign of the call to its end.' }),
        waitSec: z.number().meta({ description: 'From the first sign to the connection (to the end when it never connected).' }),
        talkSec: z.number().meta({ description: 'Connected time, holds included (0 when it never connected).' }),
      })
      .meta({ description: 'Whole seconds.' }),
  })
  .meta({ id: 'EndedCall' });
export type ApiEndedCall = z.infer<typeof endedCallSchema>;

const participantSchema = z.object({ name: z.string(), role: z.enum(['customer', 'colleague', 'agent', 'supervisor', 'bot', 'system']) });

export const chatMessageSchema = z
  .object({
    id: z.string(),
    from: participantSchema,
    text: z.string(),
    at: isoTime('When the platform stamped it.'),
    kind: z.enum(['text', 'notice']).meta({ description: '`text` for what a person typed; `notice` for joins, leaves and other system lines.' }),
  })
  .meta({ id: 'ChatMessage' });
export type ApiChatMessage = z.infer<typeof chatMessageSchema>;

export const chatSchema = z
  .object({
    id: z.string().meta({ description: 'The chat’s id on the desk (`<account>/<platform chat id>`); percent-encode it in a path.' }),
    account: z.string(),
    state: z.enum(['invited', 'active', 'ended']),
    participants: z.array(participantSchema),
    attachedData: z.record(z.string(), z.string()),
    canSend: z.boolean().meta({ description: 'Whether the chat takes messages now.' }),
    startedAt: isoTime('When the desk first heard of the chat.'),
    endedAt: isoTime('When it ended.').optional(),
    messages: z.array(chatMessageSchema).meta({ description: 'The transcript, oldest first.' }),
  })
  .meta({ id: 'Chat' });
export type ApiChat = z.infer<typeof chatSchema>;

export const callbackSchema = z
  .object({
    id: z.string(),
    account: z.string(),
    contactNumber: z.string(),
    contactName: z.string().optional(),
    message: z.string().optional(),
    note: z.string().optional(),
    createdAt: isoTime('When it was created.'),
    dueAt: isoTime('When it is due.').optional(),
    expiresAt: isoTime('When it expires.').optional(),
    assignedToMe: z.boolean(),
    attempts: z.number().int(),
  })
  .meta({ id: 'Callback' });
export type ApiCallback = z.infer<typeof callbackSchema>;

// ---- requests ---------------------------------------------------------------------------------

/** A web origin, as browsers send it in `Origin`. */
const originText = z.string().max(200);

export const pairingBodySchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is empty').max(60, 'is longer than 60 characters').meta({ description: 'The app’s name, as the agent will see it.', example: 'Acme CRM' }),
    origin: originText.optional().meta({
      description: 'For a web page: its origin. Optional, and when given it must equal the Origin header the browser sends (a page cannot pair for another origin).',
      example: 'https://crm.example.com',
    }),
    scopes: z
      .array(scopeSchema)
      .min(1, 'must name at least one scope')
      .max(API_SCOPES.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'names a scope twice'),
  })
  .meta({ id: 'PairingBody' });

export const dialBodySchema = z
  .strictObject({
    number: z.string().min(1, 'is empty').max(2048).meta({
      description: 'The number, read as a tel: link is (separators such as spaces, dashes and brackets dropped; `tel:` links and `;ext=` accepted).',
      example: '+358 40 123 4567',
    }),
    account: z.string().min(1).max(40).optional().meta({ description: 'The account to dial from; absent: the one the agent chose for links, else the only connected one that dials.' }),
  })
  .meta({ id: 'DialBody' });

export const presenceBodySchema = z
  .strictObject({
    state: presenceStateSchema,
    reason: z.string().min(1).max(100).optional().meta({ description: 'A presence reason code the account offers (see `can.presenceReasons`).' }),
    account: z.string().min(1).max(40).optional().meta({ description: 'Only this account; absent: every connected account that accepts the state.' }),
  })
  .meta({ id: 'PresenceBody' });

export const chatMessageBodySchema = z
  .strictObject({
    text: z.string().trim().min(1, 'is empty').max(4000, 'is longer than 4000 characters'),
  })
  .meta({ id: 'ChatMessageBody' });

/** A path parameter holding a desk key. */
const keyParam = (description: string) => z.string().min(3).max(300).meta({ description });

export const callParamsSchema = z.object({ callId: keyParam('The call’s id (percent-encoded).') });
export const chatParamsSchema = z.object({ chatId: keyParam('The chat’s id (percent-encoded).') });
export const pairingParamsSchema = z.object({ pairingId: z.string().min(1).max(100).meta({ description: 'The id `POST /pairing` answered with.' }) });
export const pairingQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .optional()
    .meta({ description: 'Wait up to this many seconds for the agent’s answer before answering `pending` (a long poll).' }),
});

// ---- responses --------------------------------------------------------------------------------

export const pairingStartedSchema = z
  .object({
    pairingId: z.string(),
    status: z.literal('pending'),
    pollAfterMs: z.number().int().meta({ description: 'Ask `GET /pairing/{pairingId}` again after this long (or long-poll with `?wait=`).' }),
    expiresAt: isoTime('The agent must answer by then.'),
  })
  .meta({ id: 'PairingStarted' });

export const pairingStatusSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('pending'), pollAfterMs: z.number().int(), expiresAt: isoTime('The agent must answer by then.') }),
    z.object({
      status: z.literal('allowed'),
      token: z.string().meta({ description: 'The bearer token, given exactly once: keep it. Send it as `Authorization: Bearer <token>`, never in an address.' }),
      clientId: z.string(),
      scopes: z.array(scopeSchema).meta({ description: 'What the agent allowed.' }),
    }),
    z.object({ status: z.literal('denied') }),
    z.object({ status: z.literal('expired') }),
  ])
  .meta({ id: 'PairingStatus', description: 'After `allowed` has been read once, the request is gone (404).' });

export const clientSchema = z
  .object({ id: z.string(), name: z.string(), origin: z.string().optional(), scopes: z.array(scopeSchema) })
  .meta({ id: 'Client', description: 'The app this token belongs to.' });

export const snapshotSchema = z
  .object({
    at: isoTime('When the snapshot was taken.'),
    lastEventId: z.string().meta({ description: 'The id of the last event before this snapshot: send it as Last-Event-ID to receive only what happened after it.' }),
    accounts: z.array(accountSchema),
    calls: z.array(callSchema).meta({ description: 'Live calls, ringing first.' }),
    chats: z.array(chatSchema),
    callbacks: z.array(callbackSchema),
  })
  .meta({ id: 'Snapshot' });
export type ApiSnapshot = z.infer<typeof snapshotSchema>;

export const dialAcceptedSchema = z
  .object({
    status: z.literal('dialing'),
    account: z.string().meta({ description: 'The account that dials.' }),
    number: z.string().meta({ description: 'The number as dialled (normalised).' }),
    extension: z.string().optional().meta({ description: 'An `;ext=` to key in once the call connects.' }),
  })
  .meta({ id: 'DialAccepted', description: 'The platform took the call; it shows on the event stream as `call.ringing` with `placedBy`.' });

export const callCommandDoneSchema = z
  .object({ status: z.literal('done'), command: z.enum(CALL_ACTIONS), call: z.string() })
  .meta({ id: 'CallCommandDone' });

export const presenceDoneSchema = z
  .object({ status: z.literal('done'), state: presenceStateSchema, accounts: z.array(z.string()).meta({ description: 'The accounts asked to change.' }) })
  .meta({ id: 'PresenceDone' });

export const messageSentSchema = z.object({ status: z.literal('sent'), chat: z.string() }).meta({ id: 'MessageSent' });

// ---- events -----------------------------------------------------------------------------------

const eventBase = <T extends string, D extends z.ZodType>(type: T, data: D, description: string) =>
  z
    .object({
      id: z.string().meta({ description: 'The event’s id, also its SSE `id:` (send the last one seen as Last-Event-ID to resume).' }),
      seq: z.number().int().meta({ description: 'Counts up by one per event since the desk started.' }),
      type: z.literal(type),
      at: isoTime('When the desk saw it.'),
      data,
    })
    .meta({ description });

const callData = z.object({ call: callSchema });
const endedCallData = z.object({ call: endedCallSchema });

/** Every event the stream carries, by `type` (the SSE `event:` name). */
export const EVENT_SCHEMAS = {
  'call.ringing': eventBase('call.ringing', callData, 'A call appeared and rings: inbound at the agent, or outbound at the far end (`dialing`, `queued`).'),
  'call.answered': eventBase('call.answered', callData, 'The agent was connected (an outbound call: the far end answered).'),
  'call.held': eventBase('call.held', callData, 'The call was put on hold.'),
  'call.retrieved': eventBase('call.retrieved', callData, 'The call was taken off hold.'),
  'call.ended': eventBase('call.ended', endedCallData, 'The call ended: with its outcome and durations.'),
  'call.missed': eventBase('call.missed', endedCallData, 'An inbound call ended without the agent answering (sent after its `call.ended`).'),
  'presence.changed': eventBase(
    'presence.changed',
    z.object({ account: z.string(), presence: presenceSchema, previous: presenceSchema.optional() }),
    'An account’s presence changed.',
  ),
  'chat.offered': eventBase('chat.offered', z.object({ chat: chatSchema }), 'A chat arrived (`invited`: offered to the agent; `active`: the agent is in it).'),
  'chat.message': eventBase('chat.message', z.object({ chat: z.string(), account: z.string(), message: chatMessageSchema }), 'A new line in a chat (from anyone, the agent too).'),
  'chat.ended': eventBase('chat.ended', z.object({ chat: chatSchema }), 'A chat ended.'),
  'callback.created': eventBase('callback.created', z.object({ callback: callbackSchema }), 'A callback request appeared.'),
  'callback.due': eventBase('callback.due', z.object({ callback: callbackSchema }), 'A callback request became due.'),
  'callback.closed': eventBase('callback.closed', z.object({ callback: z.string(), account: z.string() }), 'A callback request left the desk (done or taken elsewhere).'),
  'connection.changed': eventBase(
    'connection.changed',
    z.object({ account: z.string(), connection: accountSchema.shape.connection, previous: accountSchema.shape.connection, reason: z.string().optional() }),
    'An account’s connection to its platform changed.',
  ),
  resync: eventBase(
    'resync',
    z.object({ reason: z.enum(['too-old', 'unknown-id']).meta({ description: '`too-old`: the events after your Last-Event-ID are no longer kept; `unknown-id`: that id is not from this run of the desk.' }) }),
    'What you missed is no longer kept: read the snapshot (`GET /desk`) again, then go on from here. Takes no sequence number of its own (`seq` is the latest).',
  ),
  'access.revoked': eventBase(
    'access.revoked',
    z.object({}),
    'The agent revoked this app’s access: the stream ends, and the token is refused from now on. Takes no sequence number of its own.',
  ),
} as const;

export type ApiEventType = keyof typeof EVENT_SCHEMAS;
/** Every event type, in the order the document lists them. */
export const API_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as ApiEventType[];
/** One event as the stream carries it. */
export type ApiEvent<T extends ApiEventType = ApiEventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
/** The data of an event of type `T`. */
export type ApiEventData<T extends ApiEventType> = ApiEvent<T>['data'];

export const eventSchema = z
  .discriminatedUnion('type', Object.values(EVENT_SCHEMAS) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...Array<z.ZodObject<{ type: z.ZodLiteral<string> }>>])
  .meta({ id: 'Event', description: 'One event of the stream. Each SSE message carries it as JSON in `data:`, its `type` as `event:` and its `id` as `id:`.' });

/** The commands' names, as the audit list and the log name them. */
export const commandSchema = z.enum(API_COMMANDS);
