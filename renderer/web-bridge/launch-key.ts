/**
 * The launch key a tab connects with: it comes in the link the web host prints (`#token=…`), leaves
 * the visible URL at once, and is kept in this tab's `sessionStorage` (this tab only, gone when the
 * tab closes; never `localStorage`) so a reload (F5) keeps the desk. A key the host refuses is
 * forgotten, so a reload does not try it again.
 */

/** Where a tab keeps its key: `sessionStorage` in a browser (injectable for tests). */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The `sessionStorage` key the tab keeps its launch token under. */
export const TOKEN_STORAGE_KEY = 'agent-companion.token';

/** This tab's `sessionStorage`, or `null` where there is none (or the browser disabled storage). */
export function sessionStore(): KeyStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/**
 * Reads `token` from the URL hash and removes the hash from the visible URL; keeps it in `storage`
 * for this tab's reloads. Without a token in the URL, the one this tab kept (else '').
 */
export function takeTokenFromLocation(storage: Pick<Storage, 'getItem' | 'setItem'> | null = sessionStore()): string {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const token = new URLSearchParams(hash).get('token') ?? '';
  if (location.hash) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  if (token) {
    storage?.setItem(TOKEN_STORAGE_KEY, token);
    return token;
  }
  return storage?.getItem(TOKEN_STORAGE_KEY) ?? '';
}

/** Forgets the key this tab kept (the host refused it). */
export function forgetToken(storage: KeyStorage | null): void {
  storage?.removeItem(TOKEN_STORAGE_KEY);
}
