/**
 * The one way to write a connector: a platform supplies how to open one connection and how to
 * carry out the commands it supports; {@link defineConnector} supplies the rest, the same for every
 * platform — the lifecycle (start, stop, retry, resume), the supervisor that heals the connection,
 * the presence options advertised from the module's capabilities, and the "not available here" and
 * "not connected yet" refusals.
 */
import type { CallJourney } from '../../../common/model.js';
import type { Capabilities, CommandAnswer, Connector, ConnectorCommand, ConnectorContext } from '../../desk/port.js';
import { CommandError } from '../../desk/port.js';
import { ConnectionSupervisor, settleWithin, type BackoffPolicy, type Session } from './supervisor.js';

/**
 * What a platform's connection code is given: the desk's context, plus the way to tell the
 * supervisor the server is alive. Every event emitted while a session is open counts as such a
 * sign already, and so does every command that succeeded; a connector calls {@link healthy} for
 * what the desk does not see (an answered heartbeat, ping or long poll), so that an idle session
 * proves itself too.
 */
export interface SessionContext extends ConnectorContext {
  /** The server just showed it is alive on the open session (cheap; see `ConnectionSupervisor.healthy`). */
  healthy(): void;
}

/** The handler of one command type, given the live connection's state. */
export type CommandHandler<Live, T extends ConnectorCommand['type']> = (
  live: Live,
  command: Extract<ConnectorCommand, { type: T }>,
  context: SessionContext,
) => Promise<T extends 'call.journey' ? CallJourney : void>;

/**
 * How long ending the vendor session may take on stop, ms: with the supervisor's own deadline
 * (`STOP_WITHIN_MS`) a stop against a hung server returns within 3 s (issue 16).
 */
export const END_SESSION_WITHIN_MS = 1_000;

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
  connect(context: SessionContext, attempt: number): Promise<{ session: Session; live: Live }>;
  /** The commands the platform carries out; any other is refused as not available here. */
  commands: { [T in ConnectorCommand['type']]?: CommandHandler<Live, T> };
  /**
   * The agent answered a prompt the platform raised (a `prompt` event), possibly while connecting;
   * absent when the platform never asks.
   */
  answerPrompt?(promptId: string, choice: string, context: SessionContext): void;
  /**
   * Ends the vendor session cleanly (e.g. logs the agent out of the contact center) before closing;
   * given {@link END_SESSION_WITHIN_MS}, after which the stop goes on without it.
   */
  endSession?(live: Live, context: SessionContext): Promise<void>;
  /** Reconnect delays and the healthy spell (tests pass a fast one); see `BackoffPolicy`. */
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
  'call.consult': 'Consulting',
  'call.blindTransfer': 'Transferring',
  'call.completeConsult': 'Completing a consultation',
  'call.cancelConsult': 'Cancelling a consultation',
  'call.dtmf': 'Sending digits',
  'call.wrapUpReason': 'Wrap-up reasons',
};

/** Builds a {@link Connector} from a platform's {@link ConnectorSpec}. */
export function defineConnector<Live>(spec: ConnectorSpec<Live>): Connector {
  let context: SessionContext | undefined;
  let supervisor: ConnectionSupervisor | undefined;
  let live: Live | undefined;

  return {
    start(desk) {
      if (supervisor) return;
      // `running` is read only once a connection attempt runs, after it was made below.
      const ctx: SessionContext = {
        log: desk.log,
        emit(event) {
          desk.emit(event);
          running.healthy();
        },
        healthy: () => running.healthy(),
      };
      context = ctx;
      desk.emit({ type: 'presence.options', options: [...spec.capabilities.presence] });
      const running = new ConnectionSupervisor({
        connect: async (attempt) => {
          const opened = await spec.connect(ctx, attempt);
          live = opened.live;
          void opened.session.closed.then(() => {
            if (live === opened.live) live = undefined;
          });
          return opened.session;
        },
        emit: desk.emit,
        log: desk.log,
        backoff: spec.backoff,
      });
      supervisor = running;
      running.start();
    },

    async stop() {
      const running = supervisor;
      if (!running) return;
      const ctx = context;
      if (live !== undefined && ctx && spec.endSession) {
        const ending = spec.endSession(live, ctx).catch((error: unknown) => ctx.log.warn({ err: error }, 'the vendor session did not end cleanly'));
        if (!(await settleWithin(ending, END_SESSION_WITHIN_MS))) {
          ctx.log.warn({ withinMs: END_SESSION_WITHIN_MS }, 'the vendor session did not end in time; stopping without it');
        }
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
      const answer = await handler(live, command, context);
      context.healthy();
      return answer;
    },

    answerPrompt(promptId, choice) {
      if (context && spec.answerPrompt) spec.answerPrompt(promptId, choice, context);
    },
  };
}
