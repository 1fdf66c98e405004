/**
 * The one way to write a connector: a platform supplies how to open one connection and how to
 * carry out the commands it supports; {@link defineConnector} supplies the rest, the same for every
 * platform — the lifecycle (start, stop, retry, resume), the supervisor that heals the connection,
 * the presence options advertised from the module's capabilities, and the "not available here" and
 * "not connected yet" refusals.
 */
import type { CallJourney } from '../../desk/model.js';
import type { Capabilities, CommandAnswer, Connector, ConnectorCommand, ConnectorContext } from '../../desk/port.js';
import { CommandError } from '../../desk/port.js';
import { ConnectionSupervisor, type BackoffPolicy, type Session } from './supervisor.js';

/** The handler of one command type, given the live connection's state. */
export type CommandHandler<Live, T extends ConnectorCommand['type']> = (
  live: Live,
  command: Extract<ConnectorCommand, { type: T }>,
  context: ConnectorContext,
) => Promise<T extends 'call.journey' ? CallJourney : void>;

/** What a platform's connection code provides. */
export interface ConnectorSpec<Live> {
  /** The platform's display name, for the agent's messages ("Chat is not available on …"). */
  platform: string;
  /** What the platform can do; its `presence` states are advertised to the desk at start. */
  capabilities: Capabilities;
  /**
   * Opens one connection: authenticate (fresh credentials or token each time), connect, subscribe,
   * re-read what may have been missed. Resolves with the session (whose `closed` settles when it is
   * lost) and the state commands need. Rejects with a `ConnectionError` (fatal when a person must
   * act) or any error (retried with backoff).
   * @param attempt 0 for the first connection, then the reconnect attempt number.
   */
  connect(context: ConnectorContext, attempt: number): Promise<{ session: Session; live: Live }>;
  /** The commands the platform carries out; any other is refused as not available here. */
  commands: { [T in ConnectorCommand['type']]?: CommandHandler<Live, T> };
  /**
   * The agent answered a prompt the platform raised (a `prompt` event), possibly while connecting;
   * absent when the platform never asks.
   */
  answerPrompt?(promptId: string, choice: string, context: ConnectorContext): void;
  /** Ends the vendor session cleanly (e.g. logs the agent out of the contact center) before closing. */
  endSession?(live: Live, context: ConnectorContext): Promise<void>;
  /** Reconnect delays (tests pass a fast one). */
  backoff?: BackoffPolicy;
}

/** What each command is called in a refusal. */
const COMMAND_WORDS: Record<ConnectorCommand['type'], string> = {
  'presence.set': 'Setting presence',
  'call.action': 'Call control',
  'call.dial': 'Dialling',
  'chat.action': 'Chat',
  'chat.send': 'Chat',
  'callback.close': 'Closing callbacks',
  'chat.start': 'Starting a chat',
  'call.journey': 'The call journey',
};

/** Builds a {@link Connector} from a platform's {@link ConnectorSpec}. */
export function defineConnector<Live>(spec: ConnectorSpec<Live>): Connector {
  let context: ConnectorContext | undefined;
  let supervisor: ConnectionSupervisor | undefined;
  let live: Live | undefined;

  return {
    start(ctx) {
      if (supervisor) return;
      context = ctx;
      ctx.emit({ type: 'presence.options', options: [...spec.capabilities.presence] });
      supervisor = new ConnectionSupervisor({
        connect: async (attempt) => {
          const opened = await spec.connect(ctx, attempt);
          live = opened.live;
          void opened.session.closed.then(() => {
            if (live === opened.live) live = undefined;
          });
          return opened.session;
        },
        emit: ctx.emit,
        log: ctx.log,
        backoff: spec.backoff,
      });
      supervisor.start();
    },

    async stop() {
      const running = supervisor;
      if (!running) return;
      if (live !== undefined && context && spec.endSession) {
        await spec.endSession(live, context).catch((error: unknown) => context?.log.warn({ err: error }, 'the vendor session did not end cleanly'));
      }
      await running.stop();
      supervisor = undefined;
      live = undefined;
    },

    retry() {
      supervisor?.retry();
    },

    resume() {
      supervisor?.resume();
    },

    async execute(command): Promise<CommandAnswer> {
      const handler = spec.commands[command.type] as ((live: Live, command: ConnectorCommand, context: ConnectorContext) => Promise<CommandAnswer>) | undefined;
      if (!handler) throw new CommandError(`${COMMAND_WORDS[command.type]} is not available on ${spec.platform}`);
      if (live === undefined || !context) throw new CommandError(`${spec.platform} is not connected yet — try again in a moment`);
      return handler(live, command, context);
    },

    answerPrompt(promptId, choice) {
      if (context && spec.answerPrompt) spec.answerPrompt(promptId, choice, context);
    },
  };
}
