/**
 * Call work in the window (issue 18): where a call can be put through to, the keypad's keys, the
 * wrap-up reasons an agent searches. Pure: no DOM, no desk invocations.
 */
import { farEnd } from '../../common/selectors.js';
import type { Account, Call, DeskState, WrapUpReason } from '../../preload/bridge.js';
import { dialableNumber } from './dial.js';

/** A number the transfer panel offers to fill in: a colleague's, or one the agent called or took lately. */
export type TransferSuggestion = {
  /** The number as the desk dials it (`dialableNumber`). */
  number: string;
  /** What the agent reads: the colleague's name, or the number itself. */
  label: string;
  kind: 'colleague' | 'recent';
};

/** How many suggestions of each kind the panel shows. */
export const SUGGESTIONS_PER_KIND = 5;

/**
 * The numbers a call can be put through to, as far as the desk knows them: the team's members
 * on the call's account who have a number (where the platform gives one), then the numbers of the
 * account's recent calls (newest first), each once, the call's own far end left out.
 */
export function transferSuggestions(state: DeskState, call: Call): TransferSuggestion[] {
  const own = dialableNumber(farEnd(call));
  const seen = new Set<string>(own ? [own] : []);
  const members: TransferSuggestion[] = [];
  for (const member of Object.values(state.team).sort((a, b) => a.name.localeCompare(b.name))) {
    if (member.accountId !== call.accountId || members.length >= SUGGESTIONS_PER_KIND) continue;
    const number = dialableNumber(member.number);
    if (!number || seen.has(number)) continue;
    seen.add(number);
    members.push({ number, label: member.name, kind: 'colleague' });
  }
  const recent: TransferSuggestion[] = [];
  for (const past of state.recentCalls) {
    if (past.accountId !== call.accountId || recent.length >= SUGGESTIONS_PER_KIND) continue;
    const number = dialableNumber(farEnd(past));
    if (!number || seen.has(number)) continue;
    seen.add(number);
    recent.push({ number, label: number, kind: 'recent' });
  }
  return [...members, ...recent];
}

/** The 12 keys of a phone's keypad, row by row, with the letters printed under them. */
export const KEYPAD: ReadonlyArray<{ key: string; letters: string }> = [
  { key: '1', letters: '' },
  { key: '2', letters: 'ABC' },
  { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' },
  { key: '5', letters: 'JKL' },
  { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' },
  { key: '8', letters: 'TUV' },
  { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' },
  { key: '0', letters: '+' },
  { key: '#', letters: '' },
];

/** The key a keyboard key presses on the keypad (digits, `*`, `#`), else undefined. */
export function keypadKey(key: string): string | undefined {
  return /^[0-9*#]$/.test(key) ? key : undefined;
}

/** Above this many wrap-up reasons, the wrap-up card offers a search field. */
export const REASONS_SEARCH_FROM = 7;

/** The reasons whose label or code holds every word typed (case-insensitive), in the platform's order. */
export function matchingReasons(reasons: readonly WrapUpReason[], query: string): WrapUpReason[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...reasons];
  return reasons.filter((reason) => {
    const text = `${reason.label}\n${reason.code}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Whether an account's wrap-up can take a reason from the window now. */
export function offersReasons(account: Account): boolean {
  return account.wrapUp?.callId !== undefined && account.wrapUpReasons.length > 0 && account.callWork.includes('setWrapUpReason');
}
