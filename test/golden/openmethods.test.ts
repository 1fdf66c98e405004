/**
 * Golden tests: every example body of the OpenMethods Interaction Processor document, extracted
 * verbatim into `test/fixtures/openmethods/` (see extract.ts there), read with its placeholders
 * (`notation.ts`: every alternative of `true | false` and `<"Agent" | "Supervisor" | "TeamLead">`
 * at least once), wrapped in the wire contract's DCP envelope where the connector receives it, and
 * fed through the parsers the connector and the simulator use; what reaches the desk is asserted.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createLogger } from '../../main/log.js';
import { DcpClient, type DcpEvent } from '../../main/vendors/openmethods/dcp.js';
import { ALL_CAPABILITIES, TeamBook, capabilitiesOf, journeyOf, type TeamChange } from '../../main/vendors/openmethods/normalize.js';
import {
  callJourneyDataSchema,
  getCapabilitiesRequestSchema,
  getCapabilitiesResponseSchema,
  networkServicesDataSchema,
  prepareSessionRequestSchema,
  prepareSessionResponseSchema,
  reportRequestSchema,
  reportResponseSchema,
  serviceProperties,
  teamStatusDataSchema,
  teamStatusEventSchema,
  type TeamStatusEventName,
} from '../../main/vendors/openmethods/schema.js';
import { exampleBodies } from '../fixtures/openmethods/extract.js';
import { materialize, readNotation, variantCount } from '../fixtures/openmethods/notation.js';

const DIR = new URL('../fixtures/openmethods/', import.meta.url);
const DOCUMENT = new URL('../../../shared/vendor-docs/openmethods-interaction-processor.txt', import.meta.url);
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
const read = (name: string): string => readFileSync(new URL(`${name}.txt`, DIR), 'utf8');
const log = createLogger('silent');
const NOW = '2026-11-21T09:00:00.000Z';

/** The request example (override: variant k), for the placeholders that stand for "the original request". */
function request(k: number): Record<string, unknown> {
  return materialize(readNotation(read('prepareSession.request')), k, () => undefined) as Record<string, unknown>;
}

/** Resolves the document's structural placeholders: the original request and its data. */
function fill(k: number) {
  return (text: string, where: 'value' | 'members'): unknown => {
    if (where === 'members') return undefined; // "<key value pairs of capabilities>" gives none; the doubled blocks repeat a placeholder
    if (text === 'Contains the original prepareSession request JSON structure') return request(k);
    if (text === 'Contains the original data property of the request') return request(k).data;
    if (text === 'Contains the original request JSON structure') return {};
    return `<${text}>`;
  };
}

/** Every variant of a fixture as a JSON value. */
function variants(name: string): unknown[] {
  const note = readNotation(read(name));
  return Array.from({ length: variantCount(note) }, (_, k) => materialize(note, k, fill(k)));
}

/** Feeds a response body, wrapped in its DCP envelope [I], through the DCP client; returns what the caller gets. */
async function throughDcp(kind: 'serviceResponse', body: unknown): Promise<unknown> {
  let sent: Record<string, unknown> | undefined;
  const dcp = new DcpClient({ send: (m) => (sent = m), log, timeoutMs: 1_000, onEvent: () => undefined });
  const answer = dcp.service('svc-1', 'x', {});
  dcp.receive({ messageType: kind, requestId: sent!.requestId, serviceId: 'svc-1', ...(body as object) });
  return answer;
}

/** Feeds an event body, wrapped as a `serviceEvent` [I], through the DCP client. */
function eventThroughDcp(body: unknown): DcpEvent {
  const events: DcpEvent[] = [];
  const dcp = new DcpClient({ send: () => undefined, log, timeoutMs: 1_000, onEvent: (e) => events.push(e) });
  dcp.receive({ messageType: 'serviceEvent', serviceId: 'reports', ...(body as object) });
  assert.equal(events.length, 1, 'one event handed on');
  return events[0]!;
}

describe('OpenMethods document examples, verbatim', () => {
  it('the fixtures are the document’s example bodies, each verbatim and none missing', (t) => {
    assert.equal(FIXTURES.length, 23, 'the document has 23 example bodies');
    if (!existsSync(DOCUMENT)) {
      t.skip(`the document is not at ${DOCUMENT.pathname} (a clone without ../shared): checked against the committed fixtures only`);
      return;
    }
    const document = readFileSync(DOCUMENT, 'utf8');
    const bodies = exampleBodies(document);
    assert.deepEqual(bodies.map((b) => `${b.name}.txt`).sort(), FIXTURES);
    for (const { name, text } of bodies) {
      assert.equal(read(name), text, `${name} as extracted`);
      assert.ok(document.includes(text.trimEnd()), `${name} is verbatim in the document`);
    }
  });

  it('every fixture reads with its placeholders', () => {
    for (const file of FIXTURES) assert.doesNotThrow(() => variants(file.replace(/\.txt$/, '')), file);
  });

  it('the service properties (Service Overview) read as a service’s properties in getNetworkServices', () => {
    const [properties] = variants('service-properties');
    const expected = { vendor: '<vendor-name>', version: '<current-version>', 'cti-vendor': '<cti-vendor-name>', 'cti-version': '<cti-version>', 'instance-domain': '<instance-domain>' };
    assert.deepEqual(serviceProperties.parse(properties), expected);
    const services = networkServicesDataSchema.parse({ services: [{ id: 'p1', type: 'com.openmethods.iserver.processor.uccx', serviceStatus: { status: 'InService' }, properties }] });
    assert.deepEqual(services.services[0]!.properties, expected);
  });

  describe('prepareSession', () => {
    it('the request, with override true and false, is what the simulator takes', () => {
      const all = variants('prepareSession.request');
      assert.equal(all.length, 2);
      const parsed = all.map((v) => prepareSessionRequestSchema.parse(v));
      assert.deepEqual(
        parsed.map((p) => p.data.override),
        [true, false],
      );
      assert.deepEqual(parsed[0]!.data.agent, { id: '<agent-id>', password: '<agent-password>' });
      assert.equal(parsed[0]!.data.model, '<name-of-call-model>');
    });

    it('the confirmation answer gives the agent the document’s prompt text', async () => {
      for (const body of variants('prepareSession.confirmation-response')) {
        const response = prepareSessionResponseSchema.parse(await throughDcp('serviceResponse', body));
        assert.equal(response.result, 'confirm');
        assert.ok(response.result === 'confirm' && response.message === '<confirmation-prompt-text>');
      }
    });

    it('the success answer gives the resource id', async () => {
      for (const body of variants('prepareSession.success-response')) {
        const response = prepareSessionResponseSchema.parse(await throughDcp('serviceResponse', body));
        assert.ok(response.result === 'success');
        assert.equal(response.resource.id, '<resource-id>');
      }
    });

    it('the failure answer gives the failure’s message', async () => {
      for (const body of variants('prepareSession.failure-response')) {
        const response = prepareSessionResponseSchema.parse(await throughDcp('serviceResponse', body));
        assert.ok(response.result === 'failure');
        assert.equal(response.failure?.message, '<error-message>');
        assert.equal(response.failure?.code, '<error-code-for-failure>');
      }
    });
  });

  describe('getCapabilities', () => {
    it('the request is what the simulator takes', () => {
      for (const body of variants('getCapabilities.request')) assert.equal(getCapabilitiesRequestSchema.parse(body).command, 'getCapabilities');
    });

    it('the success answer’s padded command name is read trimmed; its (unnamed) pairs take nothing away', async () => {
      for (const body of variants('getCapabilities.success-response')) {
        const response = getCapabilitiesResponseSchema.parse(await throughDcp('serviceResponse', body));
        assert.equal(response.command, 'getCapabilities');
        assert.ok(response.result === 'success');
        assert.deepEqual(capabilitiesOf(response.data), ALL_CAPABILITIES);
      }
    });

    it('the failure answer gives the failure', async () => {
      for (const body of variants('getCapabilities.failure-response')) {
        const response = getCapabilitiesResponseSchema.parse(await throughDcp('serviceResponse', body));
        assert.equal(response.command, 'getCapabilities');
        assert.ok(response.result === 'failure' && response.failure?.message === '<error-message>');
      }
    });
  });

  describe('UCCX Report Server', () => {
    for (const command of ['report.calljourney', 'report.teamstatus.begin', 'report.teamstatus.end']) {
      it(`${command}: the request is what the simulator takes, the answers read`, async () => {
        for (const body of variants(`${command}.request`)) assert.equal(reportRequestSchema.parse(body).command, command);
        for (const body of variants(`${command}.success-response`)) {
          assert.equal(reportResponseSchema.parse(await throughDcp('serviceResponse', body)).result, 'success');
        }
        for (const body of variants(`${command}.failure-response`)) {
          const response = reportResponseSchema.parse(await throughDcp('serviceResponse', body));
          assert.ok(response.result === 'failure' && response.failure?.message === '<error-message>');
        }
      });
    }

    it('report.calljourney’s answer becomes the call’s journey: device, type, description (the placeholder duration is no number)', async () => {
      const [body] = variants('report.calljourney.success-response');
      const response = reportResponseSchema.parse(await throughDcp('serviceResponse', body));
      assert.ok(response.result === 'success');
      const journey = journeyOf('call-1', callJourneyDataSchema.parse(response.data));
      assert.deepEqual(journey, { callId: 'call-1', steps: [{ device: '<device id>', deviceType: '<device type>', description: '<description>' }] });
    });
  });

  describe('team-status events', () => {
    const member = (k: number) => ({
      id: '<uccx id for team member>',
      name: '<uccx name for member>',
      group: '<name for team>',
      role: (['agent', 'supervisor', 'team-lead'] as const)[k],
      presence: [
        { state: 'ready', label: 'ready' },
        { state: 'not-ready', label: 'not_ready', reason: '<uccx reason code>' },
        { state: 'wrap-up', label: 'ACW' },
      ][k]!,
      onCall: false,
      canChat: false,
    });
    const withSince = (k: number) => {
      const m = member(k);
      return { ...m, presence: { ...m.presence, since: NOW } };
    };

    /** The event, through the DCP client and the schemas, folded by a team book (seeded with `teamadded` variant `seed` first, if given). */
    function fold(name: TeamStatusEventName, body: unknown, seed?: number): TeamChange[] {
      const book = new TeamBook();
      if (seed !== undefined) {
        const added = variants('report.teamstatus.teamadded.event')[seed] as { data: unknown };
        book.apply('report.teamstatus.teamadded', teamStatusDataSchema.parse(added.data), NOW);
      }
      const event = eventThroughDcp(body);
      assert.ok(event.kind === 'service' && event.name === name);
      assert.equal(teamStatusEventSchema.parse(body).name, name);
      return book.apply(name, teamStatusDataSchema.parse(event.data), NOW);
    }

    it('teamadded and memberadded: each member type and status, grouped by team (no time in status known yet)', () => {
      for (const name of ['report.teamstatus.teamadded', 'report.teamstatus.memberadded'] as const) {
        const all = variants(`${name}.event`);
        assert.equal(all.length, 3, `${name}: three variants`);
        all.forEach((body, k) => assert.deepEqual(fold(name, body), [{ type: 'team', member: member(k) }], `${name} variant ${k}`));
      }
    });

    it('memberstatuschanged: the member’s new status, in status since it arrived', () => {
      variants('report.teamstatus.memberstatuschanged.event').forEach((body, k) =>
        assert.deepEqual(fold('report.teamstatus.memberstatuschanged', body), [{ type: 'team', member: withSince(k) }], `variant ${k}`),
      );
    });

    it('teamchanged renames the team of the members listed before', () => {
      const [body] = variants('report.teamstatus.teamchanged.event');
      assert.deepEqual(fold('report.teamstatus.teamchanged', body, 0), [{ type: 'team', member: member(0) }]);
    });

    it('teamremoved and memberremoved take the members off the desk', () => {
      const [team] = variants('report.teamstatus.teamremoved.event');
      assert.deepEqual(fold('report.teamstatus.teamremoved', team, 1), [{ type: 'team.remove', memberId: '<uccx id for team member>' }]);
      const [members] = variants('report.teamstatus.memberremoved.event');
      assert.deepEqual(fold('report.teamstatus.memberremoved', members, 2), [{ type: 'team.remove', memberId: '<uccx id for team member>' }]);
    });
  });
});
