/**
 * The OpenMethods connector: a UCCX agent's desk through an OpenMethods Harmony Integration Server
 * (HIS) Interaction Processor, over the Socket Transport and the Direct Client Protocol.
 * Document: `vendor-docs/openmethods-interaction-processor.txt`; facts and the wire contract:
 * VENDOR-NOTES.md, OpenMethods section.
 *
 * Built on the kit's {@link defineConnector}; this file only wires the parts:
 * - `session.ts`: every (re)connection (transport handshake, services, the session resource with
 *   the take-over prompt, capabilities, reasons, state, team) and the clean end on stop;
 * - `events.ts`: the session's DCP events routed to the fold (`fold.ts`), which makes desk events;
 * - `team.ts`: the team-status report begun;
 * - `commands.ts`: what the desk asks of UCCX, one handler per command; `call-work.ts` the call work
 *   (consult, transfers, conference, DTMF, wrap-up reasons);
 * - `transport.ts` and `dcp.ts`: the frames and the requests.
 */
import { ConnectionError, type Connector, type ConnectorContext } from '../../desk/port.js';
import { defineConnector } from '../kit/connector.js';
import type { ConnectorOptions } from '../kit/platform.js';
import { OPENMETHODS_CAPABILITIES, OPENMETHODS_NAME } from './capabilities.js';
import { UCCX_CALL_WORK } from './call-work.js';
import { UCCX_COMMANDS } from './commands.js';
import type { OpenMethodsAccount, OpenMethodsSecrets, OpenMethodsTuning } from './config.js';
import { endSession, newAccountState, openSession, type Live } from './session.js';

export { OPENMETHODS_CAPABILITIES, OPENMETHODS_NAME, OPENMETHODS_PRESENCE } from './capabilities.js';

/** Options of {@link createOpenMethodsConnector}: the kit's `ConnectorOptions`, with UCCX's tuning typed. */
export type OpenMethodsConnectorOptions = ConnectorOptions<OpenMethodsTuning>;

/**
 * Creates the connector for one OpenMethods account.
 * @param account the parsed account (`openmethodsAccountSchema`).
 * @param secrets the agent's password, resolved (an empty one makes the connection `failed`).
 */
export function createOpenMethodsConnector(account: OpenMethodsAccount, secrets: OpenMethodsSecrets, options: OpenMethodsConnectorOptions = {}): Connector {
  const state = newAccountState(account, secrets.password, options.tuning);
  const inner = defineConnector<Live>({
    platform: OPENMETHODS_NAME,
    capabilities: OPENMETHODS_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => openSession(state, ctx),
    answerPrompt(promptId, choice) {
      if (state.pendingPrompt?.id === promptId) state.pendingPrompt.resolve(choice);
    },
    commands: { ...UCCX_COMMANDS, ...UCCX_CALL_WORK },
    endSession: (live, ctx) => endSession(state, live, ctx),
  });

  let context: ConnectorContext | undefined;
  return {
    ...inner,
    start(ctx) {
      context = ctx;
      inner.start(ctx);
    },
    /** Stops; a connection waiting for the agent's answer (or a server) is abandoned at once. */
    async stop() {
      const stopping = inner.stop();
      state.connecting?.abort(new ConnectionError('the account was stopped'));
      await stopping;
      if (context) {
        context.emit({ type: 'team.sync', members: [] });
        context.emit({ type: 'prompt', prompt: null });
      }
    },
  };
}
