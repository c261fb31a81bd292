/**
 * The message catalog: every word the dashboard shows goes through `t(key)`. English (`en.ts`) is
 * bundled and is the reference; other languages are loaded on demand (`it.ts` is its own chunk) so
 * they cost the first render nothing. The language is the one picked in the topbar (remembered in
 * localStorage), else the first of `navigator.languages` we have, else English.
 *
 * Placeholders are `{name}`; numbers passed as parameters are formatted for the language. Plurals
 * are two keys, `x.one` / `x.other`, chosen with `Intl.PluralRules` by `tp('x', n)`.
 *
 * @example
 *   t('sessions.title')                    // "Sessions"
 *   tp('sessions.count', 3, { total: 10 })  // "3 of 10 sessions"
 */
import { useSyncExternalStore } from 'react';
import { en } from './en.js';

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
export type Locale = 'en' | 'it';
type PluralBase<K> = K extends `${infer B}.one` ? B : never;
export type PluralKey = PluralBase<MessageKey>;
export type Params = Record<string, string | number>;

export const LOCALES: readonly Locale[] = ['en', 'it'];
/** Each language named in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', it: 'Italiano' };
const KEY = 'aegis.locale';

const loaders: Record<Locale, () => Promise<Catalog>> = {
  en: async () => en,
  it: () => import('./it.js').then((m) => m.it),
};

let locale: Locale = 'en';
let messages: Catalog = en;
let plural = new Intl.PluralRules('en');
const listeners = new Set<() => void>();

/** The language in use. */
export function getLocale(): Locale {
  return locale;
}

/**
 * The locale tag for `Intl` formatters: the browser's own variant of the chosen language when it
 * has one (`en-GB` keeps day-month order for a British English user), else the bare language.
 */
export function intlLocale(): string {
  const langs = safeLanguages();
  return langs.find((l) => l.toLowerCase().split('-')[0] === locale) ?? locale;
}

/** A supported language from a stored choice or the browser's list; English when none fits. */
export function pickLocale(stored: string | null | undefined, languages: readonly string[]): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'en';
}

/** The language to start with: the remembered choice, else the browser's. */
export function initialLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    // Storage can be blocked: fall back to the browser's languages.
  }
  return pickLocale(stored, safeLanguages());
}

/**
 * Loads and switches to `next`; `remember` keeps the choice in localStorage. Resolves once the
 * catalog is in, after which every `useLocale()` subscriber re-renders.
 */
export async function setLocale(next: Locale, remember = true): Promise<void> {
  const catalog = await loaders[next]();
  locale = next;
  messages = catalog;
  plural = new Intl.PluralRules(next);
  if (globalThis.document) document.documentElement.lang = next;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(KEY, next);
    } catch {
      // The choice then lasts for this page only.
    }
  }
  for (const l of listeners) l();
}

/** The message `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Params): string {
  return format(messages[key] ?? en[key] ?? key, params);
}

/** A plural message: `${base}.one` or `${base}.other` by the count `n` (also passed as `{n}`). */
export function tp(base: PluralKey, n: number, params?: Params): string {
  const form = plural.select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}` as MessageKey, { n, ...params });
}

/** Fills `{name}` placeholders; numbers are formatted for the current language. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? numberFormat().format(v) : v;
  });
}

let nf: { tag: string; f: Intl.NumberFormat } | undefined;
function numberFormat(): Intl.NumberFormat {
  const tag = intlLocale();
  if (nf?.tag !== tag) nf = { tag, f: new Intl.NumberFormat(tag) };
  return nf.f;
}

/** Re-renders the calling component when the language changes; returns it. */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, getLocale, getLocale);
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function safeLanguages(): readonly string[] {
  try {
    const n = globalThis.navigator;
    return n?.languages?.length ? n.languages : n?.language ? [n.language] : [];
  } catch {
    return [];
  }
}
