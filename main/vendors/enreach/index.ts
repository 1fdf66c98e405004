/**
 * The Enreach Voice platform module (formerly Benemen): REST (BeneAPI) with Basic auth plus the RTE
 * Microsoft SignalR hub. Document: `vendor-docs/enreach-rte-websocket-api.txt`; public facts:
 * VENDOR-NOTES.md, Enreach section.
 */
import { definePlatform } from '../kit/platform.js';
import { enreachAccountSchema, enreachShape } from './config.js';
import { createEnreachConnector, ENREACH_PRESENCE_OPTIONS, type EnreachConnectorOptions } from './connector.js';
import { startEnreachDemo } from './demo.js';

export const enreach = definePlatform({
  id: 'enreach',
  name: 'Enreach Voice',
  transport: 'REST (Basic auth) + Microsoft SignalR hub',
  offers: 'presence, calls, callbacks, queues, wrap-up',
  schema: enreachAccountSchema,
  shape: enreachShape,
  form: [
    { key: 'user', label: 'Login email' },
    { key: 'secretKey', label: 'API secret key', help: 'Preferred. Or give the password instead.' },
    { key: 'password', label: 'Password', help: 'Used only to obtain a secret key.' },
    { key: 'apiUrl', label: 'API address', help: 'Leave empty to find it from the login email.' },
  ],
  // The RTE and REST documents offer no call control or dialling; no chat.
  capabilities: { presence: ENREACH_PRESENCE_OPTIONS, dial: false, callControl: false, chats: false, callbacks: true, queues: true, team: false },
  createConnector: (account, secrets, options) =>
    createEnreachConnector(account, { secretKey: secrets.secretKey, password: secrets.password }, { ...(options.tuning as EnreachConnectorOptions), backoff: options.backoff }),
  async startDemo(options) {
    const demo = await startEnreachDemo(options);
    return { account: { ...demo.account, secretKey: demo.secrets.secretKey }, stop: () => demo.stop() };
  },
});
