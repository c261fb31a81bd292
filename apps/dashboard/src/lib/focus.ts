/** Focus rules shared by the keyboard shortcuts and the panels that ask for attention. */

interface FocusLike {
  tagName: string;
  isContentEditable?: boolean;
  readOnly?: boolean;
  disabled?: boolean;
}

/** Whether the user is typing into `el` (a text field, a select, or contentEditable). */
export function isEditable(el: FocusLike | EventTarget | null | undefined): boolean {
  if (!el || typeof (el as FocusLike).tagName !== 'string') return false;
  const e = el as FocusLike;
  if (e.isContentEditable) return true;
  if (e.tagName === 'TEXTAREA' || e.tagName === 'SELECT') return !e.disabled;
  if (e.tagName !== 'INPUT') return false;
  const type = ((el as { type?: string }).type ?? 'text').toLowerCase();
  return (
    !e.disabled &&
    !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(type)
  );
}

/**
 * Moves focus to `el` unless the user is typing somewhere: a permission or question that arrives
 * mid-sentence must not swallow the rest of it (the panel is still announced as an alertdialog).
 */
export function focusUnlessTyping(
  el: { focus(): void } | null,
  active: Element | null = globalThis.document?.activeElement ?? null,
): boolean {
  if (!el || isEditable(active)) return false;
  el.focus();
  return true;
}

let searchWanted = false;

/**
 * Asks the Sessions page to focus its search box (`/`, `Ctrl+K`): now if it is mounted, else as
 * soon as it mounts — a route change renders later than the key press, and by an unknown delay.
 */
export function requestSearchFocus(): void {
  searchWanted = true;
  globalThis.dispatchEvent?.(new Event('aegis:focus-search'));
}

/** Called by the search box's owner (on mount and on the event): true once per request. */
export function takeSearchFocusRequest(): boolean {
  const w = searchWanted;
  searchWanted = false;
  return w;
}
