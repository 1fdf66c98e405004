/// <reference lib="dom" />
/**
 * The browser the end-to-end tests drive: Chromium through playwright-core, found by
 * scripts/chromium.mjs (`CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else Playwright's own
 * browser; `npm test` obtains one first when there is none and passes it on as `CHROMIUM_PATH`).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChromium, NO_CHROMIUM } from '../../scripts/chromium.mjs';

/** Launches headless Chromium with the flags this closed network needs; says what to install if there is none. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM);
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What a page recorded of the Web Notifications it raised. */
export interface RecordedNotification {
  title: string;
  body?: string;
  tag?: string;
  /** Whether the page closed it (`close()`). */
  closed: boolean;
}

/**
 * Replaces the page's `Notification` with a recorder before any script runs (headless Chromium
 * shows no OS toasts): permission is granted, each construction is recorded in
 * `window.__notifications` (with `closed` once the page closes it), and `window.__clickNotification(i)` clicks one.
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  // Plain JavaScript source: a function would be serialised after the TypeScript transform, whose
  // helpers do not exist in the page.
  await context.addInitScript({
    content: `(() => {
      const recorded = [];
      class RecordingNotification extends EventTarget {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options = {}) {
          super();
          this.title = title;
          this.onclick = null;
          this.onclose = null;
          recorded.push({ title, body: options.body, tag: options.tag, closed: false, instance: this });
        }
        close() { recorded.find((r) => r.instance === this).closed = true; }
      }
      window.Notification = RecordingNotification;
      window.__notifications = recorded;
      window.__clickNotification = (index) => {
        const target = recorded[index] && recorded[index].instance;
        if (!target) return;
        const event = new Event('click');
        if (target.onclick) target.onclick(event);
        target.dispatchEvent(event);
      };
    })();`,
  });
}

/** The notifications a page raised so far. */
export function notifications(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(() =>
    (window as unknown as { __notifications: RecordedNotification[] }).__notifications.map(({ title, body, tag, closed }) => ({ title, body, tag, closed })),
  );
}
