import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en.js';
import { format, getLocale, LOCALES, type Locale, pickLocale, setLocale, t, tp } from './index.js';
import { it as italian } from './it.js';

const catalogs: Record<Exclude<Locale, 'en'>, Record<string, string>> = { it: italian };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it.each(Object.entries(catalogs))('%s has exactly the English keys', (_, catalog) => {
    const missing = Object.keys(en).filter((k) => !(k in catalog));
    const extra = Object.keys(catalog).filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(Object.entries(catalogs))('%s keeps every placeholder of the English message', (_, catalog) => {
    const differ = Object.entries(en)
      .filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(catalog[k] ?? '')))
      .map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it.each(Object.entries(catalogs))('%s has no empty message', (_, catalog) => {
    expect(Object.entries(catalog).filter(([, v]) => !v.trim())).toEqual([]);
  });

  it('every language in the switcher has a catalog', () => {
    expect([...LOCALES].sort()).toEqual(['en', ...Object.keys(catalogs)].sort());
  });
});

describe('t / tp / locale choice', () => {
  afterEach(() => setLocale('en', false));

  it('fills placeholders, formatting numbers for the language', async () => {
    expect(format('{n} of {total}', { n: 1234, total: 'x' })).toBe('1,234 of x');
    await setLocale('it', false);
    expect(format('{n}', { n: 1234.5 })).toBe('1234,5');
    expect(getLocale()).toBe('it');
  });

  it('picks the plural form by count', async () => {
    expect([tp('audit.count', 1), tp('audit.count', 2)]).toEqual(['1 record', '2 records']);
    await setLocale('it', false);
    expect([tp('keys.count', 1), tp('keys.count', 3)]).toEqual(['1 chiave API', '3 chiavi API']);
  });

  it('switches every message to the chosen language', async () => {
    expect(t('nav.sessions')).toBe('Sessions');
    await setLocale('it', false);
    expect(t('nav.sessions')).toBe('Sessioni');
  });

  it('starts from the stored choice, else the first browser language it has, else English', () => {
    expect(pickLocale('it', ['en-US'])).toBe('it');
    expect(pickLocale(null, ['fr-FR', 'it-IT', 'en'])).toBe('it');
    expect(pickLocale('xx', ['de-DE'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });
});
