/**
 * The desk as apps see it: the desk's entities turned into the API's shapes (`schemas.ts`), field by
 * field, so nothing the desk keeps for itself (or adds later) reaches an app by accident. Pure.
 */
import { CALL_ACTIONS, type Account, type Call, type CallAction, type Callback, type Chat, type ChatMessage, type DeskState, type PastCall, type Presence } from '../../common/model.js';
import { activeCalls, allChats } from '../../common/selectors.js';
import type { ApiAccount, ApiCall, ApiCallback, ApiChat, ApiChatMessage, ApiEndedCall, ApiSnapshot } from './schemas.js';

/** `base` with the members of `from` that are set (JSON leaves `undefined` out anyway; this keeps objects small). */
function defined<B extends object, O extends object>(base: B, from: O): B & { [K in keyof O]?: Exclude<O[K], undefined> } {
  for (const key in from) if (from[key] !== undefined) (base as Record<string, unknown>)[key] = from[key];
  return base as B & { [K in keyof O]?: Exclude<O[K], undefined> };
}

export function apiPresence(presence: Presence): NonNullable<ApiAccount['presence']> {
  return defined({ state: presence.state, label: presence.label }, { reason: presence.reason, since: presence.since });
}

export function apiAccount(account: Account): ApiAccount {
  return defined(
    {
      id: account.id,
      label: account.label,
      platform: account.vendor,
      demo: account.demo,
      connection: account.connection,
      can: {
        dial: account.canDial,
        controlCalls: account.callControl,
        setPresence: [...account.presenceOptions],
        presenceReasons: account.presenceReasons.map((r) => ({ code: r.code, label: r.label, state: r.state })),
      },
    },
    { reason: account.reason, presence: account.presence && apiPresence(account.presence) },
  );
}

export function apiCall(call: Call): ApiCall {
  return defined(
    {
      id: call.key,
      account: call.accountId,
      direction: call.direction,
      state: call.state,
      attachedData: { ...call.userData },
      // The call actions apps can ask for; call work (transfer, DTMF…) stays with the agent.
      actions: call.actions.filter((action): action is CallAction => (CALL_ACTIONS as readonly string[]).includes(action)),
      startedAt: call.startedAt,
    },
    {
      caller: call.caller,
      target: call.target,
      queue: call.queue && defined({}, { id: call.queue.id, name: call.queue.name }),
      connectedAt: call.connectedAt,
      placedBy: call.placedBy,
      unconfirmed: call.stale ? true : undefined,
    },
  );
}

/** Whole seconds between two ISO times (0 when either is missing or unreadable, never negative). */
function secondsBetween(from: string | undefined, to: string | undefined): number {
  const a = from ? Date.parse(from) : Number.NaN;
  const b = to ? Date.parse(to) : Number.NaN;
  return Number.isNaN(a) || Number.isNaN(b) ? 0 : Math.max(0, Math.round((b - a) / 1000));
}

export function apiEndedCall(call: PastCall): ApiEndedCall {
  const endedAt = call.endedAt ?? call.startedAt;
  const base = apiCall(call);
  return defined(
    {
      ...base,
      state: 'ended' as const,
      actions: [],
      endedAt,
      outcome: call.outcome,
      durations: {
        totalSec: secondsBetween(call.startedAt, endedAt),
        waitSec: secondsBetween(call.startedAt, call.connectedAt ?? endedAt),
        talkSec: call.connectedAt ? secondsBetween(call.connectedAt, endedAt) : 0,
      },
    },
    { endReason: call.endReason },
  );
}

export function apiMessage(message: ChatMessage): ApiChatMessage {
  return { id: message.id, from: { name: message.from.name, role: message.from.role }, text: message.text, at: message.at, kind: message.kind };
}

export function apiChat(chat: Chat): ApiChat {
  return defined(
    {
      id: chat.key,
      account: chat.accountId,
      state: chat.state,
      participants: chat.participants.map((p) => ({ name: p.name, role: p.role })),
      attachedData: { ...chat.userData },
      canSend: chat.actions.includes('send'),
      startedAt: chat.startedAt,
      messages: chat.messages.map(apiMessage),
    },
    { endedAt: chat.endedAt },
  );
}

export function apiCallback(callback: Callback): ApiCallback {
  return defined(
    {
      id: callback.key,
      account: callback.accountId,
      contactNumber: callback.contactNumber,
      createdAt: callback.createdAt,
      assignedToMe: callback.assignedToMe,
      attempts: callback.attempts,
    },
    { contactName: callback.contactName, message: callback.message, note: callback.note, dueAt: callback.dueAt, expiresAt: callback.expiresAt },
  );
}

/** The snapshot (`GET /desk`). @param lastEventId the id of the last event recorded before it. */
export function apiSnapshot(state: DeskState, lastEventId: string, at: string): ApiSnapshot {
  return {
    at,
    lastEventId,
    accounts: Object.values(state.accounts).map(apiAccount),
    calls: activeCalls(state).map(apiCall),
    chats: allChats(state).map(apiChat),
    callbacks: Object.values(state.callbacks).map(apiCallback),
  };
}
