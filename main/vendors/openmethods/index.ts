/**
 * The OpenMethods platform module: a Cisco UCCX agent through an OpenMethods Harmony Integration
 * Server (HIS) Interaction Processor — the Socket Transport (`~!OM` frames) and the Direct Client
 * Protocol. Document: `vendor-docs/openmethods-interaction-processor.txt`; public facts and the
 * wire contract: VENDOR-NOTES.md, OpenMethods section.
 */
import { definePlatform } from '../kit/platform.js';
import { openmethodsAccountSchema, openmethodsShape } from './config.js';
import { OPENMETHODS_CAPABILITIES, OPENMETHODS_NAME } from './capabilities.js';
import { createOpenMethodsConnector } from './connector.js';

export const openmethods = definePlatform({
  id: 'openmethods',
  name: OPENMETHODS_NAME,
  transport: 'framed TCP/TLS socket (HIS Socket Transport) + Direct Client Protocol',
  offers: 'agent state with reasons, calls, team status, call journeys',
  schema: openmethodsAccountSchema,
  shape: openmethodsShape,
  form: [
    {
      key: 'serverUrl',
      label: 'Integration server',
      help: 'tls://host:port (or tcp://host:port without TLS)',
      doc: 'The OpenMethods integration server’s Socket Transport. With `tls://` the host name is checked; the port is required.',
    },
    { key: 'agentId', label: 'UCCX agent id', doc: 'Sent with the password in `prepareSession`; also names the agent whose team-status report the desk asks for.' },
    { key: 'password', label: 'Agent password', doc: 'Sent with the agent id in `prepareSession`.' },
    {
      key: 'callModel',
      label: 'Call model',
      help: 'The session call model; leave the default unless told otherwise.',
      doc: 'Sent in `prepareSession`. The default is inferred [I]: the document names no value.',
    },
  ],
  capabilities: OPENMETHODS_CAPABILITIES,
  createConnector: createOpenMethodsConnector,
  /** Loads the demo script and its simulator only now (`import()`: a chunk of its own, outside the app's main bundle). */
  async startDemo(options) {
    const { startOpenMethodsDemo } = await import('./demo.js');
    const demo = await startOpenMethodsDemo(options);
    return { account: demo.account, stop: () => demo.stop() };
  },
  /** Loads the supervisor scenario and its simulator only now (`import()`, as the demo). */
  async startSupervisorDemo(options) {
    const { startOpenMethodsSupervisorDemo } = await import('./supervisor.js');
    return startOpenMethodsSupervisorDemo(options);
  },
});
