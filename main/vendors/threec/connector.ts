/**
 * The NEC UNIVERGE 3C connector: the "3C Event" adapter (document `vendor-docs/3c-event-adapter.txt`)
 * reached through its adapter link over one WebSocket (the wire contract, `contract.ts`, [I]).
 *
 * Built on the kit's {@link defineConnector}: lifecycle, supervisor, refusals come from there. Every
 * (re)connection:
 * 1. a new WebSocket, the connect frame with the account's `serveruri`, `username`, `password`,
 *    then `connected3C` (a close with 4401 — then, or later in a live session — is a credentials
 *    failure: `failed`, for a person to fix; anything else reconnects with backoff, at least as late
 *    as a refused upgrade's `Retry-After` asks);
 * 2. after an earlier session: calls still on the desk are marked stale (the link remembers nothing
 *    and may not report them again; they are not ended on a guess);
 * 3. monitoring again (`monitoring.ts`): the users, then the terminals, ≤ 500 per request; what 3C
 *    refused becomes the account's subscription issues, the rest stays monitored;
 * 4. the team as the connector knows it (`team.sync`).
 *
 * The adapter has no command to set presence and documents no call control, so the desk offers
 * neither: only `chat.send` (`sendText`) and `chat.start` (a conversation opened locally; the first
 * `sendText` starts it on 3C).
 */
import { CommandError, ConnectionError, type Connector, type ConnectorContext } from '../../desk/port.js';
import { defineConnector, type SessionContext } from '../kit/connector.js';
import type { ConnectorOptions } from '../kit/platform.js';
import type { Session } from '../kit/supervisor.js';
import { PROPERTY_MAX_LENGTH, type ThreecAccount, type ThreecSecrets, type ThreecTuning } from './config.js';
import { LinkError, LinkRefusedError, LinkTimeoutError, openLink, type LinkSession } from './link.js';
import { planOf, startMonitoring } from './monitoring.js';
import { ThreecDesk, watchOf } from './normalize.js';
import { THREEC_CAPABILITIES, THREEC_NAME } from './capabilities.js';

/** Options of {@link createThreecConnector}: the kit's `ConnectorOptions`, with 3C's tuning typed. */
export type ThreecConnectorOptions = ConnectorOptions<ThreecTuning>;

/** What one live session gives the commands. */
interface Live {
  link: LinkSession;
}

/** Whether a link URL keeps the password off the network in clear: `wss://`, or `ws://` to this machine. */
export function linkIsSafe(linkUrl: string): boolean {
  const url = new URL(linkUrl);
  return url.protocol === 'wss:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The default repeat window of IMs, ms [I]: an event repeated this soon with the same text is one message. */
export const REPEAT_WINDOW_MS = 5_000;

/**
 * Creates the connector of one 3C account.
 * @param account the parsed account (`threecAccountSchema`).
 * @param secrets the resolved password; a missing or over-long one makes the account `failed` with
 *   a reason (it does not throw here).
 */
export function createThreecConnector(account: ThreecAccount, secrets: ThreecSecrets, options: ThreecConnectorOptions = {}): Connector {
  const tuning = options.tuning ?? {};
  const user = account.username;
  let desk: ThreecDesk | undefined;
  let sessions = 0;
  let warnedPlainText = false;

  function picture(ctx: ConnectorContext): ThreecDesk {
    desk ??= new ThreecDesk(watchOf(account), { repeatWindowMs: tuning.repeatWindowMs ?? REPEAT_WINDOW_MS, log: ctx.log });
    return desk;
  }

  /** The agent's message when 3C refuses the credentials (close 4401). */
  const refusedMessage = (error: LinkRefusedError): string =>
    `3C refused the user name or password for ${user}${error.errorMessage ? ` ("${error.errorMessage}")` : ''} — check the account settings, then retry`;

  /** Opens one session (steps 1–4 above). @throws {ConnectionError} fatal for what a person must fix. */
  async function connect(ctx: SessionContext): Promise<{ session: Session; live: Live }> {
    const { log, emit } = ctx;
    const password = secrets.password;
    if (!password) throw new ConnectionError(`No 3C password is set for ${user} — check the account settings`, true, { said: { key: 'accounts.reason.no-secret', values: { user } } });
    if (password.length > PROPERTY_MAX_LENGTH) {
      throw new ConnectionError(`The 3C password for ${user} is longer than ${PROPERTY_MAX_LENGTH} characters — check the account settings`, true);
    }
    const model = picture(ctx);
    if (!warnedPlainText && !linkIsSafe(account.linkUrl)) {
      warnedPlainText = true;
      log.warn({ linkUrl: account.linkUrl }, 'the 3C adapter link is not encrypted (ws://): the password crosses the network in clear text; use wss://');
    }
    let link: LinkSession;
    try {
      link = await openLink({
        url: account.linkUrl,
        properties: { serveruri: account.serveruri, username: user, password },
        log,
        onEvent: (event, at) => {
          for (const e of model.handle(event, at)) emit(e);
        },
        onAlive: ctx.healthy,
        pingIntervalMs: tuning.pingIntervalMs,
        pongTimeoutMs: tuning.pongTimeoutMs,
        connectTimeoutMs: tuning.connectTimeoutMs,
        commandTimeoutMs: tuning.commandTimeoutMs,
        maxFrameBytes: tuning.maxFrameBytes,
      });
    } catch (error) {
      if (error instanceof LinkRefusedError) throw new ConnectionError(refusedMessage(error), true, { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      const hint = /address/i.test(message) ? ' — the 3C user needs an address assigned on the 3C server' : '';
      throw new ConnectionError(`${message}${hint}`, false, { cause: error, retryAfterMs: error instanceof LinkError ? error.retryAfterMs : undefined });
    }
    try {
      if (sessions++ > 0) for (const e of model.reconnected()) emit(e);
      const issues = await startMonitoring(link, planOf(watchOf(account)), user, log);
      emit({ type: 'subscriptions', issues });
      emit({ type: 'team.sync', members: model.team() });
    } catch (error) {
      await link.close();
      throw new ConnectionError(error instanceof Error ? error.message : String(error), false, { cause: error });
    }
    const session: Session = {
      // Credentials refused in a live session (4401) need a person too.
      closed: link.closed.then((cause) => (cause instanceof LinkRefusedError ? new ConnectionError(refusedMessage(cause), true, { cause }) : cause)),
      close: () => link.close(),
    };
    return { session, live: { link } };
  }

  return defineConnector<Live>({
    platform: THREEC_NAME,
    capabilities: THREEC_CAPABILITIES,
    backoff: options.backoff,
    connect: (ctx) => connect(ctx),
    commands: {
      /** `sendText {destuser, message}` (document); the line shows once the link accepted it. */
      'chat.send': async (live, command, ctx) => {
        const model = picture(ctx);
        const destuser = model.destination(command.chatId);
        if (!destuser) throw new CommandError('That conversation is no longer on the desk.');
        if (command.text.trim() === '') throw new CommandError('Write a message first.');
        const reply = model.beginSend(destuser, command.text);
        let response;
        try {
          response = await live.link.command('sendText', { destuser, message: command.text });
        } catch (error) {
          model.sendFailed(reply);
          if (error instanceof LinkTimeoutError) throw new CommandError(`3C did not confirm the message to ${destuser} — it may not have arrived`);
          if (error instanceof LinkError) throw new CommandError(`The message to ${destuser} was not sent: the connection to 3C dropped — try again`);
          throw error;
        }
        if (response.status === 'failure') {
          model.sendFailed(reply);
          throw new CommandError(`3C did not send the message to ${destuser}${response.errorMessage ? `: ${response.errorMessage}` : ''}`);
        }
        for (const e of model.sent(reply, new Date().toISOString())) ctx.emit(e);
      },
      /** A conversation with a watched colleague, opened on the desk; 3C starts it with the first message. */
      'chat.start': async (_live, command, ctx) => {
        let events;
        try {
          events = picture(ctx).startChat(command.memberId);
        } catch {
          throw new CommandError(`${command.memberId} is not watched on this 3C account`);
        }
        for (const e of events) ctx.emit(e);
      },
    },
  });
}
