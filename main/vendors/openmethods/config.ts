/**
 * The configuration of one OpenMethods account: a UCCX agent signing in through an OpenMethods
 * Harmony Integration Server (HIS) Interaction Processor service.
 *
 * Sources: the document (`vendor-docs/openmethods-interaction-processor.txt`, "prepareSession":
 * `model`, `agent: {id, password}`); VENDOR-NOTES.md, OpenMethods section (Socket Transport, TLS
 * optional [C]; the `tcp://` / `tls://` address form and the default call model are [I]).
 */
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { accountSchemaOf, secretField, type SecretsOf } from '../kit/platform.js';

/** The call model the connector asks for when the account names none [I]: the document only says `<name-of-call-model>`. */
export const DEFAULT_CALL_MODEL = 'uccx';

/**
 * An OpenMethods account in the config file.
 *
 * - `serverUrl`: the HIS Socket Transport, `tcp://host:port` (plain) or `tls://host:port` (TLS);
 *   the port is required (the integration server's listener has no well-known port).
 * - `agentId`: the UCCX agent id, sent as `agent.id` in `prepareSession` and as `agentId` to the
 *   team-status report (document).
 * - `password`: the agent's password (`agent.password`, document); a secret.
 * - `callModel`: the `model` of `prepareSession` (default {@link DEFAULT_CALL_MODEL}, [I]).
 * - `wrapUpRequired`: whether the agent must give a wrap-up reason before leaving wrap-up (default
 *   false); the reasons themselves come from the server (`session.getWrapUpReasons`, VENDOR-NOTES
 *   "Call work" [I]), so without any it asks for none.
 */
export const openmethodsShape = {
  serverUrl: z
    .url({ protocol: /^(tcp|tls)$/, error: 'must be tcp://host:port or tls://host:port' })
    .refine((value) => new URL(value).port !== '', 'must name the port, e.g. tls://his.example.com:7443'),
  agentId: z.string().trim().min(1, 'must be the UCCX agent id'),
  password: secretField(),
  callModel: z.string().trim().min(1).default(DEFAULT_CALL_MODEL),
  wrapUpRequired: z
    .boolean()
    .default(false)
    .describe('Whether the agent must choose a wrap-up reason before leaving wrap-up; the reasons come from UCCX (`session.getWrapUpReasons`), so it asks for one only where UCCX offers some.'),
};

export const openmethodsAccountSchema = accountSchemaOf('openmethods', openmethodsShape);

/** A parsed OpenMethods account (defaults applied). */
export type OpenMethodsAccount = z.infer<typeof openmethodsAccountSchema>;

/** The account's secrets resolved to their values, derived from the shape's `secretField()`s: `{ password }` (the agent's). */
export type OpenMethodsSecrets = SecretsOf<typeof openmethodsShape>;

/**
 * Connector tuning: the defaults suit production; tests shorten them. The platform module's
 * `createConnector` receives it as `options.tuning` (opaque outside this folder).
 */
export interface OpenMethodsTuning {
  /** Transport ping interval, ms (default 15 000, [I]); two pings without a pong end the connection. */
  pingIntervalMs?: number;
  /** How long each handshake step and DCP request may take, ms (default 10 000). */
  requestTimeoutMs?: number;
  /** Extra TLS options for `tls://` (a private CA in tests); the host name is always checked. */
  tls?: Pick<ConnectionOptions, 'ca' | 'rejectUnauthorized'>;
}
