/**
 * Fuzzing the automation API's requests (issue 20, point 6): every route's valid body, mutated, and
 * any text, sent over HTTP with a token granted every scope. No request crashes the server (no
 * 5xx, and it answers the next request), a refused one reaches no connector and asks the agent
 * nothing, and whatever is carried out had a body the route's schema accepts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '../../main/config.js';
import { Desk } from '../../main/desk/desk.js';
import type { Connector, ConnectorCommand, ConnectorContext } from '../../main/desk/port.js';
import { createLogger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { ROUTES, type RouteSpec } from '../../main/api/routes.js';
import { apiRequest } from '../support/api-client.js';
import { checkAsync, mutated, mutatedText, textOf } from './mutate.js';

class Recording implements Connector {
  readonly commands: ConnectorCommand[] = [];
  start(context: ConnectorContext): void {
    context.emit({ type: 'connection', state: 'connected' });
    context.emit({ type: 'call', call: { id: 'c1', state: 'ringing', actions: ['answer', 'hangup'] } });
    context.emit({ type: 'chat', chat: { id: 'k1', state: 'active', actions: ['send', 'complete'] } });
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(command: ConnectorCommand): Promise<void> {
    this.commands.push(command);
  }
}

/** A valid body of each route that takes one (the seeds the mutations start from). */
const BODIES: Record<string, unknown> = {
  requestPairing: { name: 'Acme CRM', origin: 'https://crm.example.com', scopes: ['read', 'calls'] },
  dial: { number: '+358 40 123 4567', account: 'voice' },
  setPresence: { state: 'not-ready', reason: 'lunch', account: 'voice' },
  sendChatMessage: { text: 'Hello' },
};

describe('the automation API, fuzzed', () => {
  const connector = new Recording();
  const log = createLogger('silent');
  const desk = new Desk({ accounts: [{ seed: { id: 'voice', vendor: 'test', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'], canDial: true, callControl: true }, connector }], log });
  // The rate limits' clock runs a minute per request, so every case reaches validation.
  let clock = 0;
  const automation = new Automation({ desk, config: parseConfig({ automation: { enabled: true, port: 0 } }).automation, log, secret: () => '', nowMs: () => (clock += 60_000) });
  let token = '';
  before(async () => {
    desk.start();
    await automation.listen();
    const asked = await apiRequest(automation.port, '/api/v1/pairing', { body: { name: 'Fuzzer', scopes: ['read', 'calls', 'presence', 'chats'] } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    automation.answerPairing(asked.json.pairingId, true);
    token = (await apiRequest(automation.port, `/api/v1/pairing/${asked.json.pairingId}`)).json.token;
  });
  after(() => automation.close());

  const routes = (ROUTES as readonly RouteSpec[]).filter((route) => route.body);
  const paths: Record<string, string> = {
    dial: '/api/v1/calls',
    requestPairing: '/api/v1/pairing',
    setPresence: '/api/v1/presence',
    sendChatMessage: `/api/v1/chats/${encodeURIComponent('voice/k1')}/messages`,
  };

  it('every body route’s valid body, mutated (and any text): never a 5xx, a refusal never acts, what acts was valid', async () => {
    assert.deepEqual(routes.map((r) => r.operationId).sort(), Object.keys(BODIES).sort(), 'a seed for every route that takes a body');
    await checkAsync(
      'automation API: request bodies',
      fc.tuple(
        fc.constantFrom(...routes),
        fc.oneof(
          mutated(Object.values(BODIES)),
          mutatedText(Object.values(BODIES).map((b) => JSON.stringify(b))),
          fc.string(),
        ),
      ),
      async ([route, drawn]) => {
        const text = typeof drawn === 'string' ? drawn : textOf(drawn);
        const commandsBefore = connector.commands.length;
        const requestsBefore = desk.state.automation?.requests.length ?? 0;
        const answer = await apiRequest(automation.port, paths[route.operationId]!, { method: route.method, token, raw: text });
        assert.ok(answer.status < 500, `${route.operationId}: ${answer.status} ${answer.text.slice(0, 300)}`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (answer.status >= 400) {
          assert.equal(connector.commands.length, commandsBefore, `a refused ${route.operationId} reached the platform: ${text.slice(0, 200)}`);
          await new Promise((resolve) => setImmediate(resolve));
          assert.equal(desk.state.automation?.requests.length ?? 0, requestsBefore, 'a refused pairing request reached the agent');
        } else {
          assert.ok(route.body!.safeParse(parsed).success, `${route.operationId} acted on a body its schema refuses: ${text.slice(0, 200)}`);
        }
      },
      4,
    );
    // Still serving.
    assert.equal((await apiRequest(automation.port, '/api/v1/desk', { token })).status, 200);
  });
});
