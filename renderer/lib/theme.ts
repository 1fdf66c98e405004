/** Light / dark / system theme, remembered in localStorage. `system` follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'agent-companion.theme';
export const THEME_ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const THEME_LABELS: Readonly<Record<ThemeChoice, string>> = {
  system: 'System theme',
  light: 'Light theme',
  dark: 'Dark theme',
};

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

export function loadTheme(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isThemeChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
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
