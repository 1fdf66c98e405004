/**
 * The automation API's OpenAPI document says what the code does (issue 20, point 2): it is
 * generated from the routes and their zod schemas, the committed copy is that document, the API
 * serves the same one, the router serves exactly the operations it lists, and every answer the
 * handlers give — result or refusal, and every event — is one the document describes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

/** ajv-formats is CommonJS: its plugin is the module's default export. */
const addFormats = formats.default;
import { parseConfig } from '../../main/config.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { openApiDocument } from '../../main/api/openapi.js';
import { API_EVENT_TYPES } from '../../main/api/schemas.js';
import { OPENAPI_FILE, openApiText } from '../../scripts/automation-openapi.js';
import { apiRequest, openEvents, type ApiAnswer } from '../support/api-client.js';
import { automationRig, PAGE, ring, type Rig } from '../support/automation-rig.js';
import { Closers } from '../support/closers.js';
import { eventually } from '../support/eventually.js';

type Operations = Record<string, Record<string, { responses: Record<string, unknown>; security: unknown[] }>>;
/** One operation of the document, as far as these tests read it. */
interface Operation {
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

describe('the automation API’s OpenAPI document', () => {
  let automation: Automation;
  before(async () => {
    const log = createLogger('silent');
    automation = new Automation({ desk: new Desk({ accounts: [], log }), config: parseConfig({ automation: { enabled: true, port: 0 } }).automation, log, secret: () => '' });
    await automation.listen();
  });
  after(() => automation.close());

  it('is committed as generated (run `npm run docs` after changing main/api/)', () => {
    assert.equal(readFileSync(OPENAPI_FILE, 'utf8'), openApiText(), 'docs/automation-api.openapi.json is not what main/api/ generates: run npm run docs');
  });

  it('is served at /api/v1/openapi.json, the same document', async () => {
    const served = await apiRequest(automation.port, '/api/v1/openapi.json');
    assert.equal(served.status, 200);
    assert.deepEqual(served.json, openApiDocument());
  });

  it('lists every route the router serves, with the same methods, and nothing else', () => {
    const paths = openApiDocument().paths as Operations;
    const documented = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual([...documented].sort(), [...automation.server.served()].sort());
  });

  it('routes each documented operation to a handler (no 404 or 405 for any of them)', async () => {
    const paths = openApiDocument().paths as Operations;
    for (const [path, operations] of Object.entries(paths)) {
      for (const method of Object.keys(operations)) {
        const concrete = path.replace(/\{(\w+)\}/g, 'x%2Fy');
        const answer = await apiRequest(automation.port, concrete, { method: method.toUpperCase(), ...(method === 'get' || method === 'delete' ? {} : { body: {} }) });
        assert.ok(answer.status !== 405 && answer.json?.type !== 'urn:agent-companion:problem:not-found', `${method.toUpperCase()} ${path}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
  });

  it('is OpenAPI 3.1 whose every reference resolves, with a bearer scheme on every route that needs a token', () => {
    const document = openApiDocument();
    assert.equal(document.openapi, '3.1.0');
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      assert.ok(name && schemas[name], `${ref} resolves`);
    }
    for (const [path, operations] of Object.entries(document.paths as Operations)) {
      for (const [method, operation] of Object.entries(operations)) {
        const isPublic = path.includes('/pairing') || path.endsWith('openapi.json');
        assert.deepEqual(operation.security, isPublic ? [] : [{ bearer: [] }], `${method} ${path}`);
        if (!isPublic) assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
      }
    }
  });

  it('describes every event type', () => {
    const event = (openApiDocument().components as { schemas: Record<string, { oneOf: Array<{ properties: { type: { const: string } } }> }> }).schemas.Event!;
    assert.deepEqual(
      event.oneOf.map((option) => option.properties.type.const),
      API_EVENT_TYPES,
    );
  });
});

/** The document's operations, compiled for checking answers against it (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
class DocumentChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: Array<{ method: string; template: string; pattern: RegExp; operation: Operation }> = [];
  /** Operations that answered, as `METHOD template`. */
  readonly seen = new Set<string>();

  constructor(private readonly document: Record<string, unknown>) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'https://agent-companion.invalid/openapi.json', components: document.components });
    for (const [template, operations] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(operations)) this.operations.push({ method: method.toUpperCase(), template, pattern, operation });
    }
  }

  /** A schema of the document, with its references made absolute. */
  validator(schema: unknown): ValidateFunction {
    return this.ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"https://agent-companion.invalid/openapi.json#/components/')) as object);
  }

  /** The operation `method path` is, by the document. */
  operation(method: string, path: string): Operation {
    const found = this.operations.find((o) => o.method === method && o.pattern.test(path.split('?', 1)[0]!));
    assert.ok(found, `${method} ${path} is not in the document`);
    this.seen.add(`${found.method} ${found.template}`);
    return found.operation;
  }

  /**
   * Asserts that an answer is one the document gives for this operation: its status listed, a
   * problem's code listed under that status, the content type and the body its schema.
   */
  check(method: string, path: string, answer: ApiAnswer): ApiAnswer {
    const what = `${method} ${path} → ${answer.status}`;
    const response = this.operation(method, path).responses[String(answer.status)];
    assert.ok(response, `${what}: the document lists no ${answer.status} for it (${answer.text.slice(0, 200)})`);
    if (answer.status >= 400) {
      const code = String(answer.json?.type).replace('urn:agent-companion:problem:', '');
      assert.ok(response.description.includes(`\`${code}\``), `${what}: the document does not list the problem \`${code}\` under ${answer.status} (it lists: ${response.description})`);
    }
    if (!answer.text && !String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      assert.equal(response.content, undefined, `${what}: the document promises a body`);
      return answer;
    }
    const type = String(answer.headers['content-type']).split(';', 1)[0]!;
    const media = response.content?.[type];
    assert.ok(media, `${what}: answered ${type}, the document says ${Object.keys(response.content ?? {}).join(', ') || 'no body'}`);
    if (type === 'text/event-stream') return answer; // each event is checked on its own
    const validate = this.validator(media.schema);
    assert.ok(validate(answer.json), `${what}: the body is not what the document says: ${this.ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 300)}`);
    return answer;
  }
}

describe('the automation API answers as its document says', () => {
  const closers = new Closers();
  after(() => closers.closeAll());
  const rig = automationRig(closers);

  it('every answer of every operation — results and refusals — has a status, problem, content type and body the document lists', async () => {
    const document = openApiDocument();
    const checker = new DocumentChecker(document);
    // The rate limits' clock moves a minute per request, so each request meets the check it is for; then it stops, for a 429.
    let clock = 0;
    let moving = true;
    const r = await rig({}, {}, () => (moving ? (clock += 60_000) : clock));
    const call = async (method: string, path: string, options: Parameters<Rig['call']>[1] = {}): Promise<ApiAnswer> => checker.check(method, path, await r.call(path, { method, ...options }));

    await call('GET', '/api/v1/openapi.json');
    const asked = await call('POST', '/api/v1/pairing', { body: { name: 'Acme CRM', scopes: ['read', 'calls', 'presence', 'chats'] }, origin: PAGE });
    await call('POST', '/api/v1/pairing', { body: { name: 'Acme CRM', scopes: ['read'] }, origin: PAGE });
    await call('GET', `/api/v1/pairing/${asked.json.pairingId}`, { origin: PAGE });
    await eventually(() => r.desk.state.automation?.requests.length === 1, 'the request on the desk');
    r.automation.answerPairing(asked.json.pairingId, true);
    const token = (await call('GET', `/api/v1/pairing/${asked.json.pairingId}`, { origin: PAGE })).json.token as string;
    await call('GET', `/api/v1/pairing/${asked.json.pairingId}`, { origin: PAGE });
    await call('POST', '/api/v1/pairing', { body: { name: 'X', origin: PAGE, scopes: ['read'] } });
    await call('POST', '/api/v1/pairing', { body: { name: 'X', scopes: ['read'] }, origin: 'null' });
    const reader = await r.pair(['read'], { name: 'Reader' });
    const app = { token, origin: PAGE };

    await call('GET', '/api/v1/client', app);
    await call('GET', '/api/v1/desk', app);
    await call('GET', '/api/v1/desk', { origin: PAGE });
    await call('GET', '/api/v1/desk', { ...app, origin: 'https://other.example' });
    await call('GET', `/api/v1/desk?access_token=${token}`);
    await call('GET', '/api/v1/desk', { ...app, host: 'rebound.example' });

    const stream = closers.add(await openEvents(r.port, token, { origin: PAGE }), (s) => s.close());
    checker.check('GET', '/api/v1/events', { status: stream.status, headers: stream.headers, text: '', json: undefined });
    ring(r, 'c1');
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/c1')}/answer`, app);
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/c1')}/hold`, app);
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/none')}/retrieve`, app);
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'connected', actions: ['hold', 'hangup'] } });
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/c1')}/hold`, app);
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'held', actions: ['retrieve', 'hangup'] } });
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/c1')}/retrieve`, app);
    await call('POST', `/api/v1/calls/${encodeURIComponent('voice/c1')}/hangup`, app);
    r.voice.emit({ type: 'call', call: { id: 'c1', state: 'ended', endReason: 'local' } });
    await call('POST', '/api/v1/calls', { ...app, body: { number: '+358 40 123 4567' } });
    await call('POST', '/api/v1/calls', { ...app, body: { number: 'callto:echo123' } });
    await call('POST', '/api/v1/calls', { ...app, body: { number: '123', account: 'nowhere' } });
    await call('POST', '/api/v1/calls', { ...app, body: { numbr: '123' } });
    await call('POST', '/api/v1/calls', { ...app, raw: '{"number":' });
    await call('POST', '/api/v1/calls', { ...app, raw: 'number=1', contentType: 'application/x-www-form-urlencoded' });
    await call('POST', '/api/v1/calls', { ...app, raw: JSON.stringify({ number: '1'.repeat(20_000) }) });
    await call('POST', '/api/v1/calls', { token: reader, body: { number: '123' } });
    await call('PUT', '/api/v1/presence', { ...app, body: { state: 'not-ready' } });
    await call('PUT', '/api/v1/presence', { ...app, body: { state: 'ready', account: 'voice' } });
    await call('PUT', '/api/v1/presence', { ...app, body: { state: 'ready', account: 'nowhere' } });
    r.voice.emit({ type: 'chat', chat: { id: 'k1', state: 'active', actions: ['send'] } });
    await eventually(() => r.desk.state.chats['voice/k1'], 'the chat');
    await call('POST', `/api/v1/chats/${encodeURIComponent('voice/k1')}/messages`, { ...app, body: { text: 'Hello' } });
    await call('POST', `/api/v1/chats/${encodeURIComponent('voice/none')}/messages`, { ...app, body: { text: 'Hello' } });
    r.voice.refuse = 'The platform is busy.';
    await call('PUT', '/api/v1/presence', { ...app, body: { state: 'ready' } });
    moving = false;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call('PUT', '/api/v1/presence', { ...app, body: { state: 'ready' } })).status);
    assert.ok(statuses.includes(429), 'the rate limit answered too');
    moving = true;

    const events = checker.validator((document.components as { schemas: Record<string, unknown> }).schemas.Event);
    await eventually(() => stream.messages.some((m) => m.event === 'chat.offered'), 'the events so far');
    for (const message of stream.messages) assert.ok(events(message.data), `${message.event} is not what the document says: ${JSON.stringify(events.errors)}`);

    await call('DELETE', '/api/v1/client', app);
    await call('GET', '/api/v1/client', app);
    const ended = await eventually(() => stream.ended() && stream.messages.at(-1), 'the stream ends with the token');
    assert.ok(events(ended.data), `${ended.event} is not what the document says`);

    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual([...checker.seen].sort(), documented.sort(), 'every operation was checked');
  });
});
