/**
 * The automation API over real HTTP on loopback, against a desk with one scripted account (`voice`:
 * dials, controls calls, ready/not ready), for the tests that speak to the API as an app would.
 */
import assert from 'node:assert/strict';
import { parseConfig, resolveSecret } from '../../main/config.js';
import { Desk, memoryPreferences } from '../../main/desk/desk.js';
import { ScriptedConnector } from './scripted-connector.js';
import { createLogger } from '../../main/log.js';
import { Automation } from '../../main/api/index.js';
import { problemSchema } from '../../main/api/schemas.js';
import { apiRequest, type ApiAnswer } from './api-client.js';
import type { Closers } from './closers.js';
import { eventually } from './eventually.js';


/** A web page's origin the tests pair from. */
export const PAGE = 'https://crm.example.com';

export interface Rig {
  voice: ScriptedConnector;
  desk: Desk;
  automation: Automation;
  port: number;
  /** Every log line (pino JSON), in order. */
  logs: string[];
  store: { store: Record<string, unknown> };
  /** Sends a request to the API. */
  call(path: string, options?: Parameters<typeof apiRequest>[2]): Promise<ApiAnswer>;
  /** Pairs an app the agent allows; returns its token. */
  pair(scopes: string[], options?: { name?: string; origin?: string }): Promise<string>;
}

/**
 * A rig factory whose rigs `closers` stops.
 * @returns `rig(automation, env, nowMs)`: `automation` is the `automation` settings (enabled, port 0
 *   added), `env` what `{env: …}` tokens read, `nowMs` the rate limits' clock (ms; default the real one).
 */
export function automationRig(closers: Closers): (automation?: Record<string, unknown>, env?: NodeJS.ProcessEnv, nowMs?: () => number) => Promise<Rig> {
  return async (automation = {}, env = {}, nowMs = undefined) => {
    const voice = new ScriptedConnector();
    const logs: string[] = [];
    const log = createLogger('info', { write: (line: string) => logs.push(line) });
    const desk = new Desk({
      accounts: [{ seed: { id: 'voice', vendor: 'test', label: 'Voice', demo: false, presenceOptions: ['ready', 'not-ready'], canDial: true, callControl: true }, connector: voice }],
      log,
      preferences: memoryPreferences(),
    });
    const store = { store: {} as Record<string, unknown> };
    const config = parseConfig({ automation: { enabled: true, port: 0, ...automation } }).automation;
    const api = closers.add(new Automation({ desk, config, log, store, secret: (ref, field) => resolveSecret(ref, env, undefined, field), ...(nowMs ? { nowMs } : {}) }), (a) => a.close());
    desk.start();
    await api.listen();
    const port = api.port;
    const call = (path: string, options?: Parameters<typeof apiRequest>[2]) => apiRequest(port, path, options);
    const pair = async (scopes: string[], options: { name?: string; origin?: string } = {}): Promise<string> => {
      const asked = await call('/api/v1/pairing', { body: { name: options.name ?? 'Acme CRM', scopes }, ...(options.origin ? { origin: options.origin } : {}) });
      assert.equal(asked.status, 202, asked.text);
      await eventually(() => desk.state.automation?.requests.some((r) => r.id === asked.json.pairingId), 'the request is on the desk');
      api.answerPairing(asked.json.pairingId, true);
      const answer = await call(`/api/v1/pairing/${asked.json.pairingId}`, options.origin ? { origin: options.origin } : {});
      assert.equal(answer.json.status, 'allowed');
      return answer.json.token as string;
    };
    return { voice, desk, automation: api, port, logs, store, call, pair };
  };
}

/** A call ringing in on the scripted account (`voice/<id>` on the desk). */
export const ring = (r: Rig, id = 'c1', caller = '+358401234567'): void => r.voice.emit({ type: 'call', call: { id, state: 'ringing', direction: 'inbound', caller, actions: ['answer', 'hangup'] } });

/** Asserts a problem document of `type` code and `status`, and returns it. */
export function assertProblem(answer: ApiAnswer, status: number, code: string): ApiAnswer['json'] {
  assert.equal(answer.status, status, answer.text);
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  assert.equal(answer.json.type, `urn:agent-companion:problem:${code}`);
  assert.ok(problemSchema.safeParse(answer.json).success, 'a problem document');
  assert.ok(answer.json.detail.length > 10, 'says what went wrong');
  return answer.json;
}
