/**
 * What the desk asks of Enreach: `presence.set` and `callback.close`, each over REST [I]
 * (VENDOR-NOTES.md, Enreach; rest.ts); the change comes back as an RTE event. A refusal or an
 * unreachable server becomes a {@link CommandError} written for the agent. A new command is one more
 * entry in {@link enreachCommands}.
 */
import { CommandError } from '../../desk/port.js';
import type { ConnectorSpec } from '../kit/connector.js';
import { ENREACH_NAME } from './capabilities.js';
import { availabilityFor } from './normalize.js';
import { EnreachHttpError } from './rest.js';
import type { EnreachAccountState, Live } from './session.js';

/** A command's failure in words for the agent: `what` and why (a {@link CommandError} passes through). */
export function commandFailure(state: EnreachAccountState, what: string, error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof EnreachHttpError) {
    if (error.status === 401) return new CommandError(`${what}: ${state.rejected()}`);
    if (error.status === 403) return new CommandError(`${what}: Enreach does not allow this for ${state.user}`);
    if (error.status === 404) return new CommandError(`${what}: Enreach does not know it (HTTP 404)`);
    return new CommandError(`${what}: Enreach answered HTTP ${error.status}`);
  }
  return new CommandError(`${what}: Enreach could not be reached — try again`);
}

/** The commands Enreach carries out for the account `state`, each given the live session. */
export function enreachCommands(state: EnreachAccountState): ConnectorSpec<Live>['commands'] {
  return {
    /** Sets the availability over REST [I]; the change comes back as a UserAvailability event. */
    'presence.set': async (live, command) => {
      const availability = availabilityFor(command.state);
      if (!availability) throw new CommandError(`Wrap-up cannot be chosen on ${ENREACH_NAME}: it starts by itself after a call`);
      try {
        await live.rest.setAvailability(live.userId, availability);
      } catch (error) {
        throw commandFailure(state, 'Could not change the availability', error);
      }
    },
    /** Closes a callback request over REST [I]; the change comes back as a CallbackChanged event. */
    'callback.close': async (live, command) => {
      try {
        await live.rest.closeCallback(command.callbackId);
      } catch (error) {
        throw commandFailure(state, 'Could not close the callback', error);
      }
    },
  };
}
