/**
 * What the Genesys simulator sends, in the shapes of the vendor document and VENDOR-NOTES: the
 * contact center's resources (chat, call, device, channel states) and the notifications that carry
 * them over CometD. Pure functions of the simulator's state; no I/O.
 *
 * Sources: vendor-docs/genesys-wwe-api-v2-cometd-chats.txt, "CometD notifications" (both tables and
 * examples) [C]; VENDOR-NOTES.md, Genesys — "Messages", "Operations" [C]. Marked [I] where the
 * sources show no shape (REST list envelopes, chat states other than `Chatting`, error texts).
 */
import { randomBytes } from 'node:crypto';

/** The four notification topics GWS publishes for the agent (VENDOR-NOTES, "Sequence") [C]. */
export const TOPICS = {
  calls: '/v2/me/calls',
  chats: '/v2/me/chats',
  devices: '/v2/me/devices',
  channels: '/v2/me/channels',
} as const;

/** A chat participant: `{ nickname, type: Customer | Agent, participantId }` [C]. */
export interface SimParticipant {
  nickname: string;
  type: 'Customer' | 'Agent';
  participantId: string;
}

/** One transcript line (document, `MessageLogUpdated`); `timestampSeconds` is in ms, as there [C]. */
export interface SimMessage {
  index: number;
  from: SimParticipant;
  text?: string;
  visibility: string;
  /** `2014-01-09 11:58:12.035+0000`. */
  timestamp: string;
  type: string;
  timestampSeconds: number;
}

/** A chat on the simulated server. States `Invited` → `Chatting` → `Completed` (`Revoked` on Reject) [I: all but Chatting]. */
export interface SimChat {
  id: string;
  state: 'Invited' | 'Chatting' | 'Completed' | 'Revoked';
  participants: SimParticipant[];
  userData: Record<string, string>;
  messages: SimMessage[];
  /** The next message index; counts up from 1 per chat [I]. */
  nextIndex: number;
}

/** A call on the simulated server (VENDOR-NOTES, "Messages": states and call types) [C]. */
export interface SimCall {
  id: string;
  state: 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Released';
  callType: 'Inbound' | 'Outbound' | 'Consult';
  ani: string;
  dnis: string;
  userData: Record<string, string>;
  /**
   * On a consult call: the call it was initiated from (VENDOR-NOTES, "Call work": `parentConnId`;
   * the public Workspace API client's call model names it so) [C].
   */
  parentConnId?: string;
  /** A consult call's purpose, as initiated (`InitiateTransfer` or `InitiateConference`). */
  initiatedBy?: 'InitiateTransfer' | 'InitiateConference';
  /** Whether a consult call was initiated from this call and is not over. */
  consulting?: boolean;
  /** The call's parties once it is a conference: `{number, role}` (the public client's `CallParticipants`) [C]. */
  participants?: Array<{ number: string; role: string }>;
  /** Digits sent on the call with `SendDTMF`, in order. */
  dtmf: string;
}

/** The agent's state on the simulated server (GWS words). */
export interface GenesysAgentState {
  /** Logged in to the contact center (StartContactCenterSession received, not ended). */
  loggedIn: boolean;
  /** Per channel: `Ready` | `NotReady` | `AfterCallWork` [I: ACW as a state], plus reason. */
  channels: Record<string, { state: string; workMode?: string; reason?: string }>;
  doNotDisturb: boolean;
}

/** The agent's phone: its device id (for `Dial`) and number. */
export interface SimDevice {
  id: string;
  phoneNumber: string;
}

/** What a chat allows in each state, as `capabilities` words (document's list, `ChatStateChangeMessage`) [C]. */
export const CHAT_CAPABILITIES: Record<SimChat['state'], string[]> = {
  Invited: ['Accept', 'Reject'],
  Chatting: [
    'Transfer',
    'Leave',
    'Invite',
    'SetInFocus',
    'AttachUserData',
    'Complete',
    'SendMessage',
    'SendStartTypingNotification',
    'SendStopTypingNotification',
  ],
  Completed: [],
  Revoked: [],
};

/**
 * What a call allows now, as `capabilities` words: Answer, Hangup, Hold, Retrieve (VENDOR-NOTES,
 * "Messages") [C]; the call work operations (VENDOR-NOTES, "Call work beyond answer and hang-up":
 * the operation names [C], which of them a call offers in which state [I]). An established call
 * that is not consulting may be transferred (single step), consulted on, conferenced and sent
 * digits; an established consult call may complete its transfer or conference; a held call with a
 * consultation running waits for it.
 */
export function callCapabilities(call: SimCall): string[] {
  switch (call.state) {
    case 'Dialing':
      return ['Hangup'];
    case 'Ringing':
      return ['Answer'];
    case 'Established':
      if (call.callType === 'Consult') return ['Hangup', 'CompleteTransfer', 'CompleteConference', 'SendDTMF', 'AttachUserData'];
      if (call.participants && call.participants.length > 2) return ['Hangup', 'Hold', 'SendDTMF', 'AttachUserData'];
      return ['Hangup', 'Hold', 'AttachUserData', 'SendDTMF', 'SingleStepTransfer', 'InitiateTransfer', 'InitiateConference'];
    case 'Held':
      return call.consulting ? ['Retrieve'] : ['Hangup', 'Retrieve'];
    case 'Released':
      return ['AttachUserData'];
  }
}

/** The document's `ChatStateChangeMessage` example, `data` element (vendor document, "Example") [C]. */
export const DOCUMENT_CHAT_STATE_EXAMPLE = {
  notificationType: 'PropertiesUpdated',
  messageType: 'ChatStateChangeMessage',
  chat: {
    userData: { key1: 'value1', key2: 'value2' },
    state: 'Chatting',
    capabilities: [
      'Transfer',
      'Leave',
      'Invite',
      'Consult',
      'SetInFocus',
      'SetDisposition',
      'AttachUserData',
      'DeleteUserData',
      'UpdateUserData',
      'Complete',
      'SendMessage',
      'SendStartTypingNotification',
      'SendStopTypingNotification',
    ],
    uri: 'http://localhost:8080/api/v2/chats/0000Wa9CAM6W00J',
    participants: [
      { nickname: 'test_consult_clientL', type: 'Customer', participantId: '007352CE982D031B' },
      { nickname: 'TestName', type: 'Agent', participantId: '007352CE984F0321' },
    ],
    id: '0000Wa9CAM6W00J',
  },
  referenceId: 83,
} as const;

/** The document's `MessageLogUpdated` example, `data` element — both messages have `index: 3` [C]. */
export const DOCUMENT_MESSAGE_LOG_EXAMPLE = {
  notificationType: 'NewMessages',
  messageType: 'MessageLogUpdated',
  messages: [
    {
      index: 3,
      from: { nickname: 'TestName', type: 'Agent', participantId: '007352CE72D50290' },
      text: 'How may I help you?',
      visibility: 'All',
      timestamp: '2014-01-09 11:58:12.035+0200',
      type: 'Text',
      timestampSeconds: 1389261492035,
    },
    {
      index: 3,
      from: { nickname: 'TestName', type: 'Agent', participantId: '007352CE72D50290' },
      text: 'Are you still there?',
      visibility: 'All',
      timestamp: '2014-01-09 11:58:12.047+0200',
      type: 'Text',
      timestampSeconds: 1389261492047,
    },
  ],
  chatUri: 'http://localhost:8080/api/v2/chats/0000Wa9CAM6W00FN',
} as const;

/** `2014-01-09 11:58:12.035+0000` — the document's timestamp format, in UTC. @param ms epoch milliseconds. */
export function genesysTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}+0000`;
}

/** Upper-case hex, `bytes` random bytes long (participant ids look like this in the document). */
export function hexId(bytes = 8): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

/** `{baseUrl}/api/v2/chats/{id}` — a chat's `uri`, and a `MessageLogUpdated`'s `chatUri` [C]. */
export function chatUri(baseUrl: string, chatId: string): string {
  return `${baseUrl}/api/v2/chats/${chatId}`;
}

/** A chat resource: `{ id, state, capabilities, participants, userData, uri, chatType }` [C; chatType I]. */
export function chatResource(chat: SimChat, baseUrl: string): Record<string, unknown> {
  return {
    id: chat.id,
    state: chat.state,
    capabilities: CHAT_CAPABILITIES[chat.state],
    participants: chat.participants,
    userData: chat.userData,
    uri: chatUri(baseUrl, chat.id),
    chatType: 'Inbound',
  };
}

/**
 * A call resource: `{ id, state, callType, ani, dnis, participants, capabilities, userData, uri }`
 * [C], and `parentConnId` on a consult call [C: VENDOR-NOTES, "Call work"].
 */
export function callResource(call: SimCall, baseUrl: string): Record<string, unknown> {
  return {
    id: call.id,
    state: call.state,
    callType: call.callType,
    ani: call.ani,
    dnis: call.dnis,
    ...(call.parentConnId ? { parentConnId: call.parentConnId } : {}),
    participants: call.participants ?? [{ number: call.callType === 'Inbound' ? call.ani : call.dnis }],
    capabilities: callCapabilities(call),
    userData: call.userData,
    uri: `${baseUrl}/api/v2/me/calls/${call.id}`,
  };
}

/**
 * A channel's `userState`: `{ state: Ready | NotReady | LoggedOut [I], workMode?, reason?,
 * displayName? [I] }` [C]; after-call work is `NotReady` with `workMode: AfterCallWork`.
 */
export function userState(agent: GenesysAgentState, channel: string): Record<string, unknown> {
  const s = agent.channels[channel] ?? { state: 'NotReady' };
  if (!agent.loggedIn) return { state: 'LoggedOut' };
  if (s.state === 'AfterCallWork') return { state: 'NotReady', workMode: 'AfterCallWork', displayName: 'After Call Work' };
  return {
    state: s.state,
    ...(s.workMode ? { workMode: s.workMode } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    displayName: s.state === 'Ready' ? 'Ready' : s.reason ? `Not Ready - ${s.reason}` : 'Not Ready',
  };
}

/** The agent's phone as a device resource: `{ id, userState, doNotDisturb: On | Off, … }` [C]. */
export function deviceResource(agent: GenesysAgentState, device: SimDevice): Record<string, unknown> {
  return {
    id: device.id,
    deviceState: 'Active',
    userState: userState(agent, 'voice'),
    phoneNumber: device.phoneNumber,
    e164Number: `+1555000${device.phoneNumber}`,
    doNotDisturb: agent.doNotDisturb ? 'On' : 'Off',
    capabilities: ['Dial', 'DoNotDisturbOn', 'DoNotDisturbOff'],
  };
}

/** Every channel's state: `[{ channel, userState }]` [C]. */
export function channelResources(agent: GenesysAgentState): Array<Record<string, unknown>> {
  return Object.keys(agent.channels).map((channel) => ({ channel, userState: userState(agent, channel) }));
}

// ---- notifications (the `data` element of a message on a topic) ----------------------------------

/** `ChatStateChangeMessage` on `/v2/me/chats` (document) [C]; an `Error` one carries `errorMessage` [I]. */
export function chatStateChange(chat: SimChat, baseUrl: string, notificationType = 'StatusChange', errorMessage?: string): Record<string, unknown> {
  return {
    messageType: 'ChatStateChangeMessage',
    notificationType,
    chat: chatResource(chat, baseUrl),
    ...(errorMessage === undefined ? {} : { errorMessage }),
  };
}

/** `MessageLogUpdated` on `/v2/me/chats` (document): new lines and `chatUri`, no chat id [C]. */
export function messageLogUpdated(chat: SimChat, messages: SimMessage[], baseUrl: string): Record<string, unknown> {
  return { messageType: 'MessageLogUpdated', notificationType: 'NewMessages', messages, chatUri: chatUri(baseUrl, chat.id) };
}

/**
 * `CallStateChangeMessage` on `/v2/me/calls` [C]: `StatusChange`, or `ParticipantsUpdated`,
 * `AttachedDataChanged`, `DtmfSent` (the document's list of notification types) [C]; an `Error`
 * one carries `errorMessage` [I: as on chats].
 */
export function callStateChange(call: SimCall, baseUrl: string, notificationType = 'StatusChange', errorMessage?: string): Record<string, unknown> {
  return {
    messageType: 'CallStateChangeMessage',
    notificationType,
    call: callResource(call, baseUrl),
    ...(errorMessage === undefined ? {} : { errorMessage }),
  };
}

/** `DeviceStateChangeMessage` on `/v2/me/devices` [C]. */
export function deviceStateChange(agent: GenesysAgentState, device: SimDevice): Record<string, unknown> {
  return { messageType: 'DeviceStateChangeMessage', notificationType: 'StatusChange', devices: [deviceResource(agent, device)] };
}

/** `ChannelStateChangeMessageV2` on `/v2/me/channels` [C]. */
export function channelStateChange(agent: GenesysAgentState): Record<string, unknown> {
  return { messageType: 'ChannelStateChangeMessageV2', notificationType: 'StatusChange', channels: channelResources(agent) };
}
