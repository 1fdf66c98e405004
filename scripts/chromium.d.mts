/** The one sentence said when no Chromium can be found or obtained. */
export const NO_CHROMIUM: string;

/** Where Debian (and Ubuntu) install Chromium. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[];

export interface FindOptions {
  /** Where `CHROMIUM_PATH` is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** System locations to try (default: SYSTEM_CHROMIUM_PATHS). */
  systemPaths?: readonly string[];
  /** Playwright's own browser, if installed. */
  playwright?: () => string | undefined;
}

/**
 * The Chromium executable to use: `CHROMIUM_PATH` (which, when set, must be an executable file),
 * else Debian's `/usr/bin/chromium` or `/usr/bin/chromium-browser`, else Playwright's own browser.
 * Throws when `CHROMIUM_PATH` is set but is not an executable file.
 */
export function findChromium(options?: FindOptions): string | undefined;

/** One way of obtaining Chromium: `run` rejects with a short reason; `skip` says why it does not apply. */
export interface Installer {
  name: string;
  skip?: () => string | undefined;
  run: () => Promise<void>;
}

/** Playwright's own installer, `npx playwright-core install chromium`. */
export function playwrightInstaller(timeoutMs?: number): Installer;

/** Debian's `chromium` package through apt-get (only on Debian, only as root). */
export function aptInstaller(timeoutMs?: number): Installer;

export interface EnsureOptions {
  /** Where each attempt's one-line outcome goes (default: stderr). */
  log?: (line: string) => void;
  /** The attempts, in order (default: Playwright's installer, then apt-get). */
  install?: readonly Installer[];
  /** Passed to findChromium. */
  find?: FindOptions;
}

/** The Chromium to use, installing one when there is none; rejects with one sentence when it cannot. */
export function ensureChromium(options?: EnsureOptions): Promise<string>;
