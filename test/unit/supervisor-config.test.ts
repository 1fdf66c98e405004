import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../support/eventually.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { createLogger } from '../../main/log.js';
import { ConnectionSupervisor, type Session } from '../../main/vendors/kit/supervisor.js';
import { ConnectionError } from '../../main/desk/port.js';
import { ConfigError, configPathFrom, parseConfig, resolveSecret } from '../../main/config.js';

const FAST = { initialMs: 1, maxMs: 5, jitter: 0 };

/** A session the test closes at will. */
function session(): Session & { drop(error?: Error): void } {
  let drop!: (error?: Error) => void;
  const closed = new Promise<Error | undefined>((resolve) => (drop = resolve));
  return { closed, drop: (e) => drop(e ?? new Error('socket closed')), close: async () => drop(undefined) };
}

describe('connection supervisor', () => {
  it('reconnects after a lost connection and reports each state with its reason', async () => {
    const events: ConnectorEvent[] = [];
    const sessions: Array<ReturnType<typeof session>> = [];
    let attempts = 0;
    const supervisor = new ConnectionSupervisor({
      connect: async () => {
        attempts++;
        if (attempts === 2) throw new Error('ECONNREFUSED');
        const s = session();
        sessions.push(s);
        return s;
      },
      emit: (e) => events.push(e),
      log: createLogger('silent'),
      backoff: FAST,
    });
    supervisor.start();
    await eventually(() => sessions.length === 1, 'a first session');
    sessions[0]!.drop(new Error('socket closed'));
    await eventually(() => sessions.length === 2, 'a second session');
    await eventually(() => supervisor.connected, 'the supervisor is connected');
    await supervisor.stop();
    const states = events.map((e) => (e.type === 'connection' ? `${e.state}${e.reason ? `:${e.reason}` : ''}` : e.type));
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting:socket closed', 'reconnecting:ECONNREFUSED', 'connected', 'stopped']);
  });

  it('stops at failed on an error a person must fix, and tries again when asked', async () => {
    const events: ConnectorEvent[] = [];
    let fail = true;
    const supervisor = new ConnectionSupervisor({
      connect: async () => {
        if (fail) throw new ConnectionError('wrong secret key for agent@example.com', true);
        return session();
      },
      emit: (e) => events.push(e),
      log: createLogger('silent'),
      backoff: FAST,
    });
    supervisor.start();
    await eventually(() => events.some((e) => e.type === 'connection' && e.state === 'failed'), 'the supervisor reported failed');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(events.filter((e) => e.type === 'connection' && e.state === 'failed').length, 1, 'no retry loop on a fatal error');
    fail = false;
    supervisor.retry();
    await eventually(() => supervisor.connected, 'the supervisor is connected');
    await supervisor.stop();
  });
});

describe('config', () => {
  it('names every bad field in one error', () => {
    assert.throws(
      () =>
        parseConfig({
          accounts: [
            { id: 'Bad Id', vendor: 'enreach', user: 'not-an-email', secretKey: 'x' },
            { id: 'g', vendor: 'genesys', baseUrl: 'https://gws.example.com', user: 'agent' },
          ],
          display: { theme: 'purple' },
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /accounts\[0\]\.id/);
        assert.match(error.message, /accounts\[0\]\.user/);
        assert.match(error.message, /accounts\[1\]\.password/);
        assert.match(error.message, /display\.theme/);
        return true;
      },
    );
  });

  it('refuses two accounts with the same id and unknown vendors', () => {
    assert.throws(
      () =>
        parseConfig({
          accounts: [
            { id: 'a', vendor: 'enreach', user: 'a@example.com', secretKey: 'x' },
            { id: 'a', vendor: 'enreach', user: 'b@example.com', secretKey: 'y' },
          ],
        }),
      /accounts\[1\]\.id: "a" is used by another account/,
    );
    assert.throws(() => parseConfig({ accounts: [{ id: 'x', vendor: 'avaya' }] }), /accounts\[0\]\.vendor/);
  });

  it('defaults to no accounts (demo mode) and takes the path from --config or the environment', () => {
    assert.deepEqual(parseConfig({}).accounts, []);
    assert.equal(configPathFrom(['--config', '/etc/ac.json'], {}), '/etc/ac.json');
    assert.equal(configPathFrom(['--config=/x.json'], {}), '/x.json');
    assert.equal(configPathFrom([], { AGENT_COMPANION_CONFIG: '/env.json' }), '/env.json');
  });

  it('reads secrets inline or from the environment, and says which variable is missing', () => {
    assert.equal(resolveSecret('s3cret', {}), 's3cret');
    assert.equal(resolveSecret({ env: 'ENREACH_KEY' }, { ENREACH_KEY: 'k' }), 'k');
    assert.throws(() => resolveSecret({ env: 'ENREACH_KEY' }, {}), /ENREACH_KEY is not set/);
    assert.throws(() => resolveSecret({ encrypted: 'AAAA' }, {}), /desktop app/);
  });
});
