/**
 * The desk's port: what the desk needs from a platform connector, and the commands it routes to one.
 * The desk owns these types; every platform's connector implements them (layers point one way:
 * vendors depend on the desk, never the reverse).
 */
import type { AgentMessage, MessageKey, MessageValues } from '../../common/i18n.js';
import { english } from '../i18n.js';
import type { ConnectorEvent } from './events.js';
import type { CallAction, CallJourney, CallWorkAction, ChatAction, ConsultPurpose, PresenceState, Said, WrapUpReason } from '../../common/model.js';

/**
 * What a platform can do for the agent, advertised by its module (`main/vendors/<v>/index.ts`):
 * the desk offers only these (presence options, Call, chat replies…) and a connector refuses the
 * rest with "not available".
 */
export interface Capabilities {
  /** The presence states the agent may set on this platform (empty: presence is read-only here). */
  presence: readonly PresenceState[];
  /** Click-to-dial: the platform places calls for the agent. */
  dial: boolean;
  /** Call control (answer, hang up, hold, retrieve) on the platform's calls. */
  callControl: boolean;
  /** Chats (and replies in them). */
  chats: boolean;
  /** Callback requests. */
  callbacks: boolean;
  /** Service queues' live figures. */
  queues: boolean;
  /** Colleagues' presence (team status, busy lamps). */
  team: boolean;
  /** The journey of a finished call (the devices it went through), on request. */
  callJourneys?: boolean;
  /**
   * The call work the platform offers at all (consult, transfers, conference, DTMF, wrap-up
   * reasons); absent or empty: none, and the window says so on the call. A connector may narrow it
   * at run time (`account.capabilities`), and each call's `actions` say what it allows now.
   */
  callWork?: readonly CallWorkAction[];
}

/** A command the desk routes to the connector that owns the entity. Ids are the platform's own. */
export type ConnectorCommand =
  /** `reason`: one of the account's presence reason codes, when the agent gave one. */
  | { type: 'presence.set'; state: PresenceState; reason?: string }
  | { type: 'call.action'; callId: string; action: CallAction }
  /** Click-to-dial: place an outbound call to `number` (E.164 or a dialable extension). */
  | { type: 'call.dial'; number: string }
  | { type: 'chat.action'; chatId: string; action: Exclude<ChatAction, 'send'> }
  | { type: 'chat.send'; chatId: string; text: string }
  | { type: 'callback.close'; callbackId: string }
  /** Start an instant-message conversation with a team member (the platform's member id). */
  | { type: 'chat.start'; memberId: string }
  /** The journey of a (finished) call; answered with a {@link CallJourney}. */
  | { type: 'call.journey'; callId: string }
  /**
   * Starts a consultation from call `callId` (which goes on hold) to `destination` (a dialable
   * number, `common/dial.ts`), for a transfer or a conference; the consultation leg arrives as a
   * call with `consultOf: callId`.
   */
  | { type: 'call.consult'; callId: string; destination: string; purpose: ConsultPurpose }
  /** Puts call `callId` through to `destination` at once (a single-step, "blind" transfer). */
  | { type: 'call.blindTransfer'; callId: string; destination: string }
  /**
   * Completes a consultation: `transfer` puts the held caller through to the consulted party (both
   * legs end for the agent); `conference` joins the three into one call.
   */
  | { type: 'call.completeConsult'; consultId: string; originalId: string; as: ConsultPurpose }
  /** Ends the consultation leg and takes the held caller back. */
  | { type: 'call.cancelConsult'; consultId: string; originalId: string }
  /** Sends touch-tone digits on a call (1–32 of `0-9*#A-D`, `DTMF` in `common/dial.ts`). */
  | { type: 'call.dtmf'; callId: string; digits: string }
  /** Gives call `callId` (in wrap-up) a wrap-up reason, one of the account's. */
  | { type: 'call.wrapUpReason'; callId: string; reason: WrapUpReason };

/** What a command answers with: nothing, except a call journey. */
export type CommandAnswer = CallJourney | void;

/**
 * One logging call: structured fields (an `err` field for an Error) and an English message, or
 * the message alone. pino's level methods are of this shape.
 */
export interface DeskLogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * The logger the desk needs, and hands each connector: the five levels it writes and a child
 * bound to more fields (the desk binds `account` and `vendor` for each connector). The desk declares
 * it so that it knows no logging library; the hosts pass a pino logger (`main/log.ts`), which has
 * this shape, secrets redacted.
 */
export interface DeskLogger {
  trace: DeskLogFn;
  debug: DeskLogFn;
  info: DeskLogFn;
  warn: DeskLogFn;
  error: DeskLogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): DeskLogger;
}

/** Where a connector sends what it learns. */
export interface ConnectorContext {
  /** Hands an event to the desk. Safe to call at any rate; never throws. */
  emit(event: ConnectorEvent): void;
  /** A logger already bound to this account and vendor. */
  log: DeskLogger;
}

/** One account's connection to one platform. */
export interface Connector {
  /** Begins connecting and keeps the connection alive until {@link stop}. Returns at once. */
  start(context: ConnectorContext): void;
  /** Closes the connection cleanly (e.g. ends the contact-center session) and stops retrying. */
  stop(): Promise<void>;
  /** Asks a `failed` connection to try again now (after a person fixed the cause). */
  retry(): void;
  /**
   * The machine woke from sleep (or the network came back): prove the connection is alive within
   * seconds (a ping, a poll), or drop it and reconnect. Sockets left from before a sleep often look
   * open while the server forgot them long ago [I].
   */
  resume(): void;
  /**
   * Carries out a desk command on the platform.
   * @throws {CommandError} when the platform refuses, the command is not supported here, or the
   *   connection is down; its message is meant for the agent.
   */
  execute(command: ConnectorCommand): Promise<CommandAnswer>;
  /**
   * The agent answered the account's prompt (see the `prompt` event). Works in any connection state:
   * a platform may ask while it connects (e.g. "take over the other session?").
   */
  answerPrompt?(promptId: string, choice: string): void;
}

/**
 * A command could not be carried out; `message` is written for the agent (in English, as logged).
 * The desk's own refusals also carry `said`, the same as a code with parameters, which a host says
 * in the agent's language (issue 19; {@link CommandError.say}); a platform's refusal is its words as sent.
 */
export class CommandError extends Error {
  override name = 'CommandError';
  /** The refusal as a code with parameters, where the desk wrote it (absent: a platform's words). */
  readonly said?: AgentMessage;
  constructor(message: string, options?: ErrorOptions & { said?: AgentMessage }) {
    super(message, options);
    if (options?.said) this.said = options.said;
  }

  /** The desk's refusal `key` (a message of `common/locales/en.json`) with its parameters; its message is the English. */
  static say(key: MessageKey, values?: MessageValues): CommandError {
    return new CommandError(english.t(key, values), { said: values ? { key, values } : { key } });
  }
}

/** What a {@link ConnectionError} may say beyond its message. */
export interface ConnectionErrorOptions {
  cause?: unknown;
  /**
   * The server asked not to be asked again for this long, ms: an HTTP `Retry-After` on a 429 or 503
   * (RFC 9110 §10.2.3), or a platform's own "try later" signal. The supervisor waits at least this
   * long before the next attempt (ARCHITECTURE.md, principle 12).
   */
  retryAfterMs?: number;
  /**
   * The server refused the credentials or token (HTTP 401 or the platform's equivalent) but a fresh
   * sign-in may cure it (an expired token). The supervisor signs in afresh once; a second such
   * refusal in a row, with no healthy session between, is fatal: the credentials were revoked.
   */
  unauthorized?: boolean;
  /**
   * What to tell the agent, as a code with parameters (issue 19; `message` is the same in English,
   * for the log). Without it the supervisor classifies the error itself (`main/vendors/kit/reasons.ts`).
   */
  said?: Said;
}

/**
 * A connection attempt or session failed. `fatal` errors need a person (credentials, licence,
 * configuration, a session taken over elsewhere): the supervisor goes to `failed` and stops retrying
 * until {@link Connector.retry}. See {@link ConnectionErrorOptions} for `retryAfterMs` and `unauthorized`.
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  /** See {@link ConnectionErrorOptions.retryAfterMs}. */
  readonly retryAfterMs: number | undefined;
  /** See {@link ConnectionErrorOptions.unauthorized}. */
  readonly unauthorized: boolean;
  /** See {@link ConnectionErrorOptions.said}. */
  readonly said: Said | undefined;
  constructor(
    message: string,
    readonly fatal: boolean = false,
    options?: ConnectionErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs;
    this.unauthorized = options?.unauthorized ?? false;
    this.said = options?.said;
  }

  /**
   * The failure `key` (a message of `common/locales/en.json`, `accounts.reason.*`) with its
   * parameters: its message is the English (for the log), `said` the code the agent reads in their language.
   */
  static say(key: MessageKey, values: Readonly<Record<string, string | number>> | undefined, fatal = false, options?: Omit<ConnectionErrorOptions, 'said'>): ConnectionError {
    return new ConnectionError(english.t(key, values), fatal, { ...options, said: values ? { key, values } : { key } });
  }
}
