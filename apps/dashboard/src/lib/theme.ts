/**
 * The colour theme: `system` follows the OS (`prefers-color-scheme`), `light` / `dark` pin one.
 * Kept in localStorage and applied as `data-theme` on <html> (absent for `system`); styles.css keys
 * its dark palette on both.
 */
import { t } from '../i18n/index.js';

export type Theme = 'system' | 'light' | 'dark';

export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const KEY = 'aegis.theme';

/** The theme's name in the current language. */
export function themeLabel(theme: Theme): string {
  return t(theme === 'system' ? 'theme.system' : theme === 'light' ? 'theme.light' : 'theme.dark');
}

export function nextTheme(t: Theme): Theme {
  return THEMES[(THEMES.indexOf(t) + 1) % THEMES.length] ?? 'system';
}

export function parseTheme(value: string | null | undefined): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Theme {
  try {
    return parseTheme(storage?.getItem(KEY));
  } catch {
    return 'system';
  }
}

/** Applies `t` to the document and remembers it. */
export function applyTheme(
  t: Theme,
  root: { dataset: DOMStringMap } = document.documentElement,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = safeStorage(),
): void {
  if (t === 'system') delete root.dataset.theme;
  else root.dataset.theme = t;
  try {
    if (t === 'system') storage?.removeItem(KEY);
    else storage?.setItem(KEY, t);
  } catch {
    // Storage can be unavailable (private mode, blocked cookies): the choice lasts for this page.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
