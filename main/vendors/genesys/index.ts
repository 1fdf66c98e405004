/**
 * The Genesys platform module: Workspace Web Edition API v2 — REST operations plus CometD
 * long-polling notifications. Document: `vendor-docs/genesys-wwe-api-v2-cometd-chats.txt`; public
 * facts: VENDOR-NOTES.md, Genesys section.
 */
import { definePlatform } from '../kit/platform.js';
import { GENESYS_CAPABILITIES } from './capabilities.js';
import { genesysAccountSchema, genesysShape } from './config.js';
import { createGenesysConnector } from './connector.js';

export const genesys = definePlatform({
  id: 'genesys',
  name: 'Genesys',
  transport: 'CometD long-polling + REST operations',
  offers: 'chats, calls, agent state',
  schema: genesysAccountSchema,
  shape: genesysShape,
  form: [
    { key: 'baseUrl', label: 'Server address', help: 'e.g. https://gws.example.com', doc: 'The Workspace Web Edition server; the API is at `/api/v2` under it.' },
    { key: 'user', label: 'User name', doc: 'The agent’s user name; with the password, sent as HTTP Basic credentials.' },
    { key: 'password', label: 'Password', doc: 'The agent’s password (HTTP Basic).' },
    { key: 'channels', label: 'Channels', doc: 'The media channels of the agent’s contact-center session.' },
  ],
  capabilities: GENESYS_CAPABILITIES,
  createConnector: createGenesysConnector,
  /** Loads the demo script and its simulator only now (`import()`: a chunk of its own, outside the app's main bundle). */
  async startDemo(options) {
    const { startGenesysDemo } = await import('./demo.js');
    const demo = await startGenesysDemo(options);
    return { account: { ...demo.account, password: demo.secrets.password }, stop: () => demo.stop() };
  },
});
