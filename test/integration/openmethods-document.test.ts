/**
 * The connector against a server that knows only the document and the wire contract (not the
 * simulator): it answers with the document's example bodies, placeholders and padded command names
 * included, in the contract's envelopes, and numbers nothing the way the simulator does. What the
 * desk shows must follow from those bodies alone.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Desk } from '../../main/desk/desk.js';
import { createLogger } from '../../main/log.js';
import { openmethodsAccountSchema } from '../../main/vendors/openmethods/config.js';
import { createOpenMethodsConnector } from '../../main/vendors/openmethods/connector.js';
import { FrameDecoder, encodeJsonFrame, readJsonBody } from '../../main/vendors/openmethods/transport.js';
import { materialize, readNotation } from '../fixtures/openmethods/notation.js';
import { eventually } from '../support/eventually.js';
import { readFileSync } from 'node:fs';

const DIR = new URL('../fixtures/openmethods/', import.meta.url);
/** The document's example `name`, variant `k`, with "the original request" standing for `original`. */
function example(name: string, k = 0, original: unknown = {}): Record<string, unknown> {
  const note = readNotation(readFileSync(new URL(`${name}.txt`, DIR), 'utf8'));
  return materialize(note, k, (text, where) => (where === 'members' ? undefined : /original/.test(text) ? original : `<${text}>`)) as Record<string, unknown>;
}

type Message = Record<string, unknown> & { messageType?: string; requestId?: string; requestType?: string; command?: string; data?: Record<string, unknown> };

/** A server written from the document and the contract only. */
class DocumentServer {
  readonly requests: Message[] = [];
  private readonly server: Server;
  private client: Socket | undefined;

  constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `tcp://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.client?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Sends a DCP message to the connected client. */
  send(message: Message): void {
    this.client?.write(encodeJsonFrame(1, message));
  }

  private accept(socket: Socket): void {
    this.client = socket;
    const decoder = new FrameDecoder();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk).frames) {
        const message = readJsonBody(frame.body).value as Message;
        if (frame.protocol === 0) this.control(socket, message);
        else this.dcp(message);
      }
    });
  }

  private control(socket: Socket, message: Message): void {
    const reply = (body: Message): void => void socket.write(encodeJsonFrame(0, body));
    if (message.messageType === 'connect') reply({ messageType: 'connected', client: { id: (message.client as { id: string }).id } });
    if (message.messageType === 'getProtocols') reply({ messageType: 'protocols', protocols: [{ index: 1, name: 'direct', version: '1.0' }] });
    if (message.messageType === 'selectProtocol') reply({ messageType: 'protocolSelected', index: 1 });
    if (message.messageType === 'ping') reply({ messageType: 'pong' });
  }

  private dcp(message: Message): void {
    this.requests.push(message);
    const { requestId } = message;
    if (message.messageType === 'coreRequest') {
      const data =
        message.requestType === 'getNetworkServices'
          ? { services: [{ id: `svc:${String(message.data?.serviceType)}`, name: 'service', type: message.data?.serviceType, serviceStatus: { status: 'InService' }, properties: example('service-properties') }] }
          : {};
      this.send({ messageType: 'coreResponse', requestId, requestType: message.requestType, result: 'success', data });
      return;
    }
    if (message.messageType === 'serviceRequest') {
      const serviceId = message.serviceId;
      const answer = (body: Record<string, unknown>): void => this.send({ messageType: 'serviceResponse', requestId, serviceId, ...body });
      const original = { command: message.command, data: message.data };
      switch (message.command) {
        case 'prepareSession':
          answer(message.data?.override ? example('prepareSession.success-response', 0, original) : example('prepareSession.confirmation-response', 0, original));
          return;
        case 'getCapabilities':
          answer(example('getCapabilities.success-response'));
          return;
        case 'report.teamstatus.begin':
          answer(example('report.teamstatus.begin.success-response'));
          this.send({ messageType: 'serviceEvent', serviceId, ...example('report.teamstatus.teamadded.event', 1) });
          return;
        case 'report.teamstatus.end':
          answer(example('report.teamstatus.end.success-response'));
          return;
        case 'report.calljourney':
          answer(example('report.calljourney.success-response'));
          return;
      }
      return;
    }
    if (message.messageType === 'resourceRequest') {
      const data =
        message.command === 'session.getReasonCodes'
          ? { notReady: [{ code: 7, label: 'Lunch' }], logout: [] }
          : message.command === 'session.getState'
            ? { state: 'NOT_READY', reasonCode: 7, reasonLabel: null, since: '2026-11-21T08:00:00.000Z', interactions: [] }
            : {};
      const answer = encodeJsonFrame(1, { messageType: 'resourceResponse', requestId, resourceId: message.resourceId, command: message.command, result: 'success', data });
      // A call offered right after the state snapshot, in the same TCP segment: it must survive the snapshot.
      const offered =
        message.command === 'session.getState'
          ? [encodeJsonFrame(1, { messageType: 'resourceEvent', resourceId: message.resourceId, name: 'interaction.alerting', target: `${String(message.resourceId)}.call-0`, data: { 'interaction-id': 'call-0', conversations: { primary: { id: 'leg-0' } } } })]
          : [];
      this.client?.write(Buffer.concat([answer, ...offered]));
    }
  }
}

describe('OpenMethods connector against a server that follows only the document', () => {
  const server = new DocumentServer();
  let desk: Desk;
  const state = () => desk.state.accounts.doc!;

  before(async () => {
    const url = await server.listen();
    const account = openmethodsAccountSchema.parse({ id: 'doc', vendor: 'openmethods', serverUrl: url, agentId: 'agent-7', password: 'pw' });
    const connector = createOpenMethodsConnector(account, { password: 'pw' }, { backoff: { initialMs: 20, maxMs: 200, jitter: 0 }, tuning: { pingIntervalMs: 200 } });
    desk = new Desk({ accounts: [{ seed: { id: 'doc', vendor: 'openmethods', label: 'Doc', demo: false, presenceOptions: [] }, connector }], log: createLogger('silent') });
    desk.start();
  });
  after(async () => {
    await desk.stop();
    await server.close();
  });

  it('shows the document’s confirmation text, and overrides only after Take over', async () => {
    const prompt = await eventually(() => state().prompt, 'the question');
    assert.equal(prompt.message, '<confirmation-prompt-text>');
    const prepared = () => server.requests.filter((r) => r.command === 'prepareSession').map((r) => r.data?.override);
    assert.deepEqual(prepared(), [false]);
    desk.answerPrompt('doc', prompt.id, 'take-over');
    await eventually(() => state().connection === 'connected', 'connected');
    assert.deepEqual(prepared(), [false, true]);
    const bound = server.requests.find((r) => r.requestType === 'bindResource');
    assert.deepEqual(bound?.data, { resourceId: '<resource-id>' }, 'the resource of the document’s success answer');
  });

  it('reads the agent state, the team from the document’s event, and offers every action (its capabilities name none)', async () => {
    await eventually(() => state().presence?.reason === 'Lunch', 'not ready: Lunch');
    assert.equal(desk.state.calls['doc/call-0']?.state, 'ringing', 'the call offered right after the snapshot is kept');
    const member = await eventually(() => desk.state.team['doc/<uccx id for team member>'], 'the team member');
    assert.deepEqual([member.name, member.group, member.role, member.presence.state, member.presence.reason], ['<uccx name for member>', '<name for team>', 'supervisor', 'not-ready', '<uccx reason code>']);
    server.send({
      messageType: 'resourceEvent',
      resourceId: '<resource-id>',
      name: 'interaction.alerting',
      target: '<resource-id>.call-1',
      data: { 'interaction-id': 'call-1', 'interaction-state': 'ALERTING', 'interaction-data': { ani: '5551000', dnis: '8000', callVariables: {} }, conversations: { primary: { id: 'leg-1' } } },
    });
    const call = await eventually(() => desk.state.calls['doc/call-1'], 'the ringing call');
    assert.deepEqual(call.actions, ['answer']);
    await desk.callAction('doc/call-1', 'answer');
    assert.equal(server.requests.at(-1)?.target, '<resource-id>.call-1.leg-1');
  });

  it('gives the journey as the document’s answer has it', async () => {
    const journey = await desk.callJourney('doc/call-1');
    assert.deepEqual(journey.steps, [{ device: '<device id>', deviceType: '<device type>', description: '<description>' }]);
    assert.deepEqual(server.requests.at(-1)?.data, { CallId: 'call-1' });
  });
});
