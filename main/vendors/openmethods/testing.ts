/**
 * What the tests and the bench need of OpenMethods UCCX, and the app never does (ARCHITECTURE.md,
 * principle 10): its conformance rig and its bench stream. Only `test/` and `npm run bench` reach
 * this file (`test/support/platform-testing.ts` finds it by the platform's id).
 *
 * The conformance rig (`test/conformance/`): the simulator, and its controls in the desk's words.
 * Session endings this protocol allows: `close` (FIN), `end-of-session` (the transport's own `error`
 * then close [I]), `unknown-session` (the server forgets the session resource and says so with a
 * `resourceError`; binding it again fails, so a new one is prepared), `tcp-reset`, `silence` (no
 * pong: two missed pongs end the connection). `http-5xx` does not apply to a socket.
 *
 * Call work: the simulator's colleague at 2002 answers a consultation after 300 ms; the agent goes
 * into after-call work when a call ends, where a wrap-up reason is taken.
 *
 * Fleet faults: accept-then-end — the socket closed as soon as the desk's connection is complete; a
 * takeover — another desktop prepares the agent's session (`override`), the desk's resource gets a
 * `resourceError`; taken back = a `prepareSession` with `override: true` since; revoked credentials —
 * the password refused and the session resource forgotten; a hang — nothing answered, new
 * connections included. A busy server has no way to say "try later" on this protocol (below).
 *
 * The bench stream, for `npm run bench` and the fuzz tests (`PlatformBench` in `../kit/platform.ts`).
 *
 * The stream: Socket Transport frames (`~!OM`, protocol 1, a length, a DCP JSON body) as the
 * integration server writes them — per ten: one call's life on the agent's session resource
 * (alerting, the leg ringing, RESERVED, the leg active, started, TALKING, the leg dropped, ended,
 * then READY or WORK_READY) and a team-status change of three members from the report service.
 *
 * The parse path is the connector's: the frame decoder (whatever the chunking), the body read as
 * UTF-8 JSON, the DCP client's envelope validation and dispatch, the session's and the report's
 * fold (`UccxFold`). A broken frame stream is a protocol error, as on the socket: logged, and the
 * next frame starts on a fresh decoder (the reconnect). The floor: one `JSON.parse` of the body,
 * the DCP envelope's schema and the event body's.
 */
import { randomBytes } from 'node:crypto';
import type { PresenceState } from '../../../common/model.js';
import type { ConnectorEvent } from '../../desk/events.js';
import type { ConformanceRig, PlatformBench, PlatformTesting } from '../kit/testing.js';
import type { OpenMethodsTuning } from './config.js';
import { DcpClient } from './dcp.js';
import { UccxFold } from './fold.js';
import { agentStateSchema, conversationStateSchema, dcpMessageSchema, interactionSchema, problemOf, teamStatusDataSchema, transportControlSchema } from './schema.js';
import { startOpenMethodsSimulator } from './simulator/index.js';
import { FRAME_HEADER_BYTES, FrameDecoder, TRANSPORT_CONTROL, encodeJsonFrame, readJsonBody } from './transport.js';
import { startOpenMethodsFleet } from './fleet.js';
import { isoNow } from '../kit/iso-date.js';

/** The rig's heartbeat: a ping every 100 ms (two missed pongs = 200–300 ms to notice silence). */
const TUNING: OpenMethodsTuning = { pingIntervalMs: 100, requestTimeoutMs: 1_500 };

/** The desk presence of the simulated agent's UCCX state (RESERVED: the agent was ready). */
function presenceOf(state: string): PresenceState | undefined {
  switch (state) {
    case 'READY':
    case 'RESERVED':
      return 'ready';
    case 'NOT_READY':
      return 'not-ready';
    case 'WORK':
    case 'WORK_READY':
      return 'wrap-up';
    case 'LOGOUT':
      return 'offline';
    default:
      return undefined;
  }
}

/** Starts the simulator for the conformance suite. @throws when it cannot listen. */
export async function startOpenMethodsConformanceRig(): Promise<ConformanceRig> {
  const sim = await startOpenMethodsSimulator({ agent: { password: `uccx-ok-${randomBytes(18).toString('hex')}` } });
  const wrongPassword = `uccx-wrong-${randomBytes(18).toString('hex')}`;
  const account = { id: 'openmethods-rig', vendor: 'openmethods', serverUrl: sim.url, agentId: sim.credentials.agentId, password: sim.credentials.password };
  let calls = 0;
  return {
    account,
    wrongAccount: { ...account, password: wrongPassword },
    acceptWrongSecret: () => sim.acceptPassword(wrongPassword),
    connectorOptions: { backoff: { initialMs: 50, maxMs: 500, jitter: 0 }, tuning: TUNING },
    authentications: () => sim.registrations(),
    subscriptions: () => sim.bindings(),
    endings: {
      close: () => sim.closeConnections(),
      'end-of-session': () => sim.endSessions(),
      'unknown-session': () => sim.forgetSessions(),
      'tcp-reset': () => sim.resetConnections(),
      silence: () => sim.setSilent(true),
    },
    restore() {
      sim.setSilent(false);
      sim.endNewSessions(false);
    },
    faults: {
      acceptThenEnd: () => sim.endNewSessions(true),
      takeOver() {
        const before = sim.overrides();
        sim.startOtherSession();
        return { takenBack: () => sim.overrides() > before };
      },
      revokeCredentials: () => sim.revokeCredentials(),
      hang: () => sim.setSilent(true),
      busy: {
        unsupported:
          'the Socket Transport has no HTTP status or Retry-After, and no public source gives HIS a "try later" error (VENDOR-NOTES, OpenMethods — wire contract [I])',
      },
      busySignIns: () => [],
    },
    noticeWithinMs: 3 * TUNING.pingIntervalMs! + 2_000,
    raise() {
      calls += 1;
      const id = sim.center.ring({ ani: `+1415555${String(1000 + calls)}`, dnis: '8005550199', callVariables: { Account: `ACC-${calls}` } });
      return { slice: 'calls', id };
    },
    sendMalformedFrame: () => sim.sendMalformedFrame(),
    sendOversizedFrame: () => sim.sendOversizedFrame(),
    // A body over 1 MiB is a protocol error on the framed socket (VENDOR-NOTES, wire contract [I]).
    oversizedFrame: 'reconnects',
    serverPresence: () => presenceOf(sim.center.agentState.state),
    callWork: {
      ring: () => sim.center.ring({ ani: `+1415555${String(2000 + ++calls)}` }),
      colleague: '2002',
      // Digits go on the caller's (primary) conversation; the simulator keeps them by conversation.
      digitsReceived: (callId) => sim.center.dtmf.get(sim.center.interactions.get(callId)?.primary.id ?? '') ?? '',
      wrapUp: () => undefined, // UCCX puts the agent in WORK / WORK_READY when a call ends [C]
      wrapUpReasonOf: (callId) => {
        const code = sim.center.wrapUpGiven.get(callId);
        return code === undefined ? undefined : String(code);
      },
    },
    cleanStops: () => sim.cleanStops(),
    close: () => sim.close(),
  };
}

const SESSION = 'session-1001-1';
const REPORTS = 'uccx-reports';
const PROTOCOL = 1;

/** The DCP message of frame `i`. */
export function uccxMessage(i: number): Record<string, unknown> {
  const call = `int-${Math.floor(i / 10)}`;
  const conversation = `conv-${Math.floor(i / 10)}`;
  const resource = (name: string, target: string, data: unknown) => ({ messageType: 'resourceEvent', resourceId: SESSION, name, target, data });
  const interaction = {
    'interaction-id': call,
    'interaction-state': 'ALERTING',
    'interaction-data': { ani: '+14155550142', dnis: '8005550199', callVariables: { Account: `ACC-${i}`, Topic: 'Billing' } },
    conversations: { primary: { id: conversation } },
  };
  const state = (value: string) => resource('session.stateChanged', SESSION, { state: value, reasonCode: null, reasonLabel: null, since: '2026-11-21T09:00:00.000Z' });
  const leg = (value: string) => resource('conversation.stateChanged', `${SESSION}.${call}.${conversation}`, { 'conversation-id': conversation, state: value });
  switch (i % 10) {
    case 0:
      return resource('interaction.alerting', `${SESSION}.${call}`, interaction);
    case 1:
      return leg('ALERTING');
    case 2:
      return state('RESERVED');
    case 3:
      return leg('ACTIVE');
    case 4:
      return resource('interaction.started', `${SESSION}.${call}`, { ...interaction, 'interaction-state': 'ACTIVE' });
    case 5:
      return state('TALKING');
    case 6: {
      const statuses = ['ready', 'not_ready', 'ACW'];
      const members = [0, 1, 2].map((k) => ({
        memberId: `agent-${(i + k) % 40}`,
        memberType: 'Agent',
        memberName: `Agent ${(i + k) % 40}`,
        status: statuses[(i + k) % 3],
        reason: (i + k) % 3 === 1 ? '2' : '',
      }));
      return { messageType: 'serviceEvent', serviceId: REPORTS, name: 'report.teamstatus.memberstatuschanged', data: { agentId: '1001', team: { teamId: `team-${i % 4}`, teamName: `Team ${i % 4}`, members } } };
    }
    case 7:
      return leg('DROPPED');
    case 8:
      return resource('interaction.ended', `${SESSION}.${call}`, { ...interaction, 'interaction-state': 'ENDED' });
    default:
      return state(i % 20 === 9 ? 'WORK_READY' : 'READY');
  }
}

/** The event body's schema of a DCP message, as the fold applies it. */
function bodySchema(name: string) {
  if (name === 'session.stateChanged') return agentStateSchema;
  if (name === 'conversation.stateChanged') return conversationStateSchema;
  if (name.startsWith('interaction.')) return interactionSchema;
  return teamStatusDataSchema;
}

export const openmethodsBench: PlatformBench = {
  frames: (n, start = 0) => Array.from({ length: n }, (_, k) => encodeJsonFrame(PROTOCOL, uccxMessage(start + k))),
  parser(log) {
    let decoder = new FrameDecoder();
    const fold = new UccxFold(log);
    let out: ConnectorEvent[] = [];
    const dcp = new DcpClient({
      send: () => undefined,
      log,
      timeoutMs: 1_000,
      // The connector's dispatch (connector.ts, `onEvent`): the session's own resource, the report service.
      onEvent: (event) => {
        const now = isoNow();
        if (event.kind === 'resource' && event.resourceId === SESSION) out.push(...fold.resourceEvent(event.name, event.target, event.data, now));
        else if (event.kind === 'service' && event.serviceId === REPORTS) out.push(...fold.reportEvent(event.name, event.data, now));
        else log.debug({ kind: event.kind }, 'OpenMethods event the desk does not show');
      },
    });
    return (frame) => {
      out = [];
      const { frames, error } = decoder.push(Buffer.isBuffer(frame) ? frame : Buffer.from(String(frame), 'utf8'));
      for (const { protocol, body } of frames) {
        // The transport's reading of a frame (transport.ts, `onFrame`).
        const { value, problem } = readJsonBody(body);
        if (problem !== undefined) {
          log.warn({ protocol, bytes: body.length, problem }, 'OpenMethods: dropped a frame whose body is not JSON');
          continue;
        }
        if (protocol === TRANSPORT_CONTROL) {
          const parsed = transportControlSchema.safeParse(value);
          if (!parsed.success) log.warn({ protocol, problem: problemOf(parsed.error) }, 'OpenMethods: dropped a malformed transport-control frame');
          continue;
        }
        if (protocol !== PROTOCOL) {
          log.warn({ protocol }, 'OpenMethods: dropped a frame of a protocol that was not selected');
          continue;
        }
        dcp.receive(value);
      }
      if (error) {
        // On the socket a broken stream closes the connection, and the reconnect reads afresh.
        log.warn({ problem: error.message }, 'OpenMethods: protocol error in the frame stream; closing the connection');
        decoder = new FrameDecoder();
      }
      return out;
    };
  },
  floor(frame) {
    const message = JSON.parse((frame as Buffer).toString('utf8', FRAME_HEADER_BYTES)) as unknown;
    const envelope = dcpMessageSchema.safeParse(message);
    if (!envelope.success || !('name' in envelope.data)) return envelope;
    const { name, data } = envelope.data as { name: string; data?: unknown };
    return bodySchema(name).safeParse(data);
  },
};

/** OpenMethods UCCX's rig and bench stream, as `test/support/platform-testing.ts` finds them. */
export const testing: PlatformTesting = { startConformanceRig: startOpenMethodsConformanceRig, bench: { ...openmethodsBench, fleet: startOpenMethodsFleet } };
