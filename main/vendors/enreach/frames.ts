/**
 * Screening of what the RTE hub sends, before the SignalR client reads it.
 *
 * The JSON hub protocol (public SignalR hub protocol; document, "Establishing a connection") sends
 * text WebSocket messages holding one or more records, each a JSON object ending with the record
 * separator `\x1e`. The `@microsoft/signalr` client closes the whole connection when one record is
 * not JSON, is not a hub message, or when a message does not end with `\x1e`; and it reads any size
 * (the `ws` default limit is 100 MiB). So each record is checked here first: the bad and the
 * oversized ones are dropped (the caller logs them), the good ones are passed on, and the session
 * lives on (ARCHITECTURE.md, principle 3).
 *
 * Limits [I]: the document states no message size; the largest documented payloads (CallbackChanged
 * with its attempts, extras and related items) are a few KiB, so 1 MiB leaves ample room.
 */

/** The record separator of the JSON hub protocol. */
export const RECORD_SEPARATOR = '\x1e';

/** The default largest record the connector reads: 1 MiB of UTF-8. */
export const RTE_MAX_MESSAGE_BYTES = 1024 * 1024;

/** Why a record was dropped. */
export type DropReason = 'oversized' | 'not JSON' | 'not a hub message' | 'incomplete';

/** One dropped record: why, and its size in bytes of UTF-8. */
export interface DroppedRecord {
  reason: DropReason;
  bytes: number;
}

/** What {@link screenHubText} keeps and drops of one WebSocket text message. */
export interface Screened {
  /** The records to pass on, each still ending with `\x1e`; `''` when none is left. */
  kept: string;
  dropped: DroppedRecord[];
}

/** {@link Screened}, with the records passed on as parsed by the screen. */
export interface ScreenedMessages extends Screened {
  /** The records passed on, as parsed here (the handshake answer excepted), in order. */
  messages: unknown[];
}

/**
 * The UTF-8 size of `text`, computed only when it could exceed `limit` (a string of n UTF-16 units
 * holds at most 3n bytes).
 */
function bytesOver(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > limit ? bytes : undefined;
}

/**
 * Whether a parsed record is not a hub message the client accepts. Mirrors
 * `JsonHubProtocol.parseMessages` of `@microsoft/signalr` (which throws, closing the connection):
 * `type` a number; invocations (1) a non-empty `target`; stream items (2) and completions (3) a
 * non-empty `invocationId`; a completion not both `result` and `error`, `error` a non-empty string;
 * acks and sequences (8, 9) a numeric `sequenceId`.
 */
function isBadHubMessage(message: unknown): boolean {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return true;
  const m = message as Record<string, unknown>;
  if (typeof m.type !== 'number') return true;
  switch (m.type) {
    case 1:
      return !text(m.target) || (m.invocationId !== undefined && !text(m.invocationId));
    case 2:
      return !text(m.invocationId) || m.item === undefined;
    case 3:
      if (m.result && m.error) return true;
      if (!m.result && m.error && !text(m.error)) return true;
      return !text(m.invocationId);
    case 8:
    case 9:
      return typeof m.sequenceId !== 'number';
    default:
      return false;
  }
}

/** Whether `value` is a non-empty string (no closure made per message for it). */
function text(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/**
 * Screens one text message from the hub.
 * @param text the WebSocket message as received.
 * @param maxBytes the largest record kept, bytes of UTF-8.
 * @param handshake true for the first message of a connection: its first record is the handshake
 *   answer (`{}` or `{"error": …}`), passed on unchecked for the client to judge.
 * @returns the records to pass on and the dropped ones; never throws.
 */
export function screenHubText(text: string, maxBytes: number, handshake = false): Screened {
  const { kept, dropped } = screenHubMessages(text, maxBytes, handshake);
  return { kept, dropped };
}

/** {@link screenHubText}, and what it parsed of the records it passes on (for the client to use). */
export function screenHubMessages(text: string, maxBytes: number, handshake = false): ScreenedMessages {
  const dropped: DroppedRecord[] = [];
  const messages: unknown[] = [];
  // The kept records' text is made only once a record is dropped: until then it is the message's
  // own text up to `start` (the common case: every record kept, and the message passed on as it came).
  let kept: string | undefined;
  let start = 0;
  let first = handshake;
  while (start < text.length) {
    const recordStart = start;
    const end = text.indexOf(RECORD_SEPARATOR, start);
    if (end < 0) {
      // A message must end with a separator; the tail is a record cut short.
      const tail = text.slice(start);
      kept ??= text.slice(0, recordStart);
      dropped.push({ reason: 'incomplete', bytes: Buffer.byteLength(tail, 'utf8') });
      break;
    }
    const record = text.slice(start, end);
    start = end + 1;
    if (first) {
      first = false;
      if (kept !== undefined) kept += record + RECORD_SEPARATOR;
      continue;
    }
    let reason: DropReason | undefined;
    let bytes = bytesOver(record, maxBytes);
    let parsed: unknown;
    if (bytes !== undefined) reason = 'oversized';
    else {
      try {
        parsed = JSON.parse(record);
        if (isBadHubMessage(parsed)) reason = 'not a hub message';
      } catch {
        reason = 'not JSON';
      }
      if (reason !== undefined) bytes = Buffer.byteLength(record, 'utf8');
    }
    if (reason !== undefined) {
      kept ??= text.slice(0, recordStart);
      dropped.push({ reason, bytes: bytes! });
      continue;
    }
    if (kept !== undefined) kept += record + RECORD_SEPARATOR;
    messages.push(parsed);
  }
  return { kept: kept ?? text, messages, dropped };
}
