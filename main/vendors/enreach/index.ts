/**
 * The Enreach Voice platform module (formerly Benemen): REST (BeneAPI) with Basic auth plus the RTE
 * Microsoft SignalR hub. Document: `vendor-docs/enreach-rte-websocket-api.txt`; public facts:
 * VENDOR-NOTES.md, Enreach section.
 */
import { definePlatform } from '../kit/platform.js';
import { ENREACH_CAPABILITIES, ENREACH_NAME } from './capabilities.js';
import { enreachAccountSchema, enreachShape } from './config.js';
import { createEnreachConnector } from './connector.js';

export const enreach = definePlatform({
  id: 'enreach',
  name: ENREACH_NAME,
  transport: 'REST (Basic auth) + Microsoft SignalR hub',
  offers: 'presence, calls, callbacks, queues, wrap-up',
  schema: enreachAccountSchema,
  shape: enreachShape,
  form: [
    { key: 'user', label: 'Login email', doc: 'Also the user name of every REST call (Basic auth).' },
    { key: 'secretKey', label: 'API secret key', help: 'Preferred. Or give the password instead.', doc: 'The REST API secret key (the Basic-auth password). One of `secretKey` and `password` is required.' },
    { key: 'password', label: 'Password', help: 'Used only to obtain a secret key.', doc: 'Traded once per run for the secret key (`POST /authuser/{email}`).' },
    {
      key: 'apiUrl',
      label: 'API address',
      help: 'Leave empty to find it from the login email.',
      doc: 'The silo’s REST API base URL, e.g. `https://api-silo1.enreachvoice.com`; without it the app asks Enreach’s service discovery (`discoveryUrl`) for it.',
    },
  ],
  capabilities: ENREACH_CAPABILITIES,
  createConnector: createEnreachConnector,
  /** Loads the demo script and its simulator only now (`import()`: a chunk of its own, outside the app's main bundle). */
  async startDemo(options) {
    const { startEnreachDemo } = await import('./demo.js');
    const demo = await startEnreachDemo(options);
    return { account: { ...demo.account, secretKey: demo.secrets.secretKey }, stop: () => demo.stop() };
  },
});
