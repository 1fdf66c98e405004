/**
 * Fuzzing OpenMethods's parsers: the document's example bodies (`test/fixtures/openmethods/`, read
 * with their placeholders), the session resource's events and the bench stream's frames, mutated
 * (`mutate.ts`), through every parser the connector reads the Socket Transport with: the frame
 * decoder, the body's JSON, transport control, the DCP envelopes, the document's answers and
 * events, the session's fold. No exception escapes; what the connector cannot use is logged and
 * dropped; the parse path lives on (a broken frame stream is the one protocol error that closes
 * the connection, and the next one reads afresh).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../../main/log.js';
import { openmethodsBench, uccxMessage } from '../../main/vendors/openmethods/testing.js';
import { DcpClient } from '../../main/vendors/openmethods/dcp.js';
import { UccxFold } from '../../main/vendors/openmethods/fold.js';
import { capabilitiesOf, journeyOf, reasonLabel, TOO_DEEP } from '../../main/vendors/openmethods/normalize.js';
import {
  callJourneyDataSchema,
  dcpMessageSchema,
  getCapabilitiesResponseSchema,
  networkServicesDataSchema,
  prepareSessionResponseSchema,
  reasonCodesSchema,
  reportResponseSchema,
  serviceStatusChangedSchema,
  sessionStateSchema,
  transportControlSchema,
} from '../../main/vendors/openmethods/schema.js';
import { encodeFrame, encodeJsonFrame, FrameDecoder, readJsonBody } from '../../main/vendors/openmethods/transport.js';
import { materialize, readNotation, variantCount } from '../fixtures/openmethods/notation.js';
import { captureLog, check, checkAsync, mutated, mutatedBytes, notPlain, textOf, valueOf, WARN } from './mutate.js';

const DIR = new URL('../fixtures/openmethods/', import.meta.url);
const NOW = '2026-11-21T09:00:00.000Z';
const silent = createLogger('silent');

/** Every variant of every document example, placeholders filled as the golden test fills them. */
const DOCUMENT: unknown[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .flatMap((file) => {
    const note = readNotation(readFileSync(new URL(file, DIR), 'utf8'));
    return Array.from({ length: variantCount(note) }, (_, k) => materialize(note, k, (text, where) => (where === 'members' ? undefined : `<${text}>`)));
  });
const STREAM = Array.from({ length: 20 }, (_, i) => uccxMessage(i));
const CONTROL = [
  { messageType: 'connected', client: { id: 'c1' } },
  { messageType: 'protocols', protocols: [{ index: 1, name: 'direct', version: '1.0' }] },
  { messageType: 'protocolSelected', index: 1 },
  { messageType: 'ping' },
  { messageType: 'error', code: 'E1', message: 'bad frame' },
];
const SESSION = [
  { state: 'NOT_READY', reasonCode: 32763, reasonLabel: null, since: '2026-11-21T09:00:00.000Z', interactions: [(STREAM[0] as { data: unknown }).data] },
  { reasonCodes: [{ code: 1, label: 'Lunch', type: 'NOT_READY' }, { code: '2', label: 'End of shift', type: 'LOGOUT' }] },
  { serviceId: 'uccx-reports', status: 'OutOfService' },
  { services: [{ id: 'p1', type: 'com.openmethods.iserver.processor.uccx', serviceStatus: { status: 'InService' }, properties: { vendor: 'OpenMethods' } }] },
];
const FRAMES = openmethodsBench.frames(20) as Buffer[];

describe('OpenMethods parsers, fuzzed', () => {
  it('the frame decoder takes any bytes, in any chunks: frames, or the framing error that closes the connection', () => {
    check('openmethods: FrameDecoder', fc.tuple(fc.array(mutatedBytes(FRAMES), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 })), ([frames, cuts]) => {
      const bytes = Buffer.concat(frames);
      const decoder = new FrameDecoder();
      let at = 0;
      for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
        const { frames: out, error } = decoder.push(bytes.subarray(at, Math.max(at, cut)));
        for (const frame of out) assert.ok(Buffer.isBuffer(frame.body));
        if (error) assert.equal(error.name, 'FrameError');
        at = Math.max(at, cut);
      }
    });
  });

  it('frame bodies: JSON, or the problem; transport control and DCP envelopes: validated, never a throw', () => {
    check('openmethods: readJsonBody + envelopes', fc.oneof(mutated([...STREAM, ...CONTROL]), fc.uint8Array({ maxLength: 64 })), (drawn) => {
      const body = drawn instanceof Uint8Array ? Buffer.from(drawn) : Buffer.from(textOf(drawn), 'utf8');
      const { value, problem } = readJsonBody(body);
      if (problem !== undefined) return;
      transportControlSchema.safeParse(value);
      dcpMessageSchema.safeParse(value);
    });
  });

  it('the DCP client takes any message, answers or no answer, and hands on what is an event', async () => {
    await checkAsync(
      'openmethods: DcpClient',
      mutated([...STREAM, ...DOCUMENT.map((body) => ({ messageType: 'serviceResponse', requestId: 'r1', serviceId: 'svc', ...(body as object) })), { messageType: 'resourceError', code: 'x', message: 'gone' }]),
      async (drawn) => {
        const dcp = new DcpClient({ send: () => undefined, log: silent, timeoutMs: 50, onEvent: () => undefined, newRequestId: () => 'r1' });
        const answer = dcp.service('svc', 'x', {}).catch((error: unknown) => error);
        dcp.receive(valueOf(drawn));
        dcp.close();
        const settled = await answer;
        if (settled instanceof Error) assert.ok(['DcpFailure', 'DcpClosed', 'DcpTimeout'].includes(settled.name), settled.name);
      },
      2,
    );
  });

  it('the document’s answers (prepareSession, getCapabilities, reports, network services) and the session’s: read, or refused', () => {
    check('openmethods: document answers', mutated([...DOCUMENT, ...SESSION]), (drawn) => {
      const body = valueOf(drawn);
      prepareSessionResponseSchema.safeParse(body);
      const capabilities = getCapabilitiesResponseSchema.safeParse(body);
      if (capabilities.success && capabilities.data.result === 'success') capabilitiesOf(capabilities.data.data as Record<string, unknown> | undefined);
      const report = reportResponseSchema.safeParse(body);
      if (report.success) {
        const journey = callJourneyDataSchema.safeParse((report.data as { data?: unknown }).data);
        if (journey.success) assert.equal(notPlain(journeyOf('int-1', journey.data)), undefined);
      }
      const journey = callJourneyDataSchema.safeParse(body);
      if (journey.success) assert.equal(notPlain(journeyOf('int-1', journey.data)), undefined);
      networkServicesDataSchema.safeParse(body);
      serviceStatusChangedSchema.safeParse(body);
      const fold = new UccxFold(silent);
      const reasons = reasonCodesSchema.safeParse(body);
      if (reasons.success) assert.equal(notPlain(fold.setReasons(reasons.data)), undefined);
      const state = sessionStateSchema.safeParse(body);
      if (state.success) assert.equal(notPlain(fold.sync(state.data, state.data.interactions ?? [], NOW)), undefined);
    });
  });

  it('the session’s and the report’s events fold into plain desk events, whatever they carry', () => {
    const names = ['session.stateChanged', 'interaction.alerting', 'interaction.started', 'interaction.ended', 'conversation.stateChanged', 'report.teamstatus.memberstatuschanged', 'report.teamstatus.teamadded', 'report.teamstatus.memberremoved'];
    check('openmethods: UccxFold', fc.array(fc.tuple(fc.constantFrom(...names), mutated([...STREAM.map((m) => (m as { data: unknown }).data), ...DOCUMENT])), { minLength: 1, maxLength: 5 }), (events) => {
      const fold = new UccxFold(silent);
      for (const [name, data] of events) {
        const out = name.startsWith('report.') ? fold.reportEvent(name, valueOf(data), NOW) : fold.resourceEvent(name, 'session-1001-1.int-0.conv-0', valueOf(data), NOW);
        assert.equal(notPlain(out), undefined);
      }
    });
  });

  describe('seeds the fuzzer failed on, kept', () => {
    const deepArray = (n: number): unknown => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`);

    it('a call variable nested 20 000 levels deep shows as too deep, instead of a RangeError out of the fold', () => {
      const fold = new UccxFold(silent);
      const alerting = uccxMessage(0) as { data: { 'interaction-data': Record<string, unknown> } };
      const data = { ...alerting.data, 'interaction-data': { ...alerting.data['interaction-data'], callVariables: { Account: 'A-1', Deep: deepArray(20_000) } } };
      const [event] = fold.resourceEvent('interaction.alerting', 'session-1001-1.int-0', data, NOW);
      const userData = (event as { call: { userData: Record<string, string> } }).call.userData;
      assert.equal(userData.Account, 'A-1');
      assert.equal(userData.Deep, TOO_DEEP);
    });

    it('a DCP message whose messageType is nested past the stack is logged and dropped, not a RangeError', () => {
      const log = captureLog();
      const dcp = new DcpClient({ send: () => undefined, log: createLogger('debug', log.destination), timeoutMs: 50, onEvent: () => assert.fail('no event') });
      dcp.receive({ messageType: deepArray(20_000), requestId: 'r1' });
      assert.ok(log.lines.some((l) => l.level === WARN));
    });

    it('a reason code named like a member of Object.prototype is labelled with itself, not a function', () => {
      assert.equal(reasonLabel('constructor', new Map()), 'constructor');
      assert.equal(reasonLabel('32763', new Map()), 'Ring no answer (AGT_RNA)');
    });
  });

  it('a malformed frame body or event is logged as a warning and dropped; a broken frame stream too, and the next one reads afresh', () => {
    const log = captureLog();
    const parse = openmethodsBench.parser(createLogger('debug', log.destination));
    const bad = [
      encodeFrame(1, 'not json'),
      encodeJsonFrame(1, { messageType: 'resourceEvent', name: 'x' }),
      encodeJsonFrame(1, { messageType: 'resourceEvent', resourceId: 'session-1001-1', name: 'session.stateChanged', data: { state: 42 } }),
      Buffer.from('~!XX garbage'),
    ];
    for (const frame of bad) {
      log.clear();
      assert.deepEqual(parse(frame), []);
      assert.ok(log.lines.some((l) => l.level === WARN), `a warning for ${frame.toString('latin1')}`);
    }
    assert.ok(parse(FRAMES[0]!).length > 0);
  });

  it('the whole parse path takes any frame, lives on, and emits plain data', () => {
    check('openmethods: bench parse path', fc.oneof(mutatedBytes(FRAMES), mutated(STREAM).map((m) => encodeFrame(1, textOf(m), Number.POSITIVE_INFINITY))), (frame) => {
      const parse = openmethodsBench.parser(silent);
      assert.equal(notPlain(parse(frame)), undefined);
      // A cut frame leaves the decoder waiting for the rest: the stream goes on from a new connection.
      const fresh = openmethodsBench.parser(silent);
      assert.ok(fresh(FRAMES[0]!).length > 0, 'a good frame on the next connection folds');
      parse(Buffer.from('~!XX'));
      assert.ok(parse(FRAMES[0]!).length >= 0);
    });
  });
});
