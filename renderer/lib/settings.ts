/**
 * The settings screen's model, without any component: the editable draft built from a
 * {@link SettingsView}, the {@link SettingsDocument} built back from it, and the save error turned
 * into per-field messages.
 *
 * Nothing here knows a platform: an account's fields come from the view's `vendors`.
 */
import { isLocale, type Locale } from '../../common/locales.js';
import { t } from './i18n.js';
import type { MessageKey } from '../../common/i18n.js';
import type { Json, SettingsAccount, SettingsDocument, SettingsField, SettingsView, Theme } from '../../preload/bridge.js';
import { SECRET_KEPT, THEMES } from '../../common/settings.js';

export type Vendor = SettingsView['vendors'][number];

/** One account being edited. */
export interface AccountDraft {
  /** Stable key for the form while ids are being edited. */
  uid: number;
  vendor: string;
  id: string;
  label: string;
  enabled: boolean;
  /** The vendor fields' values: a string for text, email, url and secret (the new secret), a list for choices. */
  values: Record<string, string | string[]>;
  /** Secret fields that hold a stored value, by key: the value to send back to keep it. */
  stored: Record<string, Json | undefined>;
  /** The account as loaded, so properties the form does not show are sent back unchanged. */
  original: Record<string, Json | undefined>;
}

/** The whole draft. */
export interface SettingsDraft {
  accounts: AccountDraft[];
  theme: Theme;
  /** The desk's language (`display.language`); '' follows the system's preferred languages. */
  language: Locale | '';
  toastCalls: boolean;
  toastChats: boolean;
  /** The ring sound while a call rings (`display.ring.sound`). */
  ringSound: boolean;
  /** The ring's output device id; '' for the system default (`display.ring.device`). */
  ringDevice: string;
  /** Ringing calls' toasts ask to get through the OS do-not-disturb (`display.toasts.callsThroughDnd`). */
  callsThroughDnd: boolean;
  /** Screen pops open by themselves (`display.screenPop: "auto"`), else only from the call. */
  screenPopAuto: boolean;
  /** Start the desktop app at login, in the tray (`display.startAtLogin`). */
  startAtLogin: boolean;
  /** Sent back as loaded (not edited here). */
  webHost: SettingsDocument['webHost'];
  /** The screen pop hosts, sent back as loaded (an administrator's list, not edited here). */
  screenPop: SettingsDocument['screenPop'];
  /** The automation API's settings, sent back as loaded but for `enabled` (the apps an administrator allowed are not edited here). */
  automation: SettingsDocument['automation'];
  /** Let apps on this computer use the automation API (`automation.enabled`). */
  automationEnabled: boolean;
}

let nextUid = 1;

/** Fields every account has, handled by the form itself rather than from the vendor's descriptors. */
const COMMON_KEYS = new Set(['id', 'vendor', 'label', 'enabled']);

export function vendorOf(vendors: readonly Vendor[], id: string): Vendor | undefined {
  return vendors.find((vendor) => vendor.id === id);
}

function isStoredSecret(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.length > 0;
}

function isKept(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kept?: unknown }).kept === true;
}

function fieldValue(field: SettingsField, raw: unknown): string | string[] {
  if (field.kind === 'secret') return '';
  if (field.kind === 'choices') {
    const list = Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
    return list;
  }
  // A list given as an array in a config file is shown as the comma-separated text it can be typed as.
  if (Array.isArray(raw)) return raw.filter((item) => typeof item === 'string' || typeof item === 'number').join(', ');
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
}

function accountDraft(account: Record<string, Json | undefined>, vendors: readonly Vendor[]): AccountDraft {
  const vendor = typeof account['vendor'] === 'string' ? account['vendor'] : '';
  const values: Record<string, string | string[]> = {};
  const stored: Record<string, Json | undefined> = {};
  for (const field of vendorOf(vendors, vendor)?.fields ?? []) {
    const raw = account[field.key];
    values[field.key] = fieldValue(field, raw);
    if (field.kind === 'secret' && isStoredSecret(raw)) stored[field.key] = isKept(raw) ? SECRET_KEPT : raw;
  }
  return {
    uid: nextUid++,
    vendor,
    id: typeof account['id'] === 'string' ? account['id'] : '',
    label: typeof account['label'] === 'string' ? account['label'] : '',
    enabled: account['enabled'] !== false,
    values,
    stored,
    original: account,
  };
}

/** The editable copy of a view's settings. */
export function draftOf(view: SettingsView): SettingsDraft {
  const { settings } = view;
  return {
    accounts: settings.accounts.map((account) => accountDraft(account, view.vendors)),
    theme: THEMES.includes(settings.display.theme) ? settings.display.theme : 'system',
    language: isLocale(settings.display.language) ? settings.display.language : '',
    toastCalls: settings.display.toasts.calls,
    toastChats: settings.display.toasts.chats,
    ringSound: settings.display.ring?.sound ?? true,
    ringDevice: settings.display.ring?.device ?? '',
    callsThroughDnd: settings.display.toasts.callsThroughDnd ?? true,
    screenPopAuto: settings.display.screenPop !== 'off',
    startAtLogin: settings.display.startAtLogin ?? false,
    webHost: settings.webHost,
    screenPop: settings.screenPop,
    automation: settings.automation,
    automationEnabled: settings.automation?.enabled ?? false,
  };
}

/** A new, empty account of `vendor`, with an id not used by `taken`. */
export function newAccount(vendor: Vendor, taken: readonly AccountDraft[]): AccountDraft {
  const base =
    vendor.id
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 36) || 'account';
  const used = new Set(taken.map((account) => account.id));
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return accountDraft({ id, vendor: vendor.id, enabled: true }, [vendor]);
}

/** The document to save. Empty text is sent as absent, so the main side's validation names what is missing. */
export function documentOf(draft: SettingsDraft, vendors: readonly Vendor[]): SettingsDocument {
  const accounts = draft.accounts.map((account) => {
    const fields = vendorOf(vendors, account.vendor)?.fields ?? [];
    const out: SettingsAccount = { id: account.id.trim(), vendor: account.vendor };
    const label = account.label.trim();
    if (label) out['label'] = label;
    out['enabled'] = account.enabled;
    // Properties the form does not edit (set in a config file, say) go back as they came.
    const edited = new Set(fields.map((field) => field.key));
    for (const [key, value] of Object.entries(account.original)) {
      if (!COMMON_KEYS.has(key) && !edited.has(key)) out[key] = value;
    }
    for (const field of fields) {
      const value = account.values[field.key];
      if (field.kind === 'choices') {
        const chosen = Array.isArray(value) ? (field.choices ?? []).filter((choice) => value.includes(choice)) : [];
        if (chosen.length || field.key in account.original) out[field.key] = chosen;
      } else if (field.kind === 'list') {
        const items = typeof value === 'string' ? value.split(/[,\n]/).map((item) => item.trim()).filter(Boolean) : [];
        if (items.length || field.key in account.original) out[field.key] = items;
      } else if (field.kind === 'secret') {
        const typed = typeof value === 'string' ? value : '';
        if (typed) out[field.key] = typed;
        else if (field.key in account.stored) out[field.key] = account.stored[field.key];
      } else {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text) out[field.key] = text;
      }
    }
    return out;
  });
  const document: SettingsDocument = {
    accounts,
    display: {
      theme: draft.theme,
      ...(draft.language ? { language: draft.language } : {}),
      toasts: { calls: draft.toastCalls, chats: draft.toastChats, callsThroughDnd: draft.callsThroughDnd },
      screenPop: draft.screenPopAuto ? 'auto' : 'off',
      startAtLogin: draft.startAtLogin,
      ring: draft.ringDevice ? { sound: draft.ringSound, device: draft.ringDevice } : { sound: draft.ringSound },
    },
  };
  if (draft.webHost) document.webHost = draft.webHost;
  if (draft.screenPop) document.screenPop = draft.screenPop;
  if (draft.automation) document.automation = { ...draft.automation, enabled: draft.automationEnabled };
  return document;
}

/** One problem of a rejected save. */
export interface SaveProblem {
  /** The line as the agent sees it (`accounts[0].user: Invalid email address`). */
  text: string;
  /** Where to show it besides the top list, when the path names a field. */
  target?: { account: number; key: string | undefined } | { display: string };
  message: string;
}

const PROBLEM_LINE = /^((?:[A-Za-z_$][\w$]*)(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*): (.+)$/;

/**
 * Splits a save error into its lead line (e.g. "settings are not valid:") and its problems, one per
 * `path: message` line. A message with no such line is all lead.
 */
export function parseSaveError(message: string): { lead: string[]; problems: SaveProblem[] } {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const lead: string[] = [];
  const problems: SaveProblem[] = [];
  for (const line of lines) {
    const match = PROBLEM_LINE.exec(line);
    if (!match) {
      lead.push(line);
      continue;
    }
    const path = match[1] ?? '';
    const text = match[2] ?? '';
    const problem: SaveProblem = { text: line, message: text };
    const account = /^accounts\[(\d+)\](?:\.([A-Za-z_$][\w$]*))?/.exec(path);
    if (account) problem.target = { account: Number(account[1]), key: account[2] };
    else if (path.startsWith('display.') || path === 'display') problem.target = { display: path.replace(/\[\d+\]/g, '') };
    problems.push(problem);
  }
  if (!problems.length && !lead.length) lead.push(t('settings.not-saved'));
  return { lead, problems };
}

const UNKNOWN_FIELD = /^unknown field\b/;

/**
 * Takes out of the drafts the account properties a problem calls unknown (a misspelt `pasword`,
 * say): the form cannot show them, and sending them back would make every save fail the same way.
 * Returns the problems, those messages saying the property is left out.
 */
export function dropUnknownFields(problems: readonly SaveProblem[], accounts: readonly AccountDraft[]): SaveProblem[] {
  return problems.map((problem) => {
    const target = problem.target;
    if (!target || !('account' in target) || !target.key || !UNKNOWN_FIELD.test(problem.message)) return problem;
    const account = accounts[target.account];
    if (!account || COMMON_KEYS.has(target.key) || !(target.key in account.original)) return problem;
    delete account.original[target.key];
    return { ...problem, message: `${problem.message} (left out when you save)` };
  });
}

/** Inline messages by place: `"<uid>"` (the account), `"<uid>.<key>"` (a field) or a `display.…` path. */
export type FieldErrors = Record<string, string[]>;

/** Files each problem under the account (by its draft `uid`, so it follows the account) or display field. */
export function fieldErrorsOf(problems: readonly SaveProblem[], accounts: readonly AccountDraft[]): FieldErrors {
  const errors: FieldErrors = {};
  const add = (place: string, message: string): void => {
    (errors[place] ??= []).push(message);
  };
  for (const problem of problems) {
    const target = problem.target;
    if (!target) continue;
    if ('display' in target) {
      add(target.display, problem.message);
      continue;
    }
    const account = accounts[target.account];
    if (!account) continue;
    add(target.key ? `${account.uid}.${target.key}` : `${account.uid}`, problem.message);
  }
  return errors;
}

/** What each field a policy can set is called on the settings screen (`main/policy.ts`, `POLICY_KEYS`), as message keys. */
const MANAGED_LABELS: Readonly<Record<string, MessageKey>> = {
  'display.logLevel': 'managed.display.logLevel',
  'display.theme': 'managed.display.theme',
  'display.toasts.calls': 'managed.display.toasts.calls',
  'display.toasts.chats': 'managed.display.toasts.chats',
  'display.toasts.callsThroughDnd': 'managed.display.toasts.callsThroughDnd',
  'display.screenPop': 'managed.display.screenPop',
  'display.startAtLogin': 'managed.display.startAtLogin',
  'screenPop.allowedHosts': 'managed.screenPop.allowedHosts',
  'automation.enabled': 'managed.automation.enabled',
  'automation.port': 'managed.automation.port',
  'automation.pairing': 'managed.automation.pairing',
  'webHost.port': 'managed.webHost.port',
  'updates.enabled': 'managed.updates.enabled',
  'updates.url': 'managed.updates.url',
  'updates.channel': 'managed.updates.channel',
  'updates.checkEveryHours': 'managed.updates.checkEveryHours',
  'crashReports.uploadUrl': 'managed.crashReports.uploadUrl',
};

/** The name the settings screen gives a field a policy sets, in the agent's language; the field's path when it has none. */
export function managedLabel(field: string): string {
  const key = MANAGED_LABELS[field];
  return key ? t(key) : field;
}
