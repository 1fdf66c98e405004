/**
 * zod schemas of every answer the Huawei CEC connector reads. Tolerant where the wild is: codes and
 * ids arrive as numbers or as strings (VENDOR-NOTES [C]: `eventId`, `accessCode`, `causeId`; the
 * document types `accessCode` as Number while its own example sends `"xxxx"`), `resultDesc` may be
 * `null` (the API Fabric's own example), unknown fields are kept.
 *
 * Sources: the document (`getClickToCallEvents` response and its `content`); VENDOR-NOTES [C]
 * (`checkClickToCallSupport`, `createClickToCall`, `dropClickToCall`, `applyToken`,
 * `tokenByAkSk`, the `{errorCode, exceptionInfo}` error body).
 */
import { z } from 'zod';

/** A code or id sent as a number or a string; read as a trimmed string. */
export const codeSchema = z.union([z.string(), z.number()]).transform((value) => String(value).trim());

/** A boolean sent as a boolean or as `"true"`/`"false"` [I: tolerance]. */
const flagSchema = z.union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']).transform((v) => v.toLowerCase() === 'true')]);

/** Text that may be absent or `null`. */
const text = z.string().nullish();

/**
 * `createClickToCall` / `dropClickToCall` answer (VENDOR-NOTES [C]): `resultCode` "0" ok, "13"
 * connect failed / no agents available (create) or disconnect failed (drop).
 */
export const resultSchema = z.looseObject({
  resultCode: codeSchema,
  resultDesc: text,
});
export type ResultAnswer = z.infer<typeof resultSchema>;

/**
 * `checkClickToCallSupport` answer (VENDOR-NOTES [C]):
 * `{"resultCode":"0","resultDesc":"","webRTCSupported":true,"clickToCallSupported":true}`.
 */
export const supportSchema = z.looseObject({
  resultCode: codeSchema,
  resultDesc: text,
  webRTCSupported: flagSchema.nullish(),
  clickToCallSupported: flagSchema.nullish(),
});
export type SupportAnswer = z.infer<typeof supportSchema>;

/** `content` of a click-to-dial event (the document's table; VENDOR-NOTES [C]). */
export const eventContentSchema = z.looseObject({
  /** WebRTC gateway domain of the connection setup success event. */
  domain: text,
  /** WebRTC gateway addresses and ports of the connection setup success event. */
  gwAddresses: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
  /** Click-to-dial access code (the called party) of the connection setup success event. */
  accessCode: codeSchema.nullish(),
  /** Click-to-dial calling number of the connection setup success event. */
  clickToCallCaller: codeSchema.nullish(),
  /** CTI platform cause code of a failure. */
  causeId: codeSchema.nullish(),
  /** CTI platform cause description of a failure. */
  causeDesc: text,
});
export type EventContent = z.infer<typeof eventContentSchema>;

/**
 * `getClickToCallEvents` answer (the document): `resultCode` "0" = success; `resultDesc` says which
 * event ("Call in queue", "Call connected", …); `eventId` 168101 = connected; `content` as above.
 */
export const eventsSchema = z.looseObject({
  resultCode: codeSchema,
  resultDesc: text,
  eventId: codeSchema.nullish(),
  content: eventContentSchema.nullish(),
});
export type EventsAnswer = z.infer<typeof eventsSchema>;

/** `applyToken` answer (VENDOR-NOTES [C]): `{resultCode: "0", token}`. */
export const applyTokenSchema = z.looseObject({
  resultCode: codeSchema.optional(),
  resultDesc: text,
  token: z.string().min(1).nullish(),
});

/**
 * `tokenByAkSk` answer (VENDOR-NOTES [C]): `{AccessToken, ApplyType: "Bearer", CreateTime, Expires,
 * Scope, AppKey, UserID}`; `Expires` is the lifetime in seconds, as a string.
 */
export const tokenByAkSkSchema = z.looseObject({
  AccessToken: z.string().min(1),
  Expires: codeSchema.optional(),
});

/** An API Fabric error body (VENDOR-NOTES [C]): `{errorCode, exceptionInfo}`; read for the log only. */
export const fabricErrorSchema = z.looseObject({
  errorCode: codeSchema.optional(),
  exceptionInfo: z.string().optional(),
});
