/**
 * What the core tells the agent about call work (issue 18), in one place: short plain sentences,
 * each a function of what it names. The window shows them as they come (the status line, the
 * call's card); the language layer (issue 19) turns them into codes with parameters.
 *
 * A platform's own words (a refusal's text) are never here: they travel as the platform sent them.
 */
import type { CallWorkAction } from '../../common/model.js';

export const CALL_WORK_MESSAGES = {
  callEnded: () => 'That call has ended.',
  notNow: (action: CallWorkAction) => `This call cannot ${CANNOT[action]} now.`,
  noConsultation: () => 'That call has no consultation in progress.',
  consultationRunning: () => 'A consultation is already in progress on this call.',
  badDestination: () => 'That is not a number that can be called.',
  badDigits: () => 'Only the keys 0–9, *, # and A–D can be sent, at most 32 at a time.',
  noWrapUp: () => 'There is no wrap-up to give a reason for.',
  noWrapUpCall: () => 'This wrap-up is not for a call the desk knows, so it takes no reason.',
  unknownReason: () => 'That is not one of the wrap-up reasons.',
  reasonRequired: () => 'Choose a wrap-up reason first.',
} as const;

/** What each call work action is in "This call cannot … now". */
const CANNOT: Readonly<Record<CallWorkAction, string>> = {
  consult: 'start a consultation',
  blindTransfer: 'be transferred',
  transfer: 'be transferred',
  conference: 'become a conference',
  cancelConsult: 'return to the caller',
  sendDtmf: 'take digits',
  setWrapUpReason: 'take a wrap-up reason',
};
