/**
 * The pseudo-locale end-to-end tests' tools (issue 19): the pseudo-locale's messages, and the scan
 * that reads every visible text, and every accessible name, title and placeholder the agent meets,
 * off the page. Each must come through the language layer: between the pseudo-locale's markers
 * `[!! … !!]`. A text without them is a string that bypassed `t()` or `fmt`, reported with its place.
 *
 * What the window shows as the platform or the agent wrote it (a caller's name or number, a queue,
 * a reason label, a chat line, an account's label) is marked in the markup with `translate="no"`
 * (HTML's own word for "not to be translated"), and skipped: that is the explicit list of
 * server-sent words.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { assembleCore, startCore, type Core } from '../../main/app.js';
import { parseConfig } from '../../main/config.js';
import type { DeskAccount } from '../../main/desk/desk.js';
import { createLogger, type Logger } from '../../main/log.js';
import type { Closers } from '../support/closers.js';
import { openInWindow } from './harness.js';

const PSEUDO: Record<string, string> = JSON.parse(readFileSync(new URL('../../common/locales/en-XA.json', import.meta.url), 'utf8')) as Record<string, string>;

/** A message of the pseudo-locale as the page shows it when it takes no parameters. */
export function xa(key: string): string {
  const text = PSEUDO[key];
  if (text === undefined) throw new Error(`no message ${key}`);
  return text;
}

/** `text` as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pseudo-locale message as a pattern for a name that starts with it, whatever its parameters say. */
export function xaPattern(key: string): RegExp {
  return new RegExp(`^${xa(key).split(/\{[^{}]*\}/).map(literally).join('.*')}`);
}

/**
 * Every text the agent meets on the page without the pseudo-locale's markers: visible text nodes,
 * and the accessible names, titles and placeholders of visible elements (a screen reader and a
 * tooltip speak them too). Skips what sits in `translate="no"`.
 */
export function unmarkedTexts(page: Page, where: string): Promise<string[]> {
  // A script, not a function: the test runner's transform would wrap a function's inner helpers in
  // a name-keeping call the page does not have.
  return page.evaluate(`(${SCAN})(${JSON.stringify(where)})`) as Promise<string[]>;
}

/** The page's side of {@link unmarkedTexts}, as plain JavaScript. */
const SCAN = String.raw`(place) => {
  const OPEN = '[!! ';
  const CLOSE = ' !!]';
  // What is left of a text once every marked part (innermost first) is taken out: letters there bypassed the layer.
  const rest = (text) => {
    let left = text;
    for (;;) {
      const end = left.indexOf(CLOSE);
      if (end < 0) break;
      const start = left.lastIndexOf(OPEN, end);
      if (start < 0) break;
      left = left.slice(0, start) + left.slice(end + CLOSE.length);
    }
    return left;
  };
  const unmarked = (text) => /\p{L}/u.test(rest(text));
  const visible = (element) => {
    if (element.closest('[translate="no"]')) return false;
    if (element.closest('[hidden], [inert]')) return false;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    return element.getClientRects().length > 0 || element.closest('.visually-hidden') !== null;
  };
  const found = [];
  const say = (what, element) => {
    const test = element.closest('[data-testid]')?.getAttribute('data-testid');
    found.push(place + ': ' + what + ' (in <' + element.tagName.toLowerCase() + '>' + (test ? ' of ' + test : '') + ')');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent || '';
    if (!parent || !text.trim() || parent.tagName === 'SCRIPT' || parent.tagName === 'STYLE') continue;
    // An <option> is shown by its select, whatever its own box says.
    if (!(parent.tagName === 'OPTION' ? !parent.closest('[translate="no"]') : visible(parent))) continue;
    // A message set apart in pieces (tParts: a bold name in a sentence) is marked as a whole in its element.
    if (unmarked(text) && unmarked(parent.textContent || '')) say(JSON.stringify(text.trim()), parent);
  }
  for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (!visible(element)) continue;
    // A name that repeats a server word shown inside the element (a team's name on its group) is that word.
    const repeatsServerWord = (value) => [...element.querySelectorAll('[translate="no"]')].some((node) => (node.textContent || '').trim() === value.trim());
    for (const attribute of ['aria-label', 'title', 'placeholder']) {
      const value = element.getAttribute(attribute);
      if (value && unmarked(value) && !(attribute === 'aria-label' && repeatsServerWord(value))) say(attribute + '=' + JSON.stringify(value), element);
    }
  }
  return found;
}`;


/**
 * Text the page cuts off (issue 19: "no text cut off or overflowing at 420 px"): the page wider than
 * the window, and every element that clips its own text (overflow hidden or an ellipsis) narrower
 * than the text it holds. What sits in `translate="no"` (a platform's or an agent's long name) may
 * be cut with an ellipsis by design and is left out.
 */
export function clippedTexts(page: Page, where: string): Promise<string[]> {
  return page.evaluate(`(${CLIP})(${JSON.stringify(where)})`) as Promise<string[]>;
}

/** The page's side of {@link clippedTexts}, as plain JavaScript (see {@link unmarkedTexts}). */
const CLIP = String.raw`(place) => {
  const found = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(place + ': the page is ' + document.documentElement.scrollWidth + ' px wide in a ' + window.innerWidth + ' px window');
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.textContent || !element.textContent.trim() || element.closest('[translate="no"], .visually-hidden')) continue;
    if (element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    const clips = style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis';
    if (!clips || element.scrollWidth <= element.clientWidth + 1) continue;
    // Only where the clipped part is text of its own, not a child that is itself allowed to be cut.
    const own = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const test = element.closest('[data-testid]')?.getAttribute('data-testid');
    if (own) found.push(place + ': ' + JSON.stringify(element.textContent.trim().slice(0, 60)) + ' is cut off (' + element.scrollWidth + ' px in ' + element.clientWidth + ' px' + (test ? ', in ' + test : '') + ')');
  }
  return found;
}`;

/**
 * Serves `core` through the web host to a Chromium page 420 px wide (the tray-sized window) and
 * 900 px high, and opens the desk; resolves with the page. What it starts is added to `closers`.
 */
export function openInPseudoWindow(closers: Closers, core: Core, log: Logger): Promise<Page> {
  return openInWindow(closers, core, log, 900);
}

/**
 * Demo mode's desk at work (its scripted day, a step every 4 s) in the pseudo-locale, in a 420 px
 * Chromium page. What it starts is added to `closers`.
 */
export async function openPseudoDemo(closers: Closers): Promise<Page> {
  const log = createLogger('warn');
  const core = closers.add(await startCore({ config: parseConfig({ display: { language: 'en-XA' } }), demo: true, log, demoIntervalMs: 4_000 }), (started) => started.stop());
  return openInPseudoWindow(closers, core, log);
}

/**
 * A desk over `accounts` (scripted connectors) in the pseudo-locale, served by the web host to a
 * Chromium page 420 px wide; `config` is added to `display.language: "en-XA"`. What it starts is
 * added to `closers`.
 */
export async function openPseudoDesk(closers: Closers, accounts: DeskAccount[], config: Record<string, unknown> = {}): Promise<{ core: Core; page: Page }> {
  const log = createLogger('warn');
  const core = closers.add(assembleCore({ accounts, config: parseConfig({ ...config, display: { language: 'en-XA' } }), log }), (started) => started.stop());
  await core.automation?.listen();
  return { core, page: await openInPseudoWindow(closers, core, log) };
}
