/**
 * A platform module: everything the app knows about one contact-center platform, exported by
 * `main/vendors/<v>/index.ts` and listed once in the registry (`main/vendors/index.ts`). Config
 * parsing, the settings screen's fields, secret masking, secret resolution, log redaction, demo
 * mode, the desk's account seed, the README's platform table and `docs/configuration.md` all derive
 * from it; the conformance suite, the canary test and the bench join it to its folder's `testing.ts`
 * (`kit/testing.ts`) (ARCHITECTURE.md, principle 7): a new platform is its folder plus one line.
 */
import { z } from 'zod';
import type { Said } from '../../../common/model.js';
import type { Capabilities, Connector } from '../../desk/port.js';
import type { Logger } from '../../log.js';
import { accountBase, secretSchema } from './account.js';
import type { BackoffPolicy } from './supervisor.js';

/**
 * The options every connector factory takes. `Tuning` is the platform's own (its `config.ts`):
 * shorter heartbeats and timeouts in tests; outside the platform's folder it is `unknown`.
 */
export interface ConnectorOptions<Tuning = unknown> {
  /** Reconnect delays (tests use a fast one). */
  backoff?: BackoffPolicy;
  /** Platform-specific tuning (shorter heartbeats in tests); the defaults suit production. */
  tuning?: Tuning;
}

/** One field of the settings screen's account form: which account property, in words. */
export interface FormField<Key extends string = string> {
  key: Key;
  label: string;
  /** One line of help under the field. */
  help?: string;
  /**
   * More words about the field for `docs/configuration.md` (`npm run docs` writes them after the
   * help; the settings screen does not show them): what a config file may hold, where a value comes
   * from, its source when inferred.
   */
  doc?: string;
}

/** A raw account as a config file holds it (secrets inline here: simulators' and tests' own). */
export type RawAccount = Record<string, unknown> & { id: string; vendor: string };

/** Options of a platform's demo (its simulator plus a scripted day). */
export interface DemoOptions {
  log: Logger;
  /** Mean time between scripted calls, ms (default: about 30 000). */
  intervalMs?: number;
  /** Seed of the script's randomness (default: each script's own): the same seed plays the same day. */
  seed?: number;
  /** The simulator alone, its scripted day never playing (the bench's idle desk). */
  silent?: boolean;
}

/** A running platform demo: an account pointing at the platform's simulator on loopback. */
export interface PlatformDemo {
  /** The account to connect with, secrets inline (they are the simulator's own). */
  account: RawAccount;
  /** Clears every timer of the script and closes the simulator. */
  stop(): Promise<void>;
}

/** Options of a platform's supervisor scenario ({@link PlatformModule.startSupervisorDemo}). */
export interface SupervisorDemoOptions {
  log: Logger;
  /** Changes the platform sends the desk per second (team members' states, busy lamps), at the start. */
  eventsPerSec: number;
  /** Mean time between calls ringing for the supervisor, ms (default 20 000). */
  ringEveryMs?: number;
  /** Seed of the scenario's randomness (default: the scenario's own). */
  seed?: number;
}

/** A running supervisor scenario: a {@link PlatformDemo} whose pace can change. */
export interface SupervisorDemo extends PlatformDemo {
  /** The changes per second from now on (0 pauses them; calls for the supervisor keep ringing). */
  setRate(eventsPerSec: number): void;
  /** How many changes it has sent so far. */
  readonly sent: number;
  /** How many team members it shows the desk (a report's members, watched people with busy lamps). */
  readonly members: number;
  /**
   * The bench's marker (`test/bench/supervisor.ts`): the server sends, now, a change of one member
   * that the steady stream leaves alone and that the Team shows first (its first group's first
   * row), between ready and not ready in turn. Returns that member's platform id (the desk's
   * `TeamMember.id`) and the state the desk will show. Absent: the platform gives no marker.
   */
  mark?(): { memberId: string; state: 'ready' | 'not-ready' };
}

/** The schema {@link secretField} gives a field: a required or an optional secret. */
export type SecretFieldSchema = typeof secretSchema | z.ZodOptional<typeof secretSchema>;

/** The names of a shape's secret fields that a config must give. */
type RequiredSecretKeys<Shape> = { [K in keyof Shape & string]: Shape[K] extends typeof secretSchema ? K : never }[keyof Shape & string];
/** The names of a shape's optional secret fields. */
type OptionalSecretKeys<Shape> = { [K in keyof Shape & string]: Shape[K] extends z.ZodOptional<typeof secretSchema> ? K : never }[keyof Shape & string];

/**
 * An account's secrets resolved to their values, derived from the fields of its shape that
 * {@link secretField} marked: `{ password: string }` for `password: secretField()`, `{ token?:
 * string }` for `token: secretField('optional')`. What the registry hands a platform's
 * `createConnector` (a required secret is there: the account's schema saw to it).
 */
export type SecretsOf<Shape> = { [K in RequiredSecretKeys<Shape>]: string } & { [K in OptionalSecretKeys<Shape>]?: string };

/**
 * One platform. `Shape` is its account fields (beyond id, label, enabled, vendor); fields whose
 * schema is {@link secretField} are its secrets, marked once here, and its connector receives them
 * as {@link SecretsOf}. `Tuning` is what its connector takes as `options.tuning`.
 */
export interface PlatformModule<Shape extends z.ZodRawShape = z.ZodRawShape, Account = unknown, Id extends string = string, Tuning = unknown> {
  /** The `vendor` value of its accounts; lowercase. */
  id: Id;
  /** Display name, e.g. "Acme Contact Center"; an account's default label. */
  name: string;
  /** For the README's platform table: the transport, and what it brings to the desk. */
  transport: string;
  offers: string;
  /** The account schema, built by {@link accountSchemaOf} (strict: unknown fields are errors). */
  schema: z.ZodObject & z.ZodType<Account>;
  /** The account fields, as declared (for introspection: secrets, form kinds). */
  shape: Shape;
  /** The settings screen's account form, in order. */
  form: ReadonlyArray<FormField<Extract<keyof Shape, string>>>;
  capabilities: Capabilities;
  /**
   * One line the window shows on the account about what the platform leaves to another tool, as a
   * code with parameters (`accounts.notice.*`; the platform's own names, e.g. its client's, are
   * parameters): said in the agent's language, in English in the tray's log and the docs.
   */
  notice?: Said;
  /**
   * Builds the connector for a parsed account.
   * @param secrets the account's secret fields, resolved to their values (an optional one absent when not set).
   */
  createConnector: (account: Account, secrets: SecretsOf<Shape>, options: ConnectorOptions<Tuning>) => Connector;
  /**
   * Starts the platform's demo: its simulator on loopback and a scripted day. The module loads its
   * `demo.ts` (and with it the simulator) only here, by `import()`, so the app's main bundle holds
   * no simulator: the build puts them in chunks of their own (`test/unit/platform-layout.test.ts`).
   */
  startDemo(options: DemoOptions): Promise<PlatformDemo>;
  /**
   * Starts the platform's part of the supervisor's floor (`--demo supervisor`, the bench's
   * supervisor desk): its simulator with a large team or many watched busy lamps changing at a
   * steady rate, and now and then a call ringing for the supervisor. Absent: the platform offers
   * no supervisor view and sits out that scenario.
   */
  startSupervisorDemo?(options: SupervisorDemoOptions): Promise<SupervisorDemo>;
}

/** Marks an account field as a secret: masked for the window, encrypted at rest, redacted in logs. */
export function secretField(): typeof secretSchema;
export function secretField(optional: 'optional'): z.ZodOptional<typeof secretSchema>;
export function secretField(optional?: 'optional'): z.ZodType {
  return optional ? secretSchema.optional() : secretSchema;
}

/** Whether a field's schema is a secret (see {@link secretField}). */
export function isSecretSchema(schema: z.ZodType): boolean {
  return schema === secretSchema || (schema instanceof z.ZodOptional && schema.unwrap() === secretSchema);
}

/** The secret fields of a platform's accounts. */
export function secretFieldsOf(platform: Pick<PlatformModule, 'shape'>): string[] {
  return Object.entries(platform.shape)
    .filter(([, schema]) => isSecretSchema(schema as z.ZodType))
    .map(([key]) => key);
}

/**
 * A platform's account schema: the common fields, `vendor: id`, and the platform's own, strict.
 * @param refine checks across fields (e.g. "a secret key or a password"), with the field to blame.
 */
export function accountSchemaOf<const Id extends string, Shape extends z.ZodRawShape>(
  id: Id,
  shape: Shape,
  refine?: { check: (account: z.output<z.ZodObject<Shape>>) => boolean; message: string; path: string },
) {
  const schema = accountBase.extend({ vendor: z.literal(id), ...shape });
  return refine ? schema.refine((account) => refine.check(account as never), { message: refine.message, path: [refine.path] }) : schema;
}

/**
 * Checks a platform module's types where it is defined: ids, form keys against the shape, and its
 * connector factory against the shape's secrets (its tuning type is inferred from the factory).
 */
export function definePlatform<const Id extends string, Shape extends z.ZodRawShape, Account, Tuning>(
  module: PlatformModule<Shape, Account, Id, Tuning>,
): PlatformModule<Shape, Account, Id, Tuning> {
  return module;
}

/** The settings form kind of a field, from its schema. */
export function formKindOf(schema: z.ZodType): 'text' | 'email' | 'url' | 'secret' | 'choices' | 'list' {
  if (isSecretSchema(schema)) return 'secret';
  let inner: unknown = schema;
  for (let depth = 0; depth < 8; depth++) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap();
    else if (inner instanceof z.ZodPipe) inner = inner.in;
    else break;
  }
  if (inner instanceof z.ZodArray) return inner.element instanceof z.ZodEnum ? 'choices' : 'list';
  if (inner instanceof z.ZodEmail) return 'email';
  if (inner instanceof z.ZodURL) return 'url';
  return 'text';
}

/** The values a `choices` field offers (an array of an enum), else undefined. */
export function choicesOf(schema: z.ZodType): string[] | undefined {
  let inner: unknown = schema;
  for (let depth = 0; depth < 8; depth++) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap();
    else if (inner instanceof z.ZodPipe) inner = inner.in;
    else break;
  }
  if (inner instanceof z.ZodArray && inner.element instanceof z.ZodEnum) return inner.element.options.map(String);
  return undefined;
}

/** Whether a config must give the field (no default, not optional). */
export function isRequired(schema: z.ZodType): boolean {
  return !(schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) && !schema.safeParse(undefined).success;
}
