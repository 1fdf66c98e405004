/**
 * The Enreach Voice connector: REST (BeneAPI) for identity, queues, tokens and commands; the RTE
 * SignalR hub for live events. Document: `vendor-docs/enreach-rte-websocket-api.txt`; facts beyond
 * it: VENDOR-NOTES.md, Enreach section.
 *
 * Built on the kit's {@link defineConnector}: the lifecycle, the supervisor that heals the
 * connection, the presence options and the "not available" / "not connected yet" refusals come
 * from there. This file only wires the parts:
 * - `session.ts`: every (re)connection — REST base and SecretKey, the user, queues and call lists,
 *   a fresh RTE token and hub, `Subscribe`, the REST re-read — and what the account keeps across them;
 * - `events.ts`: the hub's `MessageReceived` arguments folded into desk events;
 * - `commands.ts`: the two commands Enreach supports (`presence.set`, `callback.close`).
 */
import type { Connector } from '../../desk/port.js';
import { defineConnector } from '../kit/connector.js';
import type { ConnectorOptions } from '../kit/platform.js';
import { ENREACH_CAPABILITIES, ENREACH_NAME } from './capabilities.js';
import { enreachCommands } from './commands.js';
import type { EnreachAccount, EnreachSecrets, EnreachTuning } from './config.js';
import { EnreachAccountState, openSession, type Live } from './session.js';

export { rteMessageEvents } from './events.js';
export { ENREACH_USER_EVENTS } from './session.js';

/**
 * Options of {@link createEnreachConnector}: the kit's `ConnectorOptions`, with Enreach's tuning
 * typed (timeouts and transports, see {@link EnreachTuning}); the backoff defaults to the kit's
 * `DEFAULT_BACKOFF`.
 */
export type EnreachConnectorOptions = ConnectorOptions<EnreachTuning>;

/**
 * Creates the connector for one Enreach account.
 * @param account the parsed account (see `enreachAccountSchema`).
 * @param secrets the account's secrets, already resolved; one of `secretKey` / `password` is needed
 *   (a missing one makes the connection `failed` with a reason, it does not throw here).
 */
export function createEnreachConnector(account: EnreachAccount, secrets: EnreachSecrets, options: EnreachConnectorOptions = {}): Connector {
  const state = new EnreachAccountState(account, secrets, options.tuning);
  return defineConnector<Live>({
    platform: ENREACH_NAME,
    capabilities: ENREACH_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => openSession(state, ctx),
    commands: enreachCommands(state),
  });
}
