/**
 * The registry: every platform the app speaks, listed once. Everything that differs by platform —
 * config parsing, the settings form, secret masking, resolution and redaction, demo mode, the desk's
 * account seed, the README's platform table and `docs/configuration.md`, the conformance suite and
 * the canary test — iterates this list. Adding a platform is its folder under `main/vendors/` plus one line here.
 */
import { CALL_WORK_ACTIONS, type CallWorkAction } from '../../common/model.js';
import type { AccountSeed } from '../desk/store.js';
import { english } from '../i18n.js';
import type { Connector } from '../desk/port.js';
import { enreach } from './enreach/index.js';
import { genesys } from './genesys/index.js';
import { huawei } from './huawei/index.js';
import { openmethods } from './openmethods/index.js';
import { threec } from './threec/index.js';
import type { SecretRef } from './kit/account.js';
import { secretFieldsOf, type ConnectorOptions, type PlatformModule } from './kit/platform.js';

/** Every platform, in the order menus and tables list them. */
export const PLATFORMS = [enreach, genesys, openmethods, threec, huawei] as const;

/** A registered platform's id: what an account's `vendor` holds. */
export type VendorId = (typeof PLATFORMS)[number]['id'];

/** Any registered platform, with its types erased (code that works for every platform alike). */
export type AnyPlatform = PlatformModule<Record<string, never>, Record<string, unknown>, string>;

/** The registered platforms, typed for code that iterates them. */
export function platforms(): readonly AnyPlatform[] {
  return PLATFORMS as unknown as readonly AnyPlatform[];
}

/** The platform of a vendor id, or undefined when none is registered. */
export function platformOf(vendor: string): AnyPlatform | undefined {
  return platforms().find((p) => p.id === vendor);
}

/** The secret fields of a vendor's accounts (none for an unknown vendor). */
export function secretFields(vendor: string): string[] {
  const platform = platformOf(vendor);
  return platform ? secretFieldsOf(platform) : [];
}

/** Every secret field name of every platform (log redaction). */
export function allSecretFields(): string[] {
  return [...new Set(platforms().flatMap((p) => secretFieldsOf(p)))];
}

/** An account config of some registered platform, after its schema parsed it. */
export type ParsedAccount = { id: string; label?: string; enabled: boolean; vendor: string; screenPop?: { url: string; on: 'ringing' | 'answered' } } & Record<string, unknown>;

/**
 * Builds the connector for a parsed account: each of its platform's secret fields is resolved by
 * `secret`, which is told the field's name (absent fields stay absent).
 * @throws {Error} from `secret` when a secret cannot be resolved (the caller marks that account
 *   failed), or when no platform is registered for the account's vendor.
 */
export function createConnector(account: ParsedAccount, secret: (ref: SecretRef, field: string) => string, options: ConnectorOptions = {}): Connector {
  const platform = platformOf(account.vendor);
  if (!platform) throw new Error(`no platform "${account.vendor}" is registered`);
  const secrets: Record<string, string> = {};
  for (const field of secretFieldsOf(platform)) {
    const ref = account[field] as SecretRef | undefined;
    if (ref !== undefined) secrets[field] = secret(ref, field);
  }
  return platform.createConnector(account, secrets, options);
}

/** What the desk shows of an account before it connects: from its platform's name and capabilities. */
export function accountSeed(account: ParsedAccount, demo: boolean): AccountSeed {
  const platform = platformOf(account.vendor);
  return {
    id: account.id,
    vendor: account.vendor,
    label: account.label ?? platform?.name ?? account.vendor,
    demo,
    presenceOptions: [...(platform?.capabilities.presence ?? [])],
    canDial: platform?.capabilities.dial ?? false,
    callControl: platform?.capabilities.callControl ?? false,
    callJourneys: platform?.capabilities.callJourneys ?? false,
    callWork: [...(platform?.capabilities.callWork ?? [])],
    ...(platform?.notice ? { notice: english.t(platform.notice.key, platform.notice.values), noticeSaid: platform.notice } : {}),
  };
}

/** Call work in the words the docs use for it, in the order the window offers it. */
const CALL_WORK_WORDS: Record<CallWorkAction, string> = {
  consult: 'consult',
  blindTransfer: 'blind transfer',
  transfer: 'complete transfer',
  conference: 'conference',
  cancelConsult: 'cancel consult',
  sendDtmf: 'keypad (DTMF)',
  setWrapUpReason: 'wrap-up reasons',
};

/**
 * The call work each platform offers (its capabilities' `callWork`), one row a platform, for
 * `docs/using.md` (a test keeps it in step with the registry): ✓ offered, — not (the window then
 * says to transfer in the platform's own app). A connector may narrow it at run time (a server's
 * capabilities, an account without wrap-up reasons).
 */
export function callWorkTable(): string {
  return [
    `| platform | ${CALL_WORK_ACTIONS.map((a) => CALL_WORK_WORDS[a]).join(' | ')} |`,
    `|---|${CALL_WORK_ACTIONS.map(() => ':-:').join('|')}|`,
    ...platforms().map((p) => `| ${p.name} | ${CALL_WORK_ACTIONS.map((a) => (p.capabilities.callWork?.includes(a) ? '✓' : '—')).join(' | ')} |`),
  ].join('\n');
}

/** The README's platform table (a test keeps the README in step with the registry). */
export function platformTable(): string {
  return [
    '| platform | transport | on the desk |',
    '|---|---|---|',
    ...platforms().map((p) => `| ${p.name} | ${p.transport} | ${p.offers} |`),
  ].join('\n');
}
