/**
 * Light / dark / system theme. The agent's own choice (the header's toggle) is remembered in
 * localStorage; a theme the settings choose (`display.theme`, not `system`) wins at start-up.
 * `system` follows prefers-color-scheme.
 */
import type { SettingsView, Theme } from '../../preload/bridge.js';
import { THEMES } from '../../common/settings.js';
import { labels } from './i18n.js';

export type ThemeChoice = Theme;

const STORAGE_KEY = 'agent-companion.theme';
/** The order the header's toggle goes through. */
export const THEME_ORDER: readonly ThemeChoice[] = THEMES;
export const THEME_LABELS: Readonly<Record<ThemeChoice, string>> = labels({
  system: 'theme.system',
  light: 'theme.light',
  dark: 'theme.dark',
});

function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

export function loadTheme(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isThemeChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

/** The theme the settings choose explicitly (an administrator's, say); undefined for `system`. */
export function settingsTheme(view: SettingsView): ThemeChoice | undefined {
  const chosen: unknown = view.settings.display.theme;
  return isThemeChoice(chosen) && chosen !== 'system' ? chosen : undefined;
}

/** Applies a choice to <html data-theme> (the stylesheet does the rest) and remembers it. */
export function applyTheme(choice: ThemeChoice, persist = true): void {
  document.documentElement.dataset['theme'] = choice;
  if (!persist) return;
  try {
    localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage may be unavailable (private mode); the choice still holds for this window.
  }
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return THEME_ORDER[(THEME_ORDER.indexOf(choice) + 1) % THEME_ORDER.length] ?? 'system';
}
