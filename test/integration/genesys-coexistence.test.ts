/**
 * The global-shim problem: `cometd` needs a browser-like `window`, `@microsoft/signalr` and other
 * libraries look at `window` to decide whether they run in a browser. The Genesys connector keeps
 * `window` scoped to CometD's own code (main/vendors/genesys/cometd-runtime.ts). These tests run a live
 * Genesys connector next to (1) a bare `@microsoft/signalr` HubConnection against a tiny hub and
 * (2) the real Enreach connector against its simulator, in one process, and watch `window`
 * throughout.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection, type IHttpConnectionOptions } from '@microsoft/signalr';
import WebSocket, { WebSocketServer } from 'ws';
import type { Connector } from '../../main/desk/port.js';
import { enreachAccountSchema } from '../../main/vendors/enreach/config.js';
import { createEnreachConnector } from '../../main/vendors/enreach/connector.js';
import { startEnreachSimulator, type EnreachSimulator } from '../../main/vendors/enreach/simulator/index.js';
import { createGenesysConnector } from '../../main/vendors/genesys/connector.js';
import { startGenesysSimulator, type GenesysSimulator } from '../../main/vendors/genesys/simulator/index.js';
import { accountFor, captureLog, deskHarness, eventually, FAST } from '../fixtures/genesys/harness.js';

const RS = '\u001e';
const require = createRequire(import.meta.url);
/** signalr's own platform probe (what the library itself consults). */
const { Platform } = require('@microsoft/signalr/dist/cjs/Utils.js') as {
  Platform: { isNode: boolean; isBrowser: boolean; isReactNative: boolean; isWebWorker: boolean };
};

/** A minimal ASP.NET-Core-style SignalR hub: negotiate over HTTP, JSON protocol over WebSockets. */
async function startTinyHub(): Promise<{ url: string; negotiations: number; broadcast(text: string): void; close(): Promise<void> }> {
  let negotiations = 0;
  const sockets = new Set<WebSocket>();
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/hub/negotiate')) {
      negotiations += 1;
      const id = randomUUID();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ negotiateVersion: 1, connectionId: id, connectionToken: id, availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }] }));
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, path: '/hub' });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (raw) => {
      for (const frame of raw.toString().split(RS).filter(Boolean)) {
        const message = JSON.parse(frame) as { protocol?: string; type?: number; invocationId?: string; target?: string; arguments?: unknown[] };
        if (message.protocol) ws.send(`{}${RS}`);
        else if (message.type === 1 && message.target === 'Echo') ws.send(JSON.stringify({ type: 3, invocationId: message.invocationId, result: message.arguments?.[0] }) + RS);
        else if (message.type === 6) ws.send(`{"type":6}${RS}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`,
    get negotiations() {
      return negotiations;
    },
    broadcast(text) {
      for (const ws of sockets) ws.send(JSON.stringify({ type: 1, target: 'hello', arguments: [text] }) + RS);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Samples `typeof window` on every timer turn while armed. */
function windowWatch(): { seen: Set<string>; stop(): void } {
  const seen = new Set<string>();
  const timer = setInterval(() => seen.add(typeof (globalThis as { window?: unknown }).window), 1);
  return { seen, stop: () => clearInterval(timer) };
}

describe('Genesys (CometD) side by side with SignalR in one process', () => {
  let genesysSim: GenesysSimulator;
  let genesys: Connector;
  let genesysDesk: ReturnType<typeof deskHarness>;

  before(async () => {
    genesysSim = await startGenesysSimulator({ longPollTimeoutMs: 1_000, operationDelayMs: 5 });
    genesysDesk = deskHarness('gen', captureLog('warn').log);
    genesys = createGenesysConnector(accountFor(genesysSim), { password: genesysSim.credentials.password }, FAST);
    genesys.start(genesysDesk.context);
    await eventually(() => genesysDesk.account().connection === 'connected', 'Genesys connected');
  });

  after(async () => {
    await genesys.stop();
    await genesysSim.close();
  });

  it('leaves no window global while CometD runs, so signalr still sees Node and negotiates over fetch', async () => {
    const watch = windowWatch();
    const hub = await startTinyHub();
    const inCallbacks: string[] = [];
    const fetchCalls: string[] = [];
    // signalr's default HttpClient picks `fetch` in Node (its platform probe): spy on the global to see it used.
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      fetchCalls.push(String(input instanceof Request ? input.url : input));
      inCallbacks.push(typeof (globalThis as { window?: unknown }).window);
      return realFetch(input, init);
    }) as typeof fetch;
    let connection: HubConnection;
    try {
      connection = new HubConnectionBuilder()
        // `WebSocket` is an accepted option the typings omit (signalr's HttpConnection reads it).
        .withUrl(hub.url, { transport: HttpTransportType.WebSockets, WebSocket } as IHttpConnectionOptions)
        .configureLogging(LogLevel.None)
        .build();
    } finally {
      globalThis.fetch = realFetch;
    }
    const greetings: string[] = [];
    connection.on('hello', (text: string) => {
      inCallbacks.push(typeof (globalThis as { window?: unknown }).window);
      greetings.push(text);
    });
    try {
      // CometD is busy meanwhile: chats and calls flow through the Genesys connector.
      const chatId = genesysSim.offerChat({ customer: 'Lea', text: 'parallel' });
      await connection.start();
      assert.equal(Platform.isNode, true);
      assert.equal(Platform.isBrowser, false);
      assert.equal(Platform.isReactNative, false);
      assert.equal(await connection.invoke('Echo', 'ping'), 'ping');
      for (let i = 0; i < 5; i++) {
        hub.broadcast(`hi ${i}`);
        genesysSim.customerWrites(chatId, `line ${i}`);
      }
      await eventually(() => greetings.length === 5, 'signalr messages');
      await eventually(() => genesysDesk.chat(chatId)?.messages.filter((m) => m.kind === 'text').length === 6, 'Genesys messages');
      assert.ok(hub.negotiations >= 1);
      assert.ok(fetchCalls.some((u) => u.includes('/hub/negotiate')), 'negotiate went through fetch');
      assert.deepEqual([...new Set(inCallbacks)], ['undefined'], 'no window inside signalr callbacks');
    } finally {
      await connection.stop();
      await hub.close();
      watch.stop();
    }
    assert.deepEqual([...watch.seen], ['undefined'], 'window never visible to other code');
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  });

  it('runs the real Enreach connector (SignalR) and the Genesys connector together', async () => {
    const watch = windowWatch();
    let enreachSim: EnreachSimulator | undefined;
    let enreach: Connector | undefined;
    try {
      enreachSim = await startEnreachSimulator();
      const enreachDesk = deskHarness('enr', captureLog('warn').log);
      const account = enreachAccountSchema.parse({
        id: 'enr',
        vendor: 'enreach',
        apiUrl: enreachSim.apiUrl,
        user: enreachSim.credentials.user,
        secretKey: enreachSim.credentials.secretKey,
      });
      enreach = createEnreachConnector(account, { secretKey: enreachSim.credentials.secretKey }, { backoff: FAST.backoff });
      enreach.start(enreachDesk.context);
      await eventually(() => enreachDesk.account().connection === 'connected', 'Enreach connected');

      const enreachCall = enreachSim.ringCall({ caller: '+358401234567' });
      const genesysCall = genesysSim.ringCall({ ani: '+4420794600' });
      await eventually(() => enreachDesk.call(enreachCall), 'Enreach call on its desk');
      await eventually(() => genesysDesk.call(genesysCall)?.state === 'ringing', 'Genesys call on its desk');
      await genesys.execute({ type: 'call.action', callId: genesysCall, action: 'answer' });
      await eventually(() => genesysDesk.call(genesysCall)?.state === 'connected', 'Genesys answered');
      enreachSim.answerCall(enreachCall);
      await eventually(() => enreachDesk.call(enreachCall)?.state === 'connected', 'Enreach connected call');
      enreachSim.hangupCall(enreachCall);
      genesysSim.releaseCall(genesysCall);
      await eventually(() => enreachDesk.call(enreachCall)?.state === 'ended', 'Enreach call ended');
      await eventually(() => genesysDesk.call(genesysCall)?.state === 'ended', 'Genesys call ended');
      assert.equal(enreachDesk.account().connection, 'connected');
      assert.equal(genesysDesk.account().connection, 'connected');
    } finally {
      await enreach?.stop();
      await enreachSim?.close();
      watch.stop();
    }
    assert.deepEqual([...watch.seen], ['undefined']);
  });

  it('runs a second Genesys account beside the first, each with its own cookie jar', async () => {
    const other = await startGenesysSimulator({ longPollTimeoutMs: 1_000, operationDelayMs: 5 });
    const desk2 = deskHarness('gen2', captureLog('warn').log);
    const second = createGenesysConnector(accountFor(other, { id: 'gen2' }), { password: other.credentials.password }, FAST);
    try {
      second.start(desk2.context);
      await eventually(() => desk2.account().connection === 'connected', 'second account connected');
      const a = genesysSim.offerChat({ customer: 'First', text: 'to account one' });
      const b = other.offerChat({ customer: 'Second', text: 'to account two' });
      await eventually(() => genesysDesk.chat(a)?.messages.some((m) => m.text === 'to account one'), 'first desk');
      await eventually(() => desk2.chat(b)?.messages.some((m) => m.text === 'to account two'), 'second desk');
      assert.equal(desk2.chat(a), undefined);
      assert.equal(genesysDesk.chat(b), undefined);
      const polls = other.metaConnects;
      await eventually(() => other.metaConnects >= polls + 2, 'second account keeps polling');
      assert.equal(other.handshakes, 1);
      assert.equal(genesysSim.handshakes, 1);
    } finally {
      await second.stop();
      await other.close();
    }
  });
});
