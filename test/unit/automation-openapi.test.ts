/**
 * The automation API's OpenAPI document says what the code does (issue 20, point 2): it is
 * generated from the routes and their zod schemas, the committed copy is that document, the API
 * serves the same one, and the router serves exactly the operations it lists.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../main/config.js';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { openApiDocument } from '../../main/api/openapi.js';
import { API_EVENT_TYPES } from '../../main/api/schemas.js';
import { OPENAPI_FILE, openApiText } from '../../scripts/automation-openapi.js';
import { apiRequest } from '../support/api-client.js';

type Operations = Record<string, Record<string, { responses: Record<string, unknown>; security: unknown[] }>>;

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
