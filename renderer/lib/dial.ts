/** Click-to-dial from the window: which accounts can place a call, and the number as they take it. */
import { DIALABLE } from '../../common/dial.js';
import type { Account, DeskState } from '../../preload/bridge.js';
import type { DeskModel } from './desk.svelte.js';
import { t } from './i18n.js';

/**
 * The number as the desk dials it ({@link DIALABLE}: digits, `*`, `#`, an optional leading `+`), with the separators
 * people type or platforms write (spaces, dashes, dots, brackets) taken out; undefined when it is
 * not a number that can be dialled.
 */
export function dialableNumber(raw: string | undefined): string | undefined {
  const number = (raw ?? '').trim().replace(/[\s().-]/g, '');
  return DIALABLE.test(number) ? number : undefined;
}

/** Connected accounts that place calls for the agent. */
export function dialingAccounts(state: DeskState): Account[] {
  return Object.values(state.accounts).filter((a) => a.connection === 'connected' && a.canDial);
}

/** The account to call from: `preferred` when it can dial now, else the first one that can. */
export function dialingAccount(state: DeskState, preferred?: string): Account | undefined {
  const accounts = dialingAccounts(state);
  return accounts.find((a) => a.id === preferred) ?? accounts[0];
}

/**
 * Places a call; a refusal shows on the status line.
 * @returns whether the platform took the request.
 */
export function placeCall(desk: DeskModel, accountId: string, number: string): Promise<boolean> {
  return desk.run(t('dial.failed', { number }), (api) => api.dial(accountId, number));
}
