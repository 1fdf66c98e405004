/**
 * The OpenAPI 3.1 document of the automation API, generated from the routes (`routes.ts`) and the
 * zod schemas that validate and shape them (`schemas.ts`) with `zod-openapi`, so it describes what
 * the code does. Served at `/api/v1/openapi.json` and committed as
 * `docs/automation-api.openapi.json`; a test fails when the two differ or when the router serves a
 * route the document does not list.
 */
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { AUTOMATION_DEFAULT_PORT } from '../config.js';
import { EVENT_LOG_CAPACITY } from './events.js';
import { PROBLEMS, type ProblemCode } from './problems.js';
import { ROUTES, type RouteSpec } from './routes.js';
import { API_EVENT_TYPES, problemSchema } from './schemas.js';

/** The API's version, as the document states it. */
export const API_VERSION = '1.0.0';

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The problems a route can answer with, by what it does. */
function problemCodes(route: RouteSpec): ProblemCode[] {
  const codes: ProblemCode[] = ['token-in-url', 'wrong-host', 'rate-limited'];
  if (route.auth !== 'public') codes.push('unauthorized', 'wrong-origin');
  if (route.auth !== 'public' && route.auth !== 'token') codes.push('missing-scope');
  if (route.body) codes.push('invalid-json', 'invalid-request', 'too-large', 'unsupported-media-type');
  if (route.params) codes.push('not-found');
  if (route.command) codes.push('not-possible');
  if (route.command === 'dial') codes.push('not-dialable', 'no-account');
  if (route.command === 'presence') codes.push('no-account');
  if (route.operationId === 'requestPairing') codes.push('origin-mismatch', 'null-origin', 'pairing-off', 'pairing-pending', 'pairing-cooldown', 'too-many-pending', 'too-many-clients');
  if (route.operationId === 'getPairing') codes.push('unknown-pairing');
  if (route.operationId === 'getEvents') codes.push('too-many-streams');
  return codes;
}

function responsesOf(route: RouteSpec): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers = route.operationId === 'requestPairing' ? { Location: { description: 'The request’s address, to poll.', schema: { type: 'string' as const } } } : undefined;
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: response.description,
      ...(headers ? { headers } : {}),
      ...(response.schema || response.contentType
        ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema ?? z.object({}).loose().meta({ description: 'The OpenAPI document.' }) } } }
        : {}),
    };
  }
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemCodes(route)) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status) as `4${string}`] = {
      description: codes.map((code) => `\`${code}\`: ${PROBLEMS[code].title}`).join('; '),
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' as const } } } } : {}),
      content: problemContent,
    };
  }
  return responses;
}

function operationOf(route: RouteSpec): ZodOpenApiOperationObject {
  const operation: ZodOpenApiOperationObject = {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: route.auth === 'public' ? [] : [{ bearer: [] }],
    ...(route.auth !== 'public' && route.auth !== 'token' ? { 'x-scope': route.auth } : {}),
    responses: responsesOf(route),
  };
  const params: NonNullable<ZodOpenApiOperationObject['requestParams']> = {};
  if (route.params) params.path = route.params;
  if (route.query) params.query = route.query;
  if (route.operationId === 'getEvents') params.header = z.object({ 'Last-Event-ID': z.string().optional().meta({ description: 'Resume after this event.' }) });
  if (Object.keys(params).length) operation.requestParams = params;
  if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: route.body } } };
  return operation;
}

/**
 * The document.
 * @returns plain JSON (stable key order: the routes' and the schemas' own).
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES as readonly RouteSpec[]) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] = operationOf(route);
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Agent Companion automation API',
      version: API_VERSION,
      description:
        'The agent’s desk (every contact-center platform it connects to) for other apps on the same computer: a snapshot, a live event stream, and commands, for apps the agent paired. ' +
        `Listens on 127.0.0.1 only, when \`automation.enabled\` is true. Events kept for Last-Event-ID: ${EVENT_LOG_CAPACITY}. Event types: ${API_EVENT_TYPES.join(', ')}. See docs/automation-api.md.`,
    },
    servers: [{ url: `http://127.0.0.1:${AUTOMATION_DEFAULT_PORT}`, description: 'The default port (`automation.port` changes it).' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token pairing gave (`aca_…`), or an administrator’s. Only ever in this header.' } },
    },
    paths,
  }, {
    // What the API answers may gain members within v1: an app must ignore the ones it does not know.
    override: ({ jsonSchema, io }) => {
      if (io === 'output' && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}
