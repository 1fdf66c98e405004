/// <reference lib="dom" />
/**
 * `npm run bench`: how fast the desk folds events, and how soon a wire event reaches the DOM.
 *
 * 1. Core throughput (plain Node): vendor frame → parse → route → store → bridge message (the JSON
 *    a renderer receives), for an Enreach mixed stream, a Genesys chat flood and a UCCX event stream
 *    (wire frames through the `~!OM` decoder and the DCP client); once with a bridge message per
 *    event (worst case) and once coalesced the way the hub does it in production.
 * 2. Wire-to-DOM latency (Chromium): the Enreach simulator floods a mixed stream (queue figures,
 *    callbacks, availability) at several rates while marker calls ring; the page stamps when each
 *    marker's row appears. Latency = DOM time − time the simulator sent the frame (same clock).
 *
 * Prints a table. Figures vary by machine; compare runs on the same machine only.
 */
import { performance } from 'node:perf_hooks';
import { BridgeHub } from '../../main/bridge.js';
import { Desk } from '../../main/desk/desk.js';
import type { ConnectorEvent } from '../../main/desk/events.js';
import { createLogger } from '../../main/log.js';
import { parseConfig } from '../../main/config.js';
import { ReadOnlySettings } from '../../main/settings.js';
import type { Connector, ConnectorContext } from '../../main/desk/port.js';
import { routeEvent } from '../../main/vendors/enreach/normalize.js';
import { parseMessage } from '../../main/vendors/enreach/schema.js';
import { parseGenesysMessage, routeGenesysMessage } from '../../main/vendors/genesys/normalize.js';
import { DcpClient } from '../../main/vendors/openmethods/dcp.js';
import { UccxFold } from '../../main/vendors/openmethods/fold.js';
import { FrameDecoder, encodeJsonFrame, readJsonBody } from '../../main/vendors/openmethods/transport.js';
import { eventually, startRunningDesk } from '../e2e/harness.js';

const log = createLogger('silent');

class Feed implements Connector {
  context?: ConnectorContext;
  start(context: ConnectorContext): void {
    this.context = context;
    context.emit({ type: 'connection', state: 'connected' });
  }
  retry(): void {}
  resume(): void {}
  async stop(): Promise<void> {}
  async execute(): Promise<void> {}
}

const ORG = '29f6e823-b484-e611-80c9-00505689257e';
const USER = 'aa9730c4-ce86-e611-80c9-00505689257e';
const QUEUES = Array.from({ length: 8 }, (_, i) => `c9eeb030-ff4b-ea11-ac9c-00155d4fdc${String(i).padStart(2, '0')}`);

function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A realistic mixed RTE stream: queue figures, a call's lifecycle, callbacks, user status. */
function enreachFrame(i: number): unknown {
  const base = { rootEntityType: 'Organization', rootEntityId: ORG, organizationId: ORG, id: guid(i), timestamp: new Date().toISOString() };
  const call = guid(1_000_000 + Math.floor(i / 10));
  switch (i % 10) {
    case 0:
      return { subscription: { eventType: 'UserCallInComing' }, data: { ...base, eventType: 'UserCallInComing', entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', callerNumber: '+358401234567', targetNumber: '+35810555' } };
    case 3:
      return { subscription: { eventType: 'UserCallInUserConnected' }, data: { ...base, eventType: 'UserCallInUserConnected', entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', callerNumber: '+358401234567' } };
    case 6:
      return { subscription: { eventType: 'UserCallInDisconnected' }, data: { ...base, eventType: 'UserCallInDisconnected', entityType: 'User', entityId: USER, userId: USER, callId: call, legId: 'leg', reason: 'remote' } };
    case 7:
      return { subscription: { eventType: 'CallbackChanged' }, data: { ...base, eventType: 'CallbackChanged', entityType: 'CallList', entityId: QUEUES[0], callBackId: guid(2_000_000 + (i % 200)), callListId: QUEUES[0], contactNumber: '+358409876543', creationTime: '2026-11-20T08:00:00', modified: '2026-11-20T08:00:00', isClosed: i % 3 === 0, created: false, typeId: 1 } };
    case 8:
      return { subscription: { eventType: 'UserStatus' }, data: { ...base, eventType: 'UserStatus', entityType: 'User', entityId: USER, userId: USER, talking: i % 2 === 0, available: true, serving: true } };
    default:
      return { subscription: { eventType: 'QueueStatus' }, data: { ...base, eventType: 'QueueStatus', entityType: 'Queue', entityId: QUEUES[i % 8], queueId: QUEUES[i % 8], queueName: `Queue ${i % 8}`, nbrOfQueuingRequesters: i % 13, maxWaitTime: i % 300, nbrOfAgentsImmediatelyFree: i % 5, openStatus: 5 } };
  }
}

/** A Genesys chat flood: many chats, customers writing in each. */
function genesysFrame(i: number): unknown {
  const chat = `0000Wa9CAM6W${String(i % 40).padStart(4, '0')}`;
  if (i < 40) {
    return { channel: '/v2/me/chats', data: { messageType: 'ChatStateChangeMessage', notificationType: 'StatusChange', chat: { id: chat, state: 'Chatting', capabilities: ['SendMessage', 'Complete'], participants: [{ nickname: 'Customer', type: 'Customer', participantId: 'C1' }, { nickname: 'Agent', type: 'Agent', participantId: 'A1' }], userData: {} } } };
  }
  return {
    channel: '/v2/me/chats',
    data: {
      messageType: 'MessageLogUpdated',
      notificationType: 'NewMessages',
      chatUri: `http://localhost:8080/api/v2/chats/${chat}`,
      messages: [{ index: Math.floor(i / 40), from: { nickname: 'Customer', type: 'Customer', participantId: 'C1' }, text: `line ${i}`, visibility: 'All', type: 'Text', timestampSeconds: 1_763_628_000_000 + i }],
    },
  };
}

/**
 * A UCCX event stream as wire frames (`~!OM` + DCP JSON): per ten frames one call's lifecycle
 * (alerting, answered, ended, the agent's RESERVED / TALKING / WORK_READY) and a team-status change
 * of three members.
 */
function uccxFrame(i: number): Buffer {
  const session = 'session-1001-1';
  const call = `int-${Math.floor(i / 10)}`;
  const conversation = `conv-${Math.floor(i / 10)}`;
  const resource = (name: string, target: string, data: unknown) => encodeJsonFrame(1, { messageType: 'resourceEvent', resourceId: session, name, target, data });
  const interaction = { 'interaction-id': call, 'interaction-state': 'ALERTING', 'interaction-data': { ani: '+14155550142', dnis: '8005550199', callVariables: { Account: `ACC-${i}`, Topic: 'Billing' } }, conversations: { primary: { id: conversation } } };
  const state = (value: string) => resource('session.stateChanged', session, { state: value, reasonCode: null, reasonLabel: null, since: '2026-11-21T09:00:00.000Z' });
  const leg = (value: string) => resource('conversation.stateChanged', `${session}.${call}.${conversation}`, { 'conversation-id': conversation, state: value });
  switch (i % 10) {
    case 0:
      return resource('interaction.alerting', `${session}.${call}`, interaction);
    case 1:
      return leg('ALERTING');
    case 2:
      return state('RESERVED');
    case 3:
      return leg('ACTIVE');
    case 4:
      return resource('interaction.started', `${session}.${call}`, { ...interaction, 'interaction-state': 'ACTIVE' });
    case 5:
      return state('TALKING');
    case 6: {
      const statuses = ['ready', 'not_ready', 'ACW'];
      const members = [0, 1, 2].map((k) => ({ memberId: `agent-${(i + k) % 40}`, memberType: 'Agent', memberName: `Agent ${(i + k) % 40}`, status: statuses[(i + k) % 3], reason: (i + k) % 3 === 1 ? '2' : '' }));
      return encodeJsonFrame(1, { messageType: 'serviceEvent', serviceId: 'uccx-reports', name: 'report.teamstatus.memberstatuschanged', data: { agentId: '1001', team: { teamId: `team-${i % 4}`, teamName: `Team ${i % 4}`, members } } });
    }
    case 7:
      return leg('DROPPED');
    case 8:
      return resource('interaction.ended', `${session}.${call}`, { ...interaction, 'interaction-state': 'ENDED' });
    default:
      return state(i % 20 === 9 ? 'WORK_READY' : 'READY');
  }
}

/** Wire frame → `~!OM` decoder → JSON → DCP client → the connector's fold → desk events. */
function uccxEvents(): (frame: unknown) => ConnectorEvent[] {
  const decoder = new FrameDecoder();
  const fold = new UccxFold(log);
  let out: ConnectorEvent[] = [];
  const dcp = new DcpClient({
    send: () => undefined,
    log,
    timeoutMs: 1_000,
    onEvent: (event) => {
      const now = new Date().toISOString();
      if (event.kind === 'resource') out.push(...fold.resourceEvent(event.name, event.target, event.data, now));
      else if (event.kind === 'service') out.push(...fold.reportEvent(event.name, event.data, now));
    },
  });
  return (frame) => {
    out = [];
    for (const decoded of decoder.push(frame as Buffer).frames) dcp.receive(readJsonBody(decoded.body).value);
    return out;
  };
}

function throughput(name: string, frames: unknown[], toEvents: (frame: unknown) => ConnectorEvent[], coalesce: number): { name: string; eventsPerSec: number; bytesPerEvent: number } {
  const feed = new Feed();
  const desk = new Desk({ accounts: [{ seed: { id: 'a', vendor: 'enreach', label: 'A', demo: false, presenceOptions: ['ready'] }, connector: feed }], log });
  const hub = new BridgeHub(desk, log, new ReadOnlySettings(parseConfig({}), 'the bench'));
  let bytes = 0;
  hub.open((text) => void (bytes += text.length)).receive(JSON.stringify({ type: 'subscribe' }));
  desk.start();
  bytes = 0;
  const started = performance.now();
  frames.forEach((frame, i) => {
    for (const event of toEvents(frame)) feed.context!.emit(event);
    if ((i + 1) % coalesce === 0) hub.flush();
  });
  hub.flush();
  const seconds = (performance.now() - started) / 1000;
  hub.close();
  return { name, eventsPerSec: Math.round(frames.length / seconds), bytesPerEvent: Math.round(bytes / frames.length) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function latency(rates: number[], seconds: number): Promise<Array<{ rate: number; markers: number; p50: number; p99: number; max: number }>> {
  const desk = await startRunningDesk();
  const { page, enreach } = desk;
  await page.evaluate(() => {
    const seen = new Map<string, number>();
    (window as unknown as { __seen: Map<string, number> }).__seen = seen;
    new MutationObserver(() => {
      for (const row of document.querySelectorAll<HTMLElement>('[data-testid="call"]')) {
        const key = row.dataset.key;
        if (key && !seen.has(key)) seen.set(key, performance.timeOrigin + performance.now());
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const rows = [];
  for (const rate of rates) {
    const sent = new Map<string, number>();
    const intervalMs = 10;
    const perTick = Math.max(1, Math.round((rate * intervalMs) / 1000));
    let n = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < perTick; i++, n++) {
        const queue = enreach.queues[n % enreach.queues.length]!;
        enreach.setQueueFigures(queue.id, { waiting: n % 17, longestWaitSec: n % 240, agentsFree: n % 4 });
      }
    }, intervalMs);
    const markers = setInterval(() => {
      const started = performance.timeOrigin + performance.now();
      const callId = enreach.ringCall({ caller: `+35840${String(sent.size).padStart(7, '0')}` });
      sent.set(`voice/${callId}`, started);
      setTimeout(() => enreach.hangupCall(callId), 150);
    }, 250);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(flood);
    clearInterval(markers);
    await eventually(async () => {
      const seen = await page.evaluate(() => [...(window as unknown as { __seen: Map<string, number> }).__seen.keys()]);
      return [...sent.keys()].every((k) => seen.includes(k));
    }, 'markers reached the DOM');
    const seen = new Map(await page.evaluate(() => [...(window as unknown as { __seen: Map<string, number> }).__seen.entries()]));
    const samples = [...sent.entries()].flatMap(([key, at]) => (seen.has(key) ? [seen.get(key)! - at] : [])).sort((a, b) => a - b);
    rows.push({ rate, markers: samples.length, p50: +percentile(samples, 50).toFixed(1), p99: +percentile(samples, 99).toFixed(1), max: +(samples.at(-1) ?? NaN).toFixed(1) });
  }
  await desk.stop();
  return rows;
}

async function main(): Promise<void> {
  const N = 50_000;
  const enreachFrames = Array.from({ length: N }, (_, i) => enreachFrame(i));
  const genesysFrames = Array.from({ length: N }, (_, i) => genesysFrame(i));
  const uccxFrames = Array.from({ length: N }, (_, i) => uccxFrame(i));
  const enreachEvents = (frame: unknown): ConnectorEvent[] => {
    const parsed = parseMessage(frame);
    return parsed.ok ? routeEvent(parsed.event) : [];
  };
  const genesysEvents = (frame: unknown): ConnectorEvent[] => {
    const parsed = parseGenesysMessage(frame);
    return parsed.ok ? routeGenesysMessage(parsed.message) : [];
  };
  // Warm up the JIT on both paths.
  throughput('warm-up', enreachFrames.slice(0, 5000), enreachEvents, 1);
  throughput('warm-up', genesysFrames.slice(0, 5000), genesysEvents, 1);
  throughput('warm-up', uccxFrames.slice(0, 5000), uccxEvents(), 1);
  const core = [
    throughput('Enreach mixed stream, message per event', enreachFrames, enreachEvents, 1),
    throughput('Enreach mixed stream, coalesced (100/turn)', enreachFrames, enreachEvents, 100),
    throughput('Genesys chat flood, message per event', genesysFrames, genesysEvents, 1),
    throughput('Genesys chat flood, coalesced (100/turn)', genesysFrames, genesysEvents, 100),
    throughput('UCCX event stream (wire frames), message per event', uccxFrames, uccxEvents(), 1),
    throughput('UCCX event stream (wire frames), coalesced (100/turn)', uccxFrames, uccxEvents(), 100),
  ];
  process.stdout.write('\nCore throughput: frame → parse → store → bridge message\n');
  console.table(core.map((r) => ({ stream: r.name, 'events/s': r.eventsPerSec, 'bridge bytes/event': r.bytesPerEvent })));

  const rates = (process.env.BENCH_RATES ?? '50,200,1000').split(',').map(Number);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rows = await latency(rates, seconds);
  process.stdout.write(`\nWire-to-DOM latency in Chromium (marker calls every 250 ms during a ${seconds}s flood)\n`);
  console.table(rows.map((r) => ({ 'flood events/s': r.rate, markers: r.markers, 'p50 ms': r.p50, 'p99 ms': r.p99, 'max ms': r.max })));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
