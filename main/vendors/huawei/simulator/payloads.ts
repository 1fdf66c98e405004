/**
 * What the CEC simulator says, in the shapes of the sources.
 *
 * - {@link DOCUMENT_CONNECTED_EXAMPLE}: the document's example response, verbatim (its `accessCode`
 *   is a string although its table says Number).
 * - the `resultDesc` strings of `getClickToCallEvents` (VENDOR-NOTES [C]);
 * - `createClickToCall` / `dropClickToCall` / `checkClickToCallSupport` answers (VENDOR-NOTES [C];
 *   Huawei's facade reference: `{"resultCode":"0","resultDesc":"connect successfully."}`);
 * - `tokenByAkSk` / `applyToken` answers and the API Fabric error body (VENDOR-NOTES [C]).
 */

/** The document's example response of `getClickToCallEvents`, verbatim (text, as on the wire). */
export const DOCUMENT_CONNECTED_EXAMPLE =
  '{"resultCode":"0","resultDesc":"Call connected","eventId":168101,"content":{"domain":"xxx","gwAddresses":["xxx"],"accessCode":"xxxx","clickToCallCaller":"xxx"}}';

/** `resultDesc` of each event kind with `resultCode` "0" (VENDOR-NOTES [C]). */
export const EVENT_WORDS = {
  queued: 'Call in queue',
  connected: 'Call connected',
  disconnected: 'Call disconnected',
  queueTimeout: 'Call queued timeout',
  failed: 'Call failed',
  unknown: 'Call continue to poll events with unknown events',
  none: 'ClickToCall polled without any events',
} as const;

/** The one documented event id: connected (the document). */
export const CONNECTED_EVENT_ID = 168101;

/** A `getClickToCallEvents` answer body. */
export type EventBody = {
  resultCode: string;
  resultDesc: string;
  eventId?: number | string;
  content?: Record<string, unknown>;
};

/** "ClickToCall polled without any events". */
export function noEvent(): EventBody {
  return { resultCode: '0', resultDesc: EVENT_WORDS.none };
}

/** "Call in queue". */
export function queuedEvent(): EventBody {
  return { resultCode: '0', resultDesc: EVENT_WORDS.queued };
}

/**
 * "Call connected" (168101) with the WebRTC gateway, the access code (the called party) and the
 * calling number. `asStrings` sends `eventId` and `accessCode` as strings (both occur, VENDOR-NOTES).
 */
export function connectedEvent(details: { accessCode: string; caller: string; domain: string; gateways: string[] }, asStrings: boolean): EventBody {
  return {
    resultCode: '0',
    resultDesc: EVENT_WORDS.connected,
    eventId: asStrings ? String(CONNECTED_EVENT_ID) : CONNECTED_EVENT_ID,
    content: {
      domain: details.domain,
      gwAddresses: details.gateways,
      accessCode: asStrings ? details.accessCode : Number(details.accessCode),
      clickToCallCaller: details.caller,
    },
  };
}

/** "Call disconnected". */
export function disconnectedEvent(): EventBody {
  return { resultCode: '0', resultDesc: EVENT_WORDS.disconnected };
}

/** "Call queued timeout" with the CTI cause. */
export function queueTimeoutEvent(cause: { causeId: number; causeDesc: string }): EventBody {
  return { resultCode: '0', resultDesc: EVENT_WORDS.queueTimeout, content: { causeId: cause.causeId, causeDesc: cause.causeDesc } };
}

/** "Call failed" with the CTI cause. */
export function failedEvent(cause: { causeId: number | string; causeDesc: string }): EventBody {
  return { resultCode: '0', resultDesc: EVENT_WORDS.failed, content: { causeId: cause.causeId, causeDesc: cause.causeDesc } };
}

/** A `createClickToCall` / `dropClickToCall` answer. */
export function result(resultCode: '0' | '13', resultDesc: string): { resultCode: string; resultDesc: string } {
  return { resultCode, resultDesc };
}

/** The API Fabric error body (VENDOR-NOTES [C]). */
export function fabricError(errorCode: string, exceptionInfo: string): { errorCode: string; exceptionInfo: string } {
  return { errorCode, exceptionInfo };
}
