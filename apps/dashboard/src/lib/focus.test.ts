import { describe, expect, it } from 'vitest';
import { focusUnlessTyping, isEditable } from './focus.js';

const el = (tagName: string, over: Record<string, unknown> = {}) => ({ tagName, ...over });

describe('focus', () => {
  it.each([
    ['a text input', el('INPUT', { type: 'text' }), true],
    ['a search input', el('INPUT', { type: 'search' }), true],
    ['a textarea', el('TEXTAREA'), true],
    ['a select', el('SELECT'), true],
    ['contentEditable', el('DIV', { isContentEditable: true }), true],
    ['a checkbox', el('INPUT', { type: 'checkbox' }), false],
    ['a disabled textarea', el('TEXTAREA', { disabled: true }), false],
    ['a button', el('BUTTON'), false],
    ['the body', el('BODY'), false],
    ['nothing', null, false],
  ])('isEditable: %s → %s', (_name, target, expected) => {
    expect(isEditable(target as never)).toBe(expected);
  });

  it('does not move focus while the user types, and does otherwise', () => {
    let focused = 0;
    const panel = { focus: () => focused++ };
    expect(focusUnlessTyping(panel, el('TEXTAREA') as never)).toBe(false);
    expect(focused).toBe(0);
    expect(focusUnlessTyping(panel, el('BODY') as never)).toBe(true);
    expect(focused).toBe(1);
  });
});
