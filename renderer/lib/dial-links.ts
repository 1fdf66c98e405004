/**
 * `tel:` links and screen pops in the web host's browser tab (issue 11, points 4 and 5). The
 * Electron app does both in the main process; a browser needs the page's help:
 *
 * - **Protocol handler.** `navigator.registerProtocolHandler('tel', '<origin>/#dial=%s')` (offered
 *   by a button in settings, where the browser allows it: a secure context, which `127.0.0.1` is;
 *   `callto:` is not on the browsers' safelist, so only `tel:`). The browser opens a new tab at
 *   that address; that tab has no session key, and the key never goes into the handler's address
 *   (anyone could read it from the browser's settings) [I]. So the tab relays the link to a running
 *   desk tab over a same-origin `BroadcastChannel` ({@link relayDialLink}), which hands it to the
 *   core (`openDialLink`); the agent confirms the dial there. The relaying tab says "Sent to your
 *   Agent Companion tab", or "Open Agent Companion first" when no desk tab answers.
 * - **Screen pops.** A pop the core allowed and the agent's setting opens by itself is opened with
 *   `window.open(url, '_blank', 'noopener,noreferrer')` by one desk tab only (a Web Lock and a
 *   per-pop mark in `localStorage` decide which); a browser that blocks it leaves the call card's
 *   "Open in CRM" link, which the agent's click opens.
 */
import type { DeskApi } from '../../preload/bridge.js';
import { t } from './i18n.js';

/** The channel desk tabs and handler tabs of one origin talk on. */
export const DIAL_CHANNEL = 'agent-companion:dial-links';
/** How long a handler tab waits for a desk tab to take the link, ms. */
export const RELAY_TIMEOUT_MS = 1500;

/** Messages on {@link DIAL_CHANNEL}: offer → here (each desk tab) → take (the first) → taken. */
type RelayMessage =
  | { type: 'offer'; id: string }
  | { type: 'here'; id: string; tab: string }
  | { type: 'take'; id: string; tab: string; link: string }
  | { type: 'taken'; id: string; ok: boolean; error?: string };

/** The protocol handler's address template for this origin (`%s` is where the browser puts the link). */
export function handlerUrl(origin: string): string {
  return `${origin.replace(/\/$/, '')}/#dial=%s`;
}

/**
 * The link a handler tab was opened with (`#dial=<escaped link>`), or `undefined`. Decoded with
 * `decodeURIComponent`, not as a form (a `+` stays a `+`: `tel:+1…` is a global number).
 */
export function dialLinkFromHash(hash: string): string | undefined {
  const match = /(?:^#?|&)dial=([^&]*)/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/** Whether this browser lets the page become the `tel:` handler (the API exists, in a secure context). */
export function canRegisterTelHandler(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.registerProtocolHandler === 'function' && window.isSecureContext;
}

/**
 * Asks the browser to open `tel:` links here (it asks the agent in its own words).
 * @throws {DOMException} when the browser refuses (not a secure context, a scheme not allowed).
 */
export function registerTelHandler(): void {
  navigator.registerProtocolHandler('tel', handlerUrl(location.origin));
}

function randomId(): string {
  return crypto.randomUUID();
}

/**
 * A handler tab: offers the link to the desk tabs and gives it to the first that answers.
 * @returns `sent` once a desk tab took it (it shows the confirm dialog), `no-desk` when none
 *   answered within `timeoutMs`, or the desk's error text.
 */
export function relayDialLink(link: string, timeoutMs = RELAY_TIMEOUT_MS): Promise<{ kind: 'sent' } | { kind: 'no-desk' } | { kind: 'failed'; error: string }> {
  const channel = new BroadcastChannel(DIAL_CHANNEL);
  const id = randomId();
  return new Promise((resolve) => {
    let chosen: string | undefined;
    const done = (result: { kind: 'sent' } | { kind: 'no-desk' } | { kind: 'failed'; error: string }): void => {
      clearTimeout(timer);
      channel.close();
      resolve(result);
    };
    const timer = setTimeout(() => done({ kind: 'no-desk' }), timeoutMs);
    channel.onmessage = (event: MessageEvent<RelayMessage>) => {
      const message = event.data;
      if (message.id !== id) return;
      if (message.type === 'here' && !chosen) {
        chosen = message.tab;
        channel.postMessage({ type: 'take', id, tab: message.tab, link } satisfies RelayMessage);
      } else if (message.type === 'taken') {
        done(message.ok ? { kind: 'sent' } : { kind: 'failed', error: message.error ?? t('links.not-taken') });
      }
    };
    channel.postMessage({ type: 'offer', id } satisfies RelayMessage);
  });
}

/**
 * Renders a handler tab: relays its link and says what happened (no desk, no session key here).
 * @param target where to write the page.
 */
export async function runHandlerPage(link: string, target: HTMLElement): Promise<void> {
  // The link stays out of the address bar and the history once read.
  history.replaceState(history.state, '', location.pathname);
  document.title = t('links.title');
  const box = document.createElement('main');
  box.className = 'relay';
  box.dataset.testid = 'dial-relay';
  const line = document.createElement('p');
  line.setAttribute('role', 'status');
  line.textContent = t('links.sending');
  box.append(line);
  target.replaceChildren(box);
  const result = await relayDialLink(link);
  box.dataset.result = result.kind;
  if (result.kind === 'sent') line.textContent = t('links.sent');
  else if (result.kind === 'no-desk') line.textContent = t('links.no-desk');
  else line.textContent = t('links.failed', { error: result.error });
}

/**
 * A desk tab: answers handler tabs and hands the links it is given to the core, which puts them on
 * the desk for the agent to confirm. Returns the function that stops listening.
 */
export function listenForDialLinks(api: DeskApi): () => void {
  const channel = new BroadcastChannel(DIAL_CHANNEL);
  const tab = randomId();
  channel.onmessage = (event: MessageEvent<RelayMessage>) => {
    const message = event.data;
    if (message.type === 'offer') channel.postMessage({ type: 'here', id: message.id, tab } satisfies RelayMessage);
    else if (message.type === 'take' && message.tab === tab) {
      api.openDialLink(String(message.link).slice(0, 2048)).then(
        () => {
          window.focus();
          channel.postMessage({ type: 'taken', id: message.id, ok: true } satisfies RelayMessage);
        },
        (error: unknown) => channel.postMessage({ type: 'taken', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies RelayMessage),
      );
    }
  };
  return () => channel.close();
}

/** The `localStorage` mark of a pop some tab opened. */
const popMark = (key: string, at: string): string => `agent-companion:pop:${key}:${at}`;

/**
 * A desk tab: opens each screen pop the core allowed for opening by itself, once across all tabs.
 * Returns the function that stops it.
 */
export function openScreenPopsHere(api: DeskApi): () => void {
  const seen = new Set<string>();
  return api.onChange((change) => {
    // The screen pops travel whole in a full state or a patch that changes them: no need to fold
    // the desk here too (the window's model does that once).
    const pops = 'full' in change ? change.full.screenPops : change.patch.screenPops;
    if (!pops) return;
    for (const pop of Object.values(pops)) {
      const id = `${pop.callKey}:${pop.at}`;
      if (!pop.url || !pop.auto || seen.has(id)) continue;
      seen.add(id);
      void openOnce(pop.url, popMark(pop.callKey, pop.at));
    }
  });
}

/** Forgets the marks of pops older than a day (a pop's mark ends with its ISO time). */
function pruneMarks(now: number): void {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    const at = key?.startsWith('agent-companion:pop:') ? Date.parse(key.slice(key.length - 24)) : Number.NaN;
    if (key?.startsWith('agent-companion:pop:') && !(now - at < 86_400_000)) localStorage.removeItem(key);
  }
}

async function openOnce(url: string, mark: string): Promise<void> {
  const open = (): void => {
    if (localStorage.getItem(mark)) return;
    pruneMarks(Date.now());
    localStorage.setItem(mark, '1');
    window.open(url, '_blank', 'noopener,noreferrer');
  };
  // One tab at a time checks and sets the mark, so two tabs never both open it.
  if (navigator.locks) await navigator.locks.request('agent-companion:screen-pop', open);
  else open();
}
