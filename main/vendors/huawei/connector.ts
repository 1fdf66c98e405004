/**
 * The Huawei CEC connector: CC-Messaging click-to-dial over HTTP polling. Document:
 * `vendor-docs/huawei-cec-click-to-dial-events.txt`; facts beyond it: VENDOR-NOTES.md, Huawei.
 *
 * Built on the kit's {@link defineConnector}: lifecycle, supervisor, refusals come from there. This
 * file only wires the parts: `session.ts` opens one session (below) and keeps it alive; `state.ts`
 * holds what outlives a session (the call in progress) and hears what a session reports;
 * `events.ts` folds CEC's click-to-dial events into desk events; `commands.ts` carries out the two
 * commands CEC supports.
 *
 * Every (re)connection:
 * 1. a **fresh** `ccmessaging-token` from the one replaceable `TokenSource` (auth.ts, `applyToken`);
 * 2. `checkClickToCallSupport`: whether click-to-dial (and WebRTC, for video) is on; what is not is
 *    shown on the account as an issue;
 * 3. the call in progress, if any, is followed again: its events wait on the channel while the desk
 *    is away, and the poll reads them (CEC has no "list calls": what the desk re-reads is the
 *    progress of the call it placed) [I].
 *
 * Commands: `call.dial` → `createClickToCall` ("13" → "No agent available"); `call.action` hang up →
 * `dropClickToCall`. CEC holds one click-to-dial call per channel session (create, poll and drop
 * name no call), so the connector places one at a time and names it itself [I].
 */
import type { Connector } from '../../desk/port.js';
import { defineConnector } from '../kit/connector.js';
import type { ConnectorOptions } from '../kit/platform.js';
import { HUAWEI_CAPABILITIES, HUAWEI_NAME } from './capabilities.js';
import { cecCommands } from './commands.js';
import { resolveTuning, type HuaweiAccount, type HuaweiSecrets, type HuaweiTuning } from './config.js';
import { openSession, type CecSession } from './session.js';
import { CecAccountState } from './state.js';


export { noAgentMessage } from './commands.js';
export { foldEventsAnswer } from './events.js';
export { HANGUP_GRACE_MS, TIMED_OUT_REASON } from './state.js';

/**
 * Options of {@link createHuaweiConnector}: the kit's `ConnectorOptions`, with CEC's tuning typed;
 * the backoff defaults to the kit's `DEFAULT_BACKOFF`.
 */
export type HuaweiConnectorOptions = ConnectorOptions<HuaweiTuning>;

/**
 * Creates the connector for one Huawei CEC account.
 * @param account the parsed account (see `huaweiAccountSchema`).
 * @param secrets its secrets, resolved; one of `appSecret` / `bearerToken` is needed (a missing one
 *   makes the connection `failed` with a reason, it does not throw here).
 */
export function createHuaweiConnector(account: HuaweiAccount, secrets: HuaweiSecrets, options: HuaweiConnectorOptions = {}): Connector {
  const tuning = resolveTuning(options.tuning);
  const state = new CecAccountState(account, secrets, tuning);
  const connector = defineConnector<CecSession>({
    platform: HUAWEI_NAME,
    capabilities: HUAWEI_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => openSession(state, ctx),
    commands: cecCommands(state),
  });
  tuning.onConnector?.(connector);
  return connector;
}
