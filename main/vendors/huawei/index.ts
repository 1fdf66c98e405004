/**
 * The Huawei CEC platform module: CC-Messaging click-to-dial over HTTP polling — the agent places a
 * call through a CEC web channel and the desk follows it to its end; the audio runs in the CEC
 * client. Document: `vendor-docs/huawei-cec-click-to-dial-events.txt`; public facts: VENDOR-NOTES.md,
 * Huawei section.
 */
import { definePlatform } from '../kit/platform.js';
import { huaweiBench } from './bench.js';
import { HUAWEI_CAPABILITIES, HUAWEI_NAME, HUAWEI_NOTICE } from './capabilities.js';
import { huaweiAccountSchema, huaweiShape } from './config.js';
import { createHuaweiConnector } from './connector.js';
import { startHuaweiDemo } from './demo.js';
import { startHuaweiConformanceRig } from './rig.js';
import type { HuaweiTuning } from './tuning.js';

export const huawei = definePlatform({
  id: 'huawei',
  name: HUAWEI_NAME,
  transport: 'REST polling (CC-Messaging click-to-dial, ccmessaging-token)',
  offers: 'click-to-dial calls (queued, connected, ended), hang-up',
  schema: huaweiAccountSchema,
  shape: huaweiShape,
  form: [
    { key: 'clickToDialUrl', label: 'Click-to-dial address', help: 'Ends in …/webadapterfacade/ (NSLB) or …/apiaccess/ccmessaging/v1/ (API Fabric).' },
    { key: 'apiFabricUrl', label: 'API Fabric address', help: 'Issues the tokens. Leave empty when it is the same host.' },
    { key: 'appKey', label: 'App key' },
    { key: 'appSecret', label: 'App secret', help: 'Preferred. Or give a bearer token instead.' },
    { key: 'bearerToken', label: 'Bearer access token', help: 'Expires within an hour; the app secret does not.' },
    { key: 'userId', label: 'User id' },
    { key: 'userName', label: 'User name', help: 'Shown to the agent who takes the call; default: the user id.' },
    { key: 'channelId', label: 'Channel id', help: 'The web channel’s configuration id.' },
    { key: 'locale', label: 'Language', help: 'e.g. en' },
    { key: 'callMedia', label: 'Call media', help: 'voice or video' },
  ],
  capabilities: HUAWEI_CAPABILITIES,
  notice: HUAWEI_NOTICE,
  /** `options.tuning` is a {@link HuaweiTuning} (the registry passes it through untyped). */
  createConnector: (account, secrets, options) =>
    createHuaweiConnector(
      account,
      { appSecret: secrets.appSecret, bearerToken: secrets.bearerToken },
      { backoff: options.backoff, tuning: options.tuning as HuaweiTuning | undefined },
    ),
  async startDemo(options) {
    const demo = await startHuaweiDemo(options);
    return { account: demo.account, stop: () => demo.stop() };
  },
  startConformanceRig: () => startHuaweiConformanceRig(),
  bench: huaweiBench,
});
