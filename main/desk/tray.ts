/**
 * The tray menu as data, pure: `DeskState → TrayModel`. The Electron shell turns it into a native
 * menu one-to-one and routes clicks back by item `id`; the web host has no tray.
 *
 * Layout: a status line per account (label, connection, presence), the presence radio items (the
 * agent's shared presence checked; items no account accepts left out), Show, Quit.
 */
import { PRESENCE_LABELS, type Account, type DeskState, type PresenceState } from './model.js';
import { activeCalls, agentPresence, presenceReasons, presenceText, selectablePresences } from './selectors.js';

/**
 * One menu entry. `id` comes back on click: `presence:<state>`, `presence:<state>:<reason code>`,
 * `show`, `quit`, `retry:<account>`.
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

const CONNECTION_WORDS: Record<Account['connection'], string> = {
  connecting: 'connecting…',
  connected: '',
  reconnecting: 'reconnecting…',
  failed: 'needs attention',
  stopped: 'stopped',
};

function accountLine(account: Account): string {
  const connection = CONNECTION_WORDS[account.connection];
  const demo = account.demo ? ' (demo)' : '';
  return connection ? `${account.label}${demo}: ${connection}` : `${account.label}${demo}: ${presenceText(account.presence)}`;
}

/** Builds the tray model for a state. */
export function trayModel(state: DeskState): TrayModel {
  const accounts = Object.values(state.accounts);
  const presence = agentPresence(state);
  const ringing = activeCalls(state).filter((c) => c.state === 'ringing' && !c.stale).length;
  const trouble = accounts.filter((a) => a.connection === 'failed' || a.connection === 'reconnecting');

  const items: TrayItem[] = accounts.length
    ? accounts.flatMap((a): TrayItem[] => [{ kind: 'label', text: accountLine(a) }, ...(a.notice ? [{ kind: 'label' as const, text: `    ${a.notice}` }] : [])])
    : [{ kind: 'label', text: 'No accounts configured' }];
  for (const account of accounts.filter((a) => a.connection === 'failed')) {
    items.push({ kind: 'action', id: `retry:${account.id}`, text: `Reconnect ${account.label}` });
  }
  items.push({ kind: 'separator' });
  for (const option of selectablePresences(state)) {
    const enabled = accounts.some((a) => a.connection === 'connected' && a.presenceOptions.includes(option));
    const radio: TrayItem = { kind: 'radio', id: `presence:${option}`, text: PRESENCE_LABELS[option], checked: presence === option, enabled };
    const reasons = presenceReasons(state, option);
    if (reasons.length === 0) {
      items.push(radio);
      continue;
    }
    // A state with reason codes opens a submenu: the reasons, then the state without one.
    const current = Object.values(state.accounts).find((a) => a.presence?.state === option)?.presence?.reason;
    items.push({
      kind: 'submenu',
      text: PRESENCE_LABELS[option],
      checked: presence === option,
      enabled,
      items: [
        ...reasons.map((r): TrayItem => ({ kind: 'radio', id: `presence:${option}:${r.code}`, text: r.label, checked: presence === option && current === r.label, enabled })),
        { kind: 'separator' },
        { ...radio, text: `${PRESENCE_LABELS[option]} (no reason)`, checked: false },
      ],
    });
  }
  items.push({ kind: 'separator' }, { kind: 'action', id: 'show', text: 'Show Agent Companion' }, { kind: 'action', id: 'quit', text: 'Quit' });

  const restingIcon: TrayIcon = trouble.length > 0 ? 'trouble' : (presence ?? 'unknown');
  const icon: TrayIcon = ringing > 0 ? 'ringing' : restingIcon;
  let invited = false;
  for (const key in state.chats) if (state.chats[key]!.state === 'invited') invited = true;
  const presenceText = presence === 'mixed' ? 'Mixed presence' : presence ? PRESENCE_LABELS[presence] : 'Presence unknown';
  const parts = [
    `Agent Companion${state.demo ? ' (demo)' : ''}`,
    presenceText,
    ringing ? `${ringing} ringing` : undefined,
    trouble.length ? `${trouble.length} account${trouble.length > 1 ? 's need' : ' needs'} attention` : undefined,
  ];
  return { icon, restingIcon, ringing: ringing > 0, invited, tooltip: parts.filter(Boolean).join(' — '), items };
}

/** Parses a clicked item id back into what it means. */
export function trayAction(
  id: string,
): { kind: 'presence'; state: PresenceState; reason?: string } | { kind: 'retry'; accountId: string } | { kind: 'show' } | { kind: 'quit' } | undefined {
  if (id === 'show' || id === 'quit') return { kind: id };
  const [kind, value] = id.split(/:(.*)/s, 2);
  if (kind === 'presence' && value) {
    const [state, reason] = value.split(/:(.*)/s, 2);
    if (state && state in PRESENCE_LABELS) return reason ? { kind: 'presence', state: state as PresenceState, reason } : { kind: 'presence', state: state as PresenceState };
  }
  if (kind === 'retry' && value) return { kind: 'retry', accountId: value };
  return undefined;
}
