/**
 * The session resource's commands on the simulator (VENDOR-NOTES.md, OpenMethods wire contract and
 * "Call work beyond answer and hang-up" [I]): `session.*`, `conversation.*` and
 * `interaction.setWrapUpReason`, each carried out on the agent's {@link ContactCenter} and answered
 * with a success body or a refusal. The server (`server.ts`) has already checked the binding and
 * that the target starts with the session id.
 */
import {
  changeStateSchema,
  destinationSchema,
  makeCallSchema,
  problemOf,
  sendDtmfSchema,
  setWrapUpReasonSchema,
} from '../schema.js';
import type { ContactCenter, SimRefusal } from './contact-center.js';
import { interactionBody } from './payloads.js';

/** How a command is answered: a success with `data`, or a refusal (`fail`). */
export type ResourceAnswer = (data: Record<string, unknown> | undefined, fail?: SimRefusal) => void;

/** What a session command needs besides the contact centre. */
export interface SessionCommandContext {
  /** Runs `run` after `ms` (cancelled when the simulator closes). */
  later(ms: number, run: () => void): void;
  /** How long a consulted colleague takes to answer, ms (`null`: only when a test says so). */
  consultAnswerMs: number | null;
}

const NO_CONVERSATION: SimRefusal = { code: 'target.invalid', message: 'No conversation' };

/**
 * Carries out one session resource command and answers it.
 * @param target `<session>[.<interaction>[.<conversation>]]` (its session part already checked).
 */
export function sessionCommand(center: ContactCenter, command: string, target: string, data: Record<string, unknown>, answer: ResourceAnswer, context: SessionCommandContext): void {
  const [, interactionId, conversationId] = target.split('.');
  const onConversation = (act: (conversationId: string) => SimRefusal | undefined): void => answer({}, conversationId ? act(conversationId) : NO_CONVERSATION);
  switch (command) {
    case 'session.getState':
      return answer({ ...center.stateBody(), interactions: [...center.interactions.values()].map(interactionBody) });
    case 'session.getReasonCodes':
      return answer({ notReady: center.reasons.notReady, logout: center.reasons.logout });
    case 'session.changeState': {
      const request = changeStateSchema.safeParse(data);
      if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
      const refused = center.changeState(request.data.state, request.data.reasonCode ?? undefined);
      return answer(refused ? undefined : {}, refused);
    }
    case 'session.makeCall': {
      const request = makeCallSchema.safeParse(data);
      if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
      return answer({ 'interaction-id': center.dial(request.data.destination) });
    }
    case 'conversation.answer':
      return onConversation((id) => center.answer(id));
    case 'conversation.release':
      return onConversation((id) => center.release(id));
    case 'conversation.hold':
      return onConversation((id) => center.hold(id));
    case 'conversation.retrieve':
      return onConversation((id) => center.retrieve(id));
    case 'conversation.consult':
    case 'conversation.singleStepTransfer':
      return toDestination(center, command, conversationId, data, answer, context);
    case 'conversation.transfer':
    case 'conversation.conference':
      return onConversation((id) => center.complete(id, command === 'conversation.transfer' ? 'transfer' : 'conference'));
    case 'conversation.sendDtmf': {
      const request = sendDtmfSchema.safeParse(data);
      if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
      return onConversation((id) => center.sendDtmf(id, request.data.digits));
    }
    case 'session.getWrapUpReasons':
      return answer({ wrapUp: center.wrapUpReasons.map((r) => ({ ...r })) });
    case 'interaction.setWrapUpReason': {
      const request = setWrapUpReasonSchema.safeParse(data);
      if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
      if (!interactionId) return answer(undefined, { code: 'target.invalid', message: 'No interaction' });
      return answer({}, center.setWrapUpReason(interactionId, request.data.reasonCode));
    }
    default:
      return answer(undefined, { code: 'command.unknown', message: `Unknown command ${command}` });
  }
}

/**
 * `conversation.consult` or `conversation.singleStepTransfer {destination}` on a conversation; a
 * consulted colleague answers after `consultAnswerMs`, unless the consultation was cancelled first.
 */
function toDestination(
  center: ContactCenter,
  command: 'conversation.consult' | 'conversation.singleStepTransfer',
  conversationId: string | undefined,
  data: Record<string, unknown>,
  answer: ResourceAnswer,
  context: SessionCommandContext,
): void {
  const request = destinationSchema.safeParse(data);
  if (!request.success) return answer(undefined, { code: 'request.invalid', message: problemOf(request.error) });
  if (!conversationId) return answer(undefined, NO_CONVERSATION);
  if (command === 'conversation.singleStepTransfer') return answer({}, center.singleStepTransfer(conversationId, request.data.destination));
  const refused = center.consultFrom(conversationId, request.data.destination);
  answer({}, refused);
  const consulting = refused ? undefined : center.legOf(conversationId)?.interaction;
  const legId = consulting?.consult?.id;
  if (consulting && legId && context.consultAnswerMs !== null) {
    context.later(context.consultAnswerMs, () => center.legOf(legId)?.role === 'consult' && center.farEndAnswers(consulting.id));
  }
}
