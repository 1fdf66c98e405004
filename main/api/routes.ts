/**
 * The automation API's routes: method, path, who may call it, and the schemas of what it takes and
 * answers. This one table drives the router (`server.ts`) and the OpenAPI document (`openapi.ts`);
 * the handlers (`index.ts`) are keyed by each route's `operationId`, so a route without a handler,
 * or a handler without a route, does not compile.
 */
import type { z } from 'zod';
import { CALL_ACTIONS, type CallAction } from '../../common/model.js';
import type { ApiCommand, ApiScope } from '../../common/automation.js';
import {
  API_BASE,
  callCommandDoneSchema,
  callParamsSchema,
  chatMessageBodySchema,
  chatParamsSchema,
  clientSchema,
  dialAcceptedSchema,
  dialBodySchema,
  eventSchema,
  messageSentSchema,
  pairingBodySchema,
  pairingParamsSchema,
  pairingQuerySchema,
  pairingStartedSchema,
  pairingStatusSchema,
  presenceBodySchema,
  presenceDoneSchema,
  snapshotSchema,
} from './schemas.js';

/** One response a route may give. */
export interface RouteResponse {
  description: string;
  /** The body's schema (JSON, unless `contentType` says otherwise); absent: no body. */
  schema?: z.ZodType;
  contentType?: string;
}

/** One route. */
export interface RouteSpec {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path, OpenAPI style (`/api/v1/calls/{callId}/answer`). */
  path: string;
  summary: string;
  description?: string;
  /** `public`: no token; `token`: any valid token; a scope: a token granted it. */
  auth: 'public' | 'token' | ApiScope;
  /** A command that acts on the phone or the presence: the audit list names it, and it takes from the app's command bucket. */
  command?: ApiCommand;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success responses (the problem documents are added to every route by the document). */
  responses: Record<number, RouteResponse>;
}

const callActionRoute = (action: CallAction): RouteSpec => ({
  operationId: `${action}Call`,
  method: 'POST',
  path: `${API_BASE}/calls/{callId}/${action}`,
  summary: { answer: 'Answer a ringing call', hangup: 'Hang up (or decline) a call', hold: 'Put a call on hold', retrieve: 'Take a call off hold' }[action],
  description: 'Only when the call allows it now (its `actions`).',
  auth: 'calls',
  command: action,
  params: callParamsSchema,
  responses: { 200: { description: 'Done.', schema: callCommandDoneSchema } },
});

/** Every route, in the order the document lists them. */
export const ROUTES = [
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: `${API_BASE}/openapi.json`,
    summary: 'This document',
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', contentType: 'application/json' } },
  },
  {
    operationId: 'requestPairing',
    method: 'POST',
    path: `${API_BASE}/pairing`,
    summary: 'Ask the agent for access',
    description:
      'The desk shows the request to the agent (“Allow Acme CRM (https://crm.example.com) to see your calls and chats?”). Poll `GET /pairing/{pairingId}` for the answer. A web page’s origin is taken from its Origin header.',
    auth: 'public',
    body: pairingBodySchema,
    responses: { 202: { description: 'Shown to the agent; poll for the answer.', schema: pairingStartedSchema } },
  },
  {
    operationId: 'getPairing',
    method: 'GET',
    path: `${API_BASE}/pairing/{pairingId}`,
    summary: 'The agent’s answer to a pairing request',
    description: 'Answers `allowed` with the token exactly once; the request is gone after that.',
    auth: 'public',
    params: pairingParamsSchema,
    query: pairingQuerySchema,
    responses: { 200: { description: 'Pending, allowed (with the token), denied or expired.', schema: pairingStatusSchema } },
  },
  {
    operationId: 'getClient',
    method: 'GET',
    path: `${API_BASE}/client`,
    summary: 'The app this token belongs to',
    auth: 'token',
    responses: { 200: { description: 'The app’s name, origin and scopes.', schema: clientSchema } },
  },
  {
    operationId: 'deleteClient',
    method: 'DELETE',
    path: `${API_BASE}/client`,
    summary: 'Give up this token (unpair)',
    auth: 'token',
    responses: { 204: { description: 'The token no longer works.' } },
  },
  {
    operationId: 'getDesk',
    method: 'GET',
    path: `${API_BASE}/desk`,
    summary: 'The desk now',
    description: 'Accounts, live calls, chats and callbacks, and the id of the last event before it (send it as Last-Event-ID to follow on).',
    auth: 'read',
    responses: { 200: { description: 'The snapshot.', schema: snapshotSchema } },
  },
  {
    operationId: 'getEvents',
    method: 'GET',
    path: `${API_BASE}/events`,
    summary: 'The live event stream (Server-Sent Events)',
    description:
      'A `text/event-stream`: each message’s `event:` is the event type, `id:` its id, `data:` the event as JSON (schema `Event`). Reconnect with `Last-Event-ID` to receive what you missed (the last 1,000 events are kept); older than that you get a `resync` event: read `GET /desk` again.',
    auth: 'read',
    responses: { 200: { description: 'The stream; it stays open.', schema: eventSchema, contentType: 'text/event-stream' } },
  },
  {
    operationId: 'dial',
    method: 'POST',
    path: `${API_BASE}/calls`,
    summary: 'Dial a number (click-to-dial)',
    description: 'The number is read as a tel: link is. The call shows on the desk as placed by this app, and on the event stream as `call.ringing` with `placedBy`.',
    auth: 'calls',
    command: 'dial',
    body: dialBodySchema,
    responses: { 202: { description: 'The platform is placing the call.', schema: dialAcceptedSchema } },
  },
  ...CALL_ACTIONS.map(callActionRoute),
  {
    operationId: 'setPresence',
    method: 'PUT',
    path: `${API_BASE}/presence`,
    summary: 'Change the presence',
    description: 'On every connected account that accepts the state, or on one account.',
    auth: 'presence',
    command: 'presence',
    body: presenceBodySchema,
    responses: { 200: { description: 'Changed.', schema: presenceDoneSchema } },
  },
  {
    operationId: 'sendChatMessage',
    method: 'POST',
    path: `${API_BASE}/chats/{chatId}/messages`,
    summary: 'Send a message in a chat',
    auth: 'chats',
    command: 'chat-message',
    params: chatParamsSchema,
    body: chatMessageBodySchema,
    responses: { 200: { description: 'Sent.', schema: messageSentSchema } },
  },
] as const satisfies readonly RouteSpec[];

/** A route's operation id. */
export type OperationId = (typeof ROUTES)[number]['operationId'];
