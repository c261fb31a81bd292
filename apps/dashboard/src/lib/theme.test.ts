import { describe, expect, it } from 'vitest';
import { applyTheme, nextTheme, parseTheme, storedTheme } from './theme.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('theme', () => {
  it('cycles system → light → dark → system', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system']);
  });

  it('reads anything unknown as system', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('purple')).toBe('system');
    expect(parseTheme(null)).toBe('system');
  });

  it('sets data-theme for a pinned theme and removes it for system, remembering the choice', () => {
    const root = { dataset: {} as DOMStringMap };
    const storage = memoryStorage();
    applyTheme('dark', root, storage);
    expect(root.dataset.theme).toBe('dark');
    expect(storedTheme(storage)).toBe('dark');
    applyTheme('system', root, storage);
    expect(root.dataset.theme).toBeUndefined();
    expect(storage.m.size).toBe(0);
    expect(storedTheme(storage)).toBe('system');
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const root = { dataset: {} as DOMStringMap };
    expect(storedTheme(broken)).toBe('system');
    expect(() => applyTheme('light', root, broken)).not.toThrow();
    expect(root.dataset.theme).toBe('light');
  });
});
