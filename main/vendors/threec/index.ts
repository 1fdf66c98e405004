/**
 * The NEC UNIVERGE 3C platform module: the "3C Event" adapter (v2.0.11), reached through its
 * adapter link over one WebSocket. Document: `vendor-docs/3c-event-adapter.txt`; facts and the wire
 * contract [I]: VENDOR-NOTES.md, 3C section (the contract is `contract.ts`).
 *
 * What it brings to the desk: the agent's presence as 3C reports it (read-only: the adapter cannot
 * set it), watched colleagues in the Team section (presence, and busy lamps from their terminals),
 * instant messages with colleagues (reply, and start one from the Team section), and the calls on
 * the agent's own terminals (shown, not controlled).
 */
import { definePlatform } from '../kit/platform.js';
import { THREEC_CAPABILITIES, THREEC_NAME, THREEC_NOTICE } from './capabilities.js';
import { threecAccountSchema, threecShape } from './config.js';
import { createThreecConnector } from './connector.js';

/** The platform module the registry lists (`main/vendors/index.ts`). */
export const threec = definePlatform({
  id: 'threec',
  name: THREEC_NAME,
  transport: 'WebSocket to the 3C Event adapter link',
  offers: 'presence (read-only), team presence and busy lamps, instant messages, calls (no control)',
  schema: threecAccountSchema,
  shape: threecShape,
  form: [
    {
      key: 'linkUrl',
      label: 'Adapter link address',
      help: 'The 3C Event adapter link, e.g. wss://link.example.com/3c-event',
      doc: '`ws://` or `wss://`. The link’s wire contract is inferred [I]: see [its protocol confidence](platforms/threec.md).',
    },
    { key: 'serveruri', label: '3C Server URI', help: 'Like https://serverdnsname/SphericallService' },
    { key: 'username', label: 'Username', help: 'UPN format, e.g. agent@domain; the user needs an address assigned on the 3C server', doc: 'The 3C user.' },
    { key: 'password', label: 'Password', doc: 'The 3C user’s password, at most 1024 characters (checked when it is resolved).' },
    {
      key: 'terminals',
      label: 'Your terminals',
      help: 'Address values separated by commas; the type defaults to ext, e.g. 1001, 1002 (ext)',
      doc: 'The agent’s own terminals, whose calls show on the desk. A file may also give a JSON list: `[{"addressvalue": "1001", "addresstype": "ext"}]`.',
    },
    {
      key: 'colleagues',
      label: 'Colleagues to watch',
      help: 'User names separated by commas, e.g. bob@domain, carol@domain',
      doc: 'Their presence shows in the Team section, and the agent can message them. A file may also give a JSON list of user names.',
    },
    {
      key: 'colleagueTerminals',
      label: 'Colleagues’ terminals (supervisors)',
      help: 'Busy lamps: user = address, e.g. bob@domain = 1002',
      doc: 'For supervisors: colleagues’ terminals whose calls light their busy lamp (their owners are watched too). A file may also give a JSON list: `[{"username": "bob@domain", "addressvalue": "1002", "addresstype": "ext"}]`.',
    },
  ],
  capabilities: THREEC_CAPABILITIES,
  notice: THREEC_NOTICE,
  createConnector: createThreecConnector,
  /** Loads the demo script and its simulator only now (`import()`: a chunk of its own, outside the app's main bundle). */
  async startDemo(options) {
    const { startThreecDemo } = await import('./demo.js');
    const demo = await startThreecDemo(options);
    return { account: demo.account, stop: () => demo.stop() };
  },
  /** Loads the supervisor scenario and its simulator only now (`import()`, as the demo). */
  async startSupervisorDemo(options) {
    const { startThreecSupervisorDemo } = await import('./supervisor.js');
    return startThreecSupervisorDemo(options);
  },
});
