/**
 * The tray menu as data, pure: `DeskState → TrayModel`. The Electron shell turns it into a native
 * menu one-to-one and routes clicks back by item `id`; the web host has no tray.
 *
 * Layout: the headline (the agent's presence and what they are doing: "Ready · On a call 03:12"),
 * for each connected or held call Hang up and Hold or Retrieve (issue 18: the agent's most urgent
 * actions without opening the window), a status line per account (label, connection, presence), the presence radio items for every account
 * (the agent's shared presence checked; items no account accepts left out), where more than one
 * account takes presence from the agent a submenu per account to set its own, Show, Quit.
 *
 * Every word is in the agent's language (the translator handed in, issue 19; English by default, as
 * the tests and logs say it); the platform's words (account labels, reason labels, notices) as sent.
 */
import { activityTextIn, presenceWordsIn, type Translator } from '../../common/i18n.js';
import { CALL_ACTIONS, PRESENCE_LABELS, type Account, type CallAction, type DeskState, type PresenceReason, type PresenceState } from '../../common/model.js';
import { activeCalls, agentActivity, agentPresence, farEnd, presenceReasons, presenceText, selectablePresences, type PresenceWords } from '../../common/selectors.js';
import { english } from '../i18n.js';

/**
 * One menu entry. `id` comes back on click: `presence:<state>`, `presence:<state>:<reason code>`,
 * `account-presence:<account>:<state>[:<reason code>]`, `show`, `quit`, `retry:<account>`, `history` (the missed calls line: shows the window),
 * `call:<hangup|hold|retrieve>:<call key>`,
 * `diagnostics` ("Save diagnostics…": the window shows the files it would save).
 */
export type TrayItem =
  | { kind: 'label'; text: string }
  | { kind: 'radio'; id: string; text: string; checked: boolean; enabled: boolean }
  | { kind: 'action'; id: string; text: string }
  | { kind: 'submenu'; text: string; checked: boolean; enabled: boolean; items: TrayItem[] }
  | { kind: 'separator' };

/** Which tray icon to show: the agent's presence, or a state that needs a look. */
export type TrayIcon = PresenceState | 'mixed' | 'ringing' | 'trouble' | 'unknown';

export interface TrayModel {
  /** The icon now: `ringing` while a call rings, else {@link TrayModel.restingIcon}. */
  icon: TrayIcon;
  /** The icon without the ring: the presence, or `trouble`. The shell alternates it with `ringing` while {@link TrayModel.ringing} (issue 11). */
  restingIcon: TrayIcon;
  /** A call rings (one its platform still confirms): the tray icon flashes and the window asks for attention. */
  ringing: boolean;
  /** A chat invitation waits: quieter — the window asks for attention, the tray icon does not flash. */
  invited: boolean;
  /** Hover text, one line. */
  tooltip: string;
  items: TrayItem[];
}

function accountLine(account: Account, tr: Translator, words: PresenceWords): string {
  const status = account.connection === 'connected' ? presenceText(account.presence, words) : tr.t('tray.connection', { connection: account.connection });
  return tr.t('tray.account', { account: account.label, demo: account.demo ? 'yes' : 'no', status });
}

/**
 * Presence radios for `states`, each with its reasons in a submenu where there are any (the
 * reasons, then the state without one). `idOf` builds an item's click id.
 */
function presenceItems(
  states: readonly PresenceState[],
  reasonsOf: (state: PresenceState) => PresenceReason[],
  isChecked: (state: PresenceState, reasonLabel?: string) => boolean,
  enabledFor: (state: PresenceState) => boolean,
  idOf: (state: PresenceState, code?: string) => string,
  words: PresenceWords,
  tr: Translator,
): TrayItem[] {
  return states.map((option): TrayItem => {
    const enabled = enabledFor(option);
    const radio: TrayItem = { kind: 'radio', id: idOf(option), text: words.state(option), checked: isChecked(option), enabled };
    const reasons = reasonsOf(option);
    if (reasons.length === 0) return radio;
    return {
      kind: 'submenu',
      text: words.state(option),
      checked: isChecked(option),
      enabled,
      items: [
        ...reasons.map((r): TrayItem => ({ kind: 'radio', id: idOf(option, r.code), text: r.label, checked: isChecked(option, r.label), enabled })),
        { kind: 'separator' },
        { ...radio, text: tr.t('tray.no-reason', { state: words.state(option) }), checked: false },
      ],
    };
  });
}

/**
 * The agent's presence in words: the shared one ("Ready"), or, when the accounts differ, each
 * account's ("Voice: Ready, Chat: Not ready") — never "Mixed".
 */
function presenceHeadline(state: DeskState, tr: Translator, words: PresenceWords): string {
  const presence = agentPresence(state);
  if (presence === undefined) return words.unknown;
  if (presence !== 'mixed') return words.state(presence);
  const each = Object.values(state.accounts)
    .filter((a) => a.connection === 'connected' && a.presence)
    .map((a) => tr.t('tray.account.state', { account: a.label, state: words.state(a.presence!.state) }));
  return tr.list(each, 'unit');
}

/**
 * Builds the tray model for a state.
 * @param nowMs the present, epoch ms, for the activity's time ("On a call 03:12"); the host
 *   rebuilds the model every second while it counts.
 * @param tr the agent's language (`AgentLanguage` in `main/i18n.ts`); English by default.
 */
export function trayModel(state: DeskState, nowMs: number = Date.now(), tr: Translator = english): TrayModel {
  const words = presenceWordsIn(tr);
  const accounts = Object.values(state.accounts);
  const presence = agentPresence(state);
  const ringing = activeCalls(state).filter((c) => c.state === 'ringing' && !c.stale).length;
  const trouble = accounts.filter((a) => a.connection === 'failed' || a.connection === 'reconnecting');
  const activity = agentActivity(state);
  const headline = [presenceHeadline(state, tr, words), activity ? activityTextIn(tr, activity, nowMs) : undefined].filter(Boolean).join(' · ');

  const items: TrayItem[] = accounts.length ? [{ kind: 'label', text: headline }, { kind: 'separator' }] : [];
  const callItems = trayCallItems(state, tr);
  if (callItems.length) items.push(...callItems, { kind: 'separator' });
  items.push(
    ...(accounts.length
      ? accounts.flatMap((a): TrayItem[] => [{ kind: 'label', text: accountLine(a, tr, words) }, ...(a.notice ? [{ kind: 'label' as const, text: `    ${a.noticeSaid ? tr.t(a.noticeSaid.key, a.noticeSaid.values) : a.notice}` }] : [])])
      : [{ kind: 'label' as const, text: tr.t('tray.no-accounts') }]),
  );
  for (const account of accounts.filter((a) => a.connection === 'failed')) {
    items.push({ kind: 'action', id: `retry:${account.id}`, text: tr.t('tray.reconnect', { account: account.label }) });
  }
  items.push({ kind: 'separator' });
  const current = (option: PresenceState): string | undefined => accounts.find((a) => a.presence?.state === option)?.presence?.reason;
  items.push(
    ...presenceItems(
      selectablePresences(state),
      (option) => presenceReasons(state, option),
      (option, reason) => presence === option && (reason === undefined || current(option) === reason),
      (option) => accounts.some((a) => a.connection === 'connected' && a.presenceOptions.includes(option)),
      (option, code) => (code === undefined ? `presence:${option}` : `presence:${option}:${code}`),
      words,
      tr,
    ),
  );
  // Each account's own presence, where more than one account takes it from the agent.
  const settable = accounts.filter((a) => a.connection === 'connected' && a.presenceOptions.length > 0);
  if (settable.length > 1) {
    items.push({ kind: 'separator' });
    for (const account of settable) {
      const own = account.presence;
      items.push({
        kind: 'submenu',
        text: tr.t('tray.account.state', { account: account.label, state: own?.reason?.trim() ? `${words.state(own.state)} · ${own.reason.trim()}` : presenceText(own, words) }),
        checked: false,
        enabled: true,
        items: presenceItems(
          account.presenceOptions,
          (option) => account.presenceReasons.filter((r) => r.state === option),
          (option, reason) => own?.state === option && (reason === undefined || own.reason === reason),
          () => true,
          (option, code) => `account-presence:${account.id}:${option}${code === undefined ? '' : `:${code}`}`,
          words,
          tr,
        ),
      });
    }
  }
  const missed = missedCallsText(state.missedUnseen, tr);
  items.push({ kind: 'separator' });
  if (missed) items.push({ kind: 'action', id: 'history', text: missed });
  items.push({ kind: 'action', id: 'show', text: tr.t('tray.show') }, { kind: 'action', id: 'diagnostics', text: tr.t('diagnostics.open') }, { kind: 'action', id: 'quit', text: tr.t('tray.quit') });

  const restingIcon: TrayIcon = trouble.length > 0 ? 'trouble' : (presence ?? 'unknown');
  const icon: TrayIcon = ringing > 0 ? 'ringing' : restingIcon;
  let invited = false;
  for (const key in state.chats) if (state.chats[key]!.state === 'invited') invited = true;
  // The headline first (what the agent looks for), the app's name last.
  const parts = [
    headline || undefined,
    ringing && activity?.kind !== 'ringing' ? tr.t('tray.tooltip.ringing', { count: ringing }) : undefined,
    missed,
    trouble.length ? tr.t('tray.tooltip.trouble', { count: trouble.length }) : undefined,
    tr.t('tray.tooltip.app', { demo: state.demo ? 'yes' : 'no' }),
  ];
  return { icon, restingIcon, ringing: ringing > 0, invited, tooltip: parts.filter(Boolean).join(' — '), items };
}

/**
 * Hang up and Hold or Retrieve for each connected or held call the platform confirms, as far as
 * the call allows them now: "Hang up +358401234567", "Hold +358401234567".
 */
function trayCallItems(state: DeskState, tr: Translator): TrayItem[] {
  const items: TrayItem[] = [];
  for (const call of activeCalls(state)) {
    if (call.stale || (call.state !== 'connected' && call.state !== 'held')) continue;
    const party = farEnd(call);
    for (const action of ['hangup', 'hold', 'retrieve'] as const) {
      const text = party === undefined ? tr.t('tray.call.any', { action }) : tr.t('tray.call', { action, party });
      if (call.actions.includes(action)) items.push({ kind: 'action', id: `call:${action}:${call.key}`, text });
    }
  }
  return items;
}

/** "2 missed calls" for the missed calls the agent has not seen, in `tr`'s language (English by default); undefined for none. */
export function missedCallsText(unseen: number, tr: Translator = english): string | undefined {
  return unseen > 0 ? tr.t('calls.missed', { count: unseen }) : undefined;
}

/** Parses a clicked item id back into what it means. */
export function trayAction(
  id: string,
):
  | { kind: 'presence'; state: PresenceState; reason?: string }
  | { kind: 'account-presence'; accountId: string; state: PresenceState; reason?: string }
  | { kind: 'retry'; accountId: string }
  | { kind: 'call'; action: CallAction; callKey: string }
  | { kind: 'show' }
  | { kind: 'history' }
  | { kind: 'diagnostics' }
  | { kind: 'quit' }
  | undefined {
  if (id === 'show' || id === 'quit' || id === 'history' || id === 'diagnostics') return { kind: id };
  const [kind, value] = id.split(/:(.*)/s, 2);
  if (kind === 'account-presence' && value) {
    const [accountId, rest] = value.split(/:(.*)/s, 2);
    const [state, reason] = (rest ?? '').split(/:(.*)/s, 2);
    if (accountId && state && state in PRESENCE_LABELS) {
      return { kind: 'account-presence', accountId, state: state as PresenceState, ...(reason ? { reason } : {}) };
    }
  }
  if (kind === 'presence' && value) {
    const [state, reason] = value.split(/:(.*)/s, 2);
    if (state && state in PRESENCE_LABELS) return reason ? { kind: 'presence', state: state as PresenceState, reason } : { kind: 'presence', state: state as PresenceState };
  }
  if (kind === 'retry' && value) return { kind: 'retry', accountId: value };
  if (kind === 'call' && value) {
    const [action, callKey] = value.split(/:(.*)/s, 2);
    if (callKey && (CALL_ACTIONS as readonly string[]).includes(action ?? '')) return { kind: 'call', action: action as CallAction, callKey };
  }
  return undefined;
}
