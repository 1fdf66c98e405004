/**
 * The Huawei CEC platform module: CC-Messaging click-to-dial over HTTP polling — the agent places a
 * call through a CEC web channel and the desk follows it to its end; the audio runs in the CEC
 * client. Document: `vendor-docs/huawei-cec-click-to-dial-events.txt`; public facts: VENDOR-NOTES.md,
 * Huawei section.
 */
import { definePlatform } from '../kit/platform.js';
import { HUAWEI_CAPABILITIES, HUAWEI_NAME, HUAWEI_NOTICE } from './capabilities.js';
import { huaweiAccountSchema, huaweiShape } from './config.js';
import { createHuaweiConnector } from './connector.js';

export const huawei = definePlatform({
  id: 'huawei',
  name: HUAWEI_NAME,
  transport: 'REST polling (CC-Messaging click-to-dial, ccmessaging-token)',
  offers: 'click-to-dial calls (queued, connected, ended), hang-up',
  schema: huaweiAccountSchema,
  shape: huaweiShape,
  form: [
    {
      key: 'clickToDialUrl',
      label: 'Click-to-dial address',
      help: 'Ends in …/webadapterfacade/ (NSLB) or …/apiaccess/ccmessaging/v1/ (API Fabric).',
      doc: 'The click-to-dial base URL: the NSLB facade `https://{host}:{port}/service-cloud/rest/webadapter/v1/webadapterfacade/` (the document’s; the token goes in a cookie) or the API Fabric `https://{domain}/apiaccess/ccmessaging/v1/`. The path says which.',
    },
    {
      key: 'apiFabricUrl',
      label: 'API Fabric address',
      help: 'Issues the tokens. Leave empty when it is the same host.',
      doc: 'Where tokens come from (`/apiaccess/ccmessaging/applyToken`, `/apigovernance/api/oauth/tokenByAkSk`); default: the origin of `clickToDialUrl`.',
    },
    { key: 'appKey', label: 'App key', doc: 'The API Fabric app key (sent as `x-app-key`).' },
    { key: 'appSecret', label: 'App secret', help: 'Preferred. Or give a bearer token instead.', doc: 'Obtains Bearer access tokens as needed. One of `appSecret` and `bearerToken` is required.' },
    { key: 'bearerToken', label: 'Bearer access token', help: 'Expires within an hour; the app secret does not.', doc: 'A ready token works until it expires (an hour at most).' },
    { key: 'userId', label: 'User id', doc: 'The user in `applyToken`’s body.' },
    { key: 'userName', label: 'User name', help: 'Shown to the agent who takes the call; default: the user id.', doc: 'Sent in `applyToken`’s body.' },
    { key: 'channelId', label: 'Channel id', help: 'The web channel’s configuration id.', doc: 'Sent in `applyToken`’s body.' },
    { key: 'locale', label: 'Language', help: 'e.g. en', doc: 'Sent in `applyToken`’s body: a language code without country.' },
    {
      key: 'callMedia',
      label: 'Call media',
      help: 'voice or video',
      doc: '`voice` is `mediaAbility` "0", `video` "1". CEC’s `createClickToCall` takes no number: the call goes to the channel’s click-to-dial access code, and the number typed in the dial form only labels the call on the desk.',
    },
  ],
  capabilities: HUAWEI_CAPABILITIES,
  notice: HUAWEI_NOTICE,
  createConnector: createHuaweiConnector,
  /** Loads the demo script and its simulator only now (`import()`: a chunk of its own, outside the app's main bundle). */
  async startDemo(options) {
    const { startHuaweiDemo } = await import('./demo.js');
    const demo = await startHuaweiDemo(options);
    return { account: demo.account, stop: () => demo.stop() };
  },
});
