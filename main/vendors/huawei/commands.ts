/**
 * What the desk asks of CEC: `call.dial` → `createClickToCall` ("13" → "No agent available") and
 * `call.action` hang up → `dropClickToCall` (document; VENDOR-NOTES.md, Huawei). CEC holds one
 * click-to-dial call per channel session (create, poll and drop name no call), so the connector
 * places one at a time and names it itself [I]. A new command is one more entry in {@link cecCommands}.
 */
import { CommandError, ConnectionError, type ConnectorContext } from '../../desk/port.js';
import type { ConnectorSpec } from '../kit/connector.js';
import { CecAuthError } from './auth.js';
import { CecHttpError, CecNetworkError, CecUnreadableError } from './http.js';
import { placedPatch, USER_DATA } from './normalize.js';
import type { CecSession } from './session.js';
import { TIMED_OUT_REASON, type CecAccountState } from './state.js';

/** The agent's message when CEC has no agent for the call (`createClickToCall` resultCode "13"). */
export function noAgentMessage(resultDesc: string | null | undefined): string {
  const said = resultDesc?.trim();
  return said && !/\bno agents?\b.*\bavailable\b/i.test(said) ? `No agent available (CEC: ${said})` : 'No agent available';
}

/**
 * A command's failure in words for the agent: `what` and why. A fatal credentials failure also
 * ends the session (a person must act); an unreadable answer is logged.
 */
export function commandFailure(what: string, error: unknown, session: CecSession, ctx: ConnectorContext): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof CecAuthError) {
    if (error.fatal) session.end(new ConnectionError(error.message, true, { cause: error }));
    return new CommandError(`${what}: ${error.message}`);
  }
  if (error instanceof CecHttpError) {
    if (error.status === 403) return new CommandError(`${what}: CEC timed out the request (HTTP 403) — try again`);
    if (error.status >= 500) return new CommandError(`${what}: CEC is not answering properly (HTTP ${error.status}) — try again`);
    return new CommandError(`${what}: CEC refused the request (HTTP ${error.status})`);
  }
  if (error instanceof CecUnreadableError) {
    ctx.log.warn({ operation: error.operation, problem: error.problem, detail: error.message }, 'dropped a malformed answer from CEC (command)');
    return new CommandError(`${what}: CEC's answer could not be read — check the CEC client before trying again`);
  }
  if (error instanceof CecNetworkError) return new CommandError(`${what}: CEC could not be reached — try again`);
  return new CommandError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** The commands CEC carries out for the account `state`, each given the live session. */
export function cecCommands(state: CecAccountState): ConnectorSpec<CecSession>['commands'] {
  const { account, tuning } = state;
  return {
    /**
     * `createClickToCall` with the account's media. "0" → the call is on the desk (`dialing`, then
     * what the events say); "13" → "No agent available" (or CEC's words).
     */
    'call.dial': async (session, command, ctx) => {
      if (state.call) throw new CommandError('A CEC call is already in progress on this account — hang it up first');
      if (state.placing) throw new CommandError('A CEC call is being placed on this account — wait for it');
      if (session.support.clickToCall === false) throw new CommandError('Click-to-dial is not available on this CEC channel');
      if (account.callMedia === 'video' && session.support.webRTC === false) throw new CommandError('Video calls are not available on this CEC channel');
      state.placing = true;
      let answer;
      try {
        answer = await session.request(() => session.client.create(account.callMedia));
      } catch (error) {
        throw commandFailure('Could not place the call', error, session, ctx);
      } finally {
        state.placing = false;
      }
      if (answer.resultCode === '13') throw new CommandError(noAgentMessage(answer.resultDesc));
      if (answer.resultCode !== '0') {
        throw new CommandError(`CEC did not place the call (resultCode ${answer.resultCode}${answer.resultDesc ? `: ${answer.resultDesc}` : ''})`);
      }
      state.call = {
        id: tuning.newCallId(),
        number: command.number,
        media: account.callMedia,
        userData: { [USER_DATA.media]: account.callMedia === 'video' ? 'Video' : 'Voice' },
      };
      ctx.emit({ type: 'call', call: placedPatch(state.call) });
      session.follow();
    },
    /** Hang up → `dropClickToCall`; the call ends with CEC's release event (or after a grace period). */
    'call.action': async (session, command, ctx) => {
      if (command.action !== 'hangup') throw new CommandError(`CEC calls can only be hung up from here (not “${command.action}”)`);
      if (!state.call || state.call.id !== command.callId) throw new CommandError('That CEC call is no longer in progress');
      let answer;
      try {
        answer = await session.request(() => session.client.drop());
      } catch (error) {
        if (error instanceof CecHttpError && error.status === 403) {
          state.endCall(ctx, TIMED_OUT_REASON);
          return;
        }
        throw commandFailure('Could not hang up', error, session, ctx);
      }
      if (answer.resultCode !== '0') {
        throw new CommandError(`CEC could not hang up the call${answer.resultDesc ? ` (${answer.resultDesc})` : ''}`);
      }
      if (state.call) state.call.hangingUpSince = Date.now();
      session.follow();
    },
  };
}
