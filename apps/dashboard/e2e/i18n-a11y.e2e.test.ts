/**
 * Issue 14 items 6–8 in Chromium against a real server (zero-config, the scripted agent): the
 * language switch (Italian nav and pages, kept over a reload, the browser's language by default),
 * axe-core on every page in both themes with no serious or critical violation and a visible focus
 * ring, the keyboard shortcuts, and the Sessions date-range filter with its CSV export.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, type Stack, script, shots, startStack } from './harness.js';

let stack: Stack;
let sessionId = '';
let pipelineId = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stack = await startStack();
  const created: string[] = [];
  for (const name of ['alpha', 'beta', 'gamma']) {
    const r = await stack.call<{ session: { id: string } }>('POST', '/v1/sessions', {
      workDir: stack.workDir(name),
      name: `i18n-${name}`,
      prompt: script({ say: 'hi' }),
      reuse: false,
    });
    created.push(r.session.id);
  }
  sessionId = created[0]!;
  await stack.waitStatus(sessionId, 'idle', 'completed');
  const p = await stack.call<{ id: string }>('POST', '/v1/pipelines', {
    name: 'staged',
    stages: [{ name: 'one', spec: { workDir: stack.workDir('pipe'), prompt: script({ say: 'ok' }) } }],
  });
  pipelineId = p.id;
  await stack.call('POST', '/v1/routines', {
    name: 'nightly',
    schedule: '0 3 * * *',
    timezone: 'UTC',
    target: { session: { workDir: stack.workDir('routine') } },
  });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await stack?.close();
});

async function open(opts: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const ctx = await stack.browser.newContext({
    viewport: DESKTOP,
    locale: opts.locale ?? 'en-US',
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

const navTexts = (p: Page) => p.locator('header nav a').allTextContents();

describe('language', () => {
  it('switches to Italian: nav, page and title in Italian; a reload keeps it', async () => {
    const page = await open();
    await page.goto(`${stack.base}/dashboard/#/sessions`);
    await page.locator('main h1', { hasText: 'Sessions' }).waitFor();
    expect(await navTexts(page)).toContain('Overview');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByLabel('Language').selectOption('it');
    await page.locator('main h1', { hasText: 'Sessioni' }).waitFor();
    expect(await navTexts(page)).toEqual(
      expect.arrayContaining(['Panoramica', 'Sessioni', 'Pipeline', 'Routine', 'Chiavi API']),
    );
    expect(await page.getByRole('button', { name: 'Esporta CSV' }).count()).toBe(1);
    expect(await page.getByLabel('Create dal').count()).toBe(1);
    expect(await page.title()).toBe('Sessioni · Aegis');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('it');

    await page.reload();
    await page.locator('main h1', { hasText: 'Sessioni' }).waitFor();
    expect(await page.getByLabel('Lingua').inputValue()).toBe('it');
    await page.goto(`${stack.base}/dashboard/#/`);
    await page.locator('main h1', { hasText: 'Panoramica' }).waitFor();
    expect(await page.getByText('Sessioni per stato').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'i18n-overview-it.png') });

    // Back to English, in place.
    await page.getByLabel('Lingua').selectOption('en');
    await page.locator('main h1', { hasText: 'Overview' }).waitFor();
  });

  it('follows the browser language until one is picked', async () => {
    const page = await open({ locale: 'it-IT' });
    await page.goto(`${stack.base}/dashboard/#/pipelines`);
    await page.locator('main h1', { hasText: 'Pipeline' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Tutte le pipeline' }).count()).toBe(1);
    expect(await page.getByLabel('Lingua').inputValue()).toBe('it');
  });
});

const PAGES = () => [
  ['overview', '#/'],
  ['sessions', '#/sessions'],
  ['session', `#/sessions/${sessionId}`],
  ['pipelines', '#/pipelines'],
  ['pipeline', `#/pipelines/${pipelineId}`],
  ['routines', '#/routines'],
  ['cost', '#/cost'],
  ['audit', '#/audit'],
  ['keys', '#/keys'],
  ['nodes', '#/nodes'],
  ['not found', '#/nope'],
];

describe('accessibility (axe-core)', () => {
  it.each(['light', 'dark'] as const)(
    'no serious or critical violation on any page, %s theme',
    async (theme) => {
      const page = await open({ colorScheme: theme });
      // Pin the theme the way the topbar button does, so both palettes are checked whatever the OS says.
      await page.addInitScript((t) => localStorage.setItem('aegis.theme', t), theme);
      const report: string[] = [];
      for (const [name, hash] of PAGES()) {
        await page.goto(`${stack.base}/dashboard/${hash}`);
        await page.locator('main h1').first().waitFor();
        // Let polled data land (lists, cards) before the audit; event streams never go idle.
        await page.waitForTimeout(600);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        const result = await new AxeBuilder({ page }).analyze();
        expect(result.passes.length, name).toBeGreaterThan(10); // axe really ran on this page
        for (const v of result.violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            report.push(
              `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
            );
        // Landmarks, and a label on every control (axe checks labels; this says which page).
        expect(await page.locator('header').count(), name).toBeGreaterThan(0);
        expect(await page.locator('nav').count(), name).toBeGreaterThan(0);
        expect(await page.locator('main#main').count(), name).toBe(1);
      }
      expect(report).toEqual([]);
      // The check can fail: an unlabelled field on the last page is reported as critical.
      await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
      const broken = await new AxeBuilder({ page }).analyze();
      expect(broken.violations.find((v) => v.id === 'label')?.impact).toBe('critical');
    },
    180_000,
  );

  it.each(['light', 'dark'] as const)(
    'skip link first, into <main>; focus ring visible, %s theme',
    async (theme) => {
      const page = await open({ colorScheme: theme });
      await page.addInitScript((t) => localStorage.setItem('aegis.theme', t), theme);
      await page.goto(`${stack.base}/dashboard/#/sessions`);
      await page.locator('main h1').first().waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement as Element);
        return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth), color: s.outlineColor };
      });
      expect(ring.style).not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      // Tabbing on from <main> reaches the page's first control, not the topbar again.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
      const next = await page.evaluate(
        () => getComputedStyle(document.activeElement as Element).outlineStyle,
      );
      expect(next).not.toBe('none');
    },
  );
});

describe('keyboard', () => {
  it('? lists the shortcuts; g o/s/p/a/k/r go to each page; Ctrl+K searches sessions', async () => {
    const page = await open();
    await page.goto(`${stack.base}/dashboard/#/`);
    await page.locator('main h1', { hasText: 'Overview' }).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const rows = await help.locator('tr').allTextContents();
    for (const k of ['go', 'gs', 'gp', 'ga', 'gk', 'gr', 'gc', 'Ctrl+K'])
      expect(rows.some((r) => r.replace(/\s/g, '').includes(k))).toBe(true);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    for (const [key, hash, title] of [
      ['s', '#/sessions', 'Sessions'],
      ['p', '#/pipelines', 'Pipelines'],
      ['a', '#/audit', 'Audit log'],
      ['k', '#/keys', 'API keys'],
      ['r', '#/routines', 'Routines'],
      ['c', '#/cost', 'Cost'],
      ['o', '#/', 'Overview'],
    ] as const) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await page.waitForFunction((h) => location.hash === h, hash);
      await page.locator('main h1', { hasText: title }).first().waitFor();
    }

    await page.keyboard.press('Control+k');
    await page.waitForFunction(() => location.hash === '#/sessions');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.type === 'search');
    // Typing in the search box is text, not shortcuts.
    await page.keyboard.type('gp');
    expect(await page.evaluate(() => location.hash)).toBe('#/sessions');
  });
});

describe('sessions: created date range and CSV export', () => {
  it('filters by created date and exports exactly the filtered rows', async () => {
    const page = await open();
    await page.goto(`${stack.base}/dashboard/#/sessions`);
    const rows = page.locator('main table tbody tr');
    await rows.first().waitFor();
    const all = await rows.count();
    expect(all).toBeGreaterThanOrEqual(3);

    const day = (offset: number) =>
      page.evaluate((o) => {
        const d = new Date();
        d.setDate(d.getDate() + o);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
      }, offset);
    const from = page.getByLabel('Created from');
    const to = page.getByLabel('to', { exact: true });

    // Created tomorrow or later: none, and nothing to export.
    await from.fill(await day(1));
    await page.getByText('No session matches these filters.').waitFor();
    expect(await page.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(true);

    // Up to yesterday: none either.
    await from.fill('');
    await to.fill(await day(-1));
    await page.getByText('No session matches these filters.').waitFor();

    // Today only, narrowed by text to the i18n-* sessions: exactly those three.
    await from.fill(await day(0));
    await to.fill(await day(0));
    await page.getByLabel('Search').fill('i18n-');
    await expect.poll(() => rows.count()).toBe(3);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^aegis-sessions-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe(
      'id,name,status,workDir,agent,model,permissionMode,turns,inputTokens,outputTokens,totalTokens,costUsd,createdAt,lastActivityAt',
    );
    expect(csv).toHaveLength(4);
    const names = csv.slice(1).map((l) => l.split(',')[1]);
    expect(names.sort()).toEqual(['i18n-alpha', 'i18n-beta', 'i18n-gamma']);
    const today = await day(0);
    for (const line of csv.slice(1)) {
      const createdAt = line.split(',')[12]!;
      // The CSV keeps the ISO instant; it falls on the local day filtered for.
      const local = await page.evaluate((iso) => {
        const d = new Date(iso);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
      }, createdAt);
      expect(local).toBe(today);
    }
  });
});
