/**
 * The Cost page in Chromium against a real server: the scripted agent (a real child process)
 * reports known tokens and costs, the usage ledger records one row per turn, and the page shows
 * exactly those figures — totals, today's bar, the tables by key, model and template, the top
 * sessions with their budget state — exports them as CSV, and answers an empty or invalid range.
 * The session page shows the budget used of each limit, the sessions list each budget's state; the Overview sparklines put the usage on
 * the day it was spent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, type Stack, script, shots, startStack } from './harness.js';

let stack: Stack;
let ctx: BrowserContext;
let page: Page;
const ids: Record<'cheap' | 'dear', string> = { cheap: '', dear: '' };
const today = new Date().toISOString().slice(0, 10);

interface Sess {
  status: string;
  turns: number;
  usage: { totalTokens: number; costUsd: number | null };
}

async function createAndFinish(name: string, budget: object, steps: unknown[]): Promise<string> {
  const r = await stack.call<{ session: { id: string } }>('POST', '/v1/sessions', {
    workDir: stack.workDir(name),
    name,
    budget,
    prompt: script(...steps),
    reuse: false,
  });
  const id = r.session.id;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = await stack.call<Sess>('GET', `/v1/sessions/${id}`);
    if (s.turns === 1 && s.status === 'idle') return id;
    if (Date.now() > deadline) throw new Error(`session ${name} is ${s.status} after ${s.turns} turns`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  stack = await startStack();
  // 1,250 tokens and 0.0125 USD (the agent's own figure); within a 0.1 USD, 10-turn budget.
  ids.cheap = await createAndFinish('cost-cheap', { maxCostUsd: 0.1, maxTurns: 10 }, [
    { tokens: { input: 1000, output: 200, cacheRead: 50 } },
    { usage: { used: 1250, size: 200_000, cost: 0.0125 } },
    { say: 'one' },
  ]);
  // 3,500 tokens and 0.05 USD: 83 % of its 0.06 USD budget, so a warning.
  ids.dear = await createAndFinish('cost-dear', { maxCostUsd: 0.06 }, [
    { tokens: { input: 3000, output: 500 } },
    { usage: { used: 3500, size: 200_000, cost: 0.05 } },
    { say: 'two' },
  ]);
  ctx = await stack.browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: 'en-US' });
  page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await ctx?.close();
  await stack?.close();
});

const rowsOf = (testId: string) =>
  page
    .getByTestId(testId)
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );

describe('Cost page', () => {
  it('shows the spend and tokens the agent reported, per day, key, model and session', async () => {
    await page.goto(`${stack.base}/dashboard/#/cost`);
    await page.getByRole('heading', { name: 'Cost', level: 1 }).waitFor();
    await page.getByTestId('cost-totals').waitFor();
    const figure = (id: string) => page.getByTestId(id).getByTestId('metric-value').textContent();
    expect(await figure('cost-spend')).toBe('$0.0625');
    expect(await figure('cost-tokens')).toBe('4,750');
    expect(await figure('cost-turns')).toBe('2');

    // The last 30 days by default: today's bar is the last one and carries both turns.
    const spend = page.getByTestId('spend-bars');
    expect(await spend.locator('rect').count()).toBe(30);
    expect(await spend.locator('rect title').last().textContent()).toBe(`${today}: $0.0625`);
    expect(await page.getByTestId('tokens-bars').getAttribute('aria-label')).toMatch(/, 0, 4750$/);

    expect(await rowsOf('by-key')).toEqual([['local user', '2', '4,750', '$0.0625']]);
    expect(await rowsOf('by-model')).toEqual([['scripted-small', '2', '4,750', '$0.0625']]);
    expect(await rowsOf('by-template')).toEqual([['no template', '2', '4,750', '$0.0625']]);
    // Costliest first, each linking to its session, with its budget state.
    expect(await rowsOf('top-sessions')).toEqual([
      ['cost-dear', '1', '3,500', '$0.0500', 'over 80 %'],
      ['cost-cheap', '1', '1,250', '$0.0125', 'within budget'],
    ]);
    await page.screenshot({ path: join(shots, 'cost-desktop.png'), fullPage: true });

    await page.getByTestId('top-sessions').getByRole('link', { name: 'cost-dear' }).click();
    await page.waitForURL(`**/#/sessions/${ids.dear}`);
    const budget = page.getByTestId('budget-state');
    await budget.waitFor();
    expect(await budget.getByTestId('budget-badge').textContent()).toBe('over 80 %');
    expect(await budget.getByTestId('budget-maxCostUsd').getAttribute('data-state')).toBe('warn');
    expect(await budget.getByTestId('budget-maxCostUsd').getByTestId('budget-used').textContent()).toBe(
      '$0.0500 of $0.0600',
    );
  });

  it('shows the budget of a session within it, each limit set, and each budget in the sessions list', async () => {
    await page.goto(`${stack.base}/dashboard/#/sessions/${ids.cheap}`);
    const budget = page.getByTestId('budget-state');
    await budget.waitFor();
    expect(await budget.getByTestId('budget-badge').textContent()).toBe('within budget');
    expect(await budget.getByTestId('budget-used').allTextContents()).toEqual([
      '$0.0125 of $0.1000',
      '1 of 10',
    ]);
    // The sessions list says it too, beside each session's cost.
    await page.goto(`${stack.base}/dashboard/#/sessions`);
    const row = (name: string) => page.locator('tbody tr').filter({ hasText: name });
    await row('cost-dear').waitFor();
    expect(await row('cost-dear').getByTestId('budget-badge').textContent()).toBe('over 80 %');
    expect(await row('cost-cheap').getByTestId('budget-badge').textContent()).toBe('within budget');
  });

  it('exports the range as the server’s CSV', async () => {
    await page.goto(`${stack.base}/dashboard/#/cost`);
    await page.getByTestId('cost-totals').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('cost-export').click(),
    ]);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe(`aegis-usage-${from}-${today}.csv`);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines).toEqual([
      'day,key,template,model,turns,inputTokens,outputTokens,cachedReadTokens,cachedWriteTokens,totalTokens,costUsd,durationMs,toolCalls',
      expect.stringMatching(new RegExp(`^${today},,,scripted-small,2,4000,700,50,0,4750,0.0625,\\d+,0$`)),
    ]);
  });

  it('answers a range without turns, and refuses a reversed one before asking', async () => {
    await page.goto(`${stack.base}/dashboard/#/cost`);
    await page.getByTestId('cost-totals').waitFor();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No turns in this range.').waitFor();

    await page.getByLabel('From', { exact: true }).fill('2020-02-01');
    await page.getByRole('alert').filter({ hasText: '“From” is after “To”' }).waitFor();
    expect(await page.getByRole('button', { name: 'Show' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Last 7 days' }).click();
    expect(await page.getByTestId('cost-spend').getByTestId('metric-value').textContent()).toBe('$0.0625');
  });

  it('puts the Overview sparklines on the day the usage was spent', async () => {
    await page.goto(`${stack.base}/dashboard/#/`);
    const spark = page.getByTestId('metric-tokens').locator('svg');
    await expect.poll(() => spark.getAttribute('aria-label')).toMatch(/: (0, ){13}4750$/);
    expect(await page.getByTestId('metric-cost').locator('svg').getAttribute('aria-label')).toMatch(
      /: (0\.0000, ){13}0\.0625$/,
    );
  });

  // Last: this session's turn changes the totals the tests above assert.
  it('marks a session stopped by its budget as exceeded, in the top sessions and on its page', async () => {
    const r = await stack.call<{ session: { id: string } }>('POST', '/v1/sessions', {
      workDir: stack.workDir('cost-over'),
      name: 'cost-over',
      budget: { maxCostUsd: 0.05 },
      prompt: script(
        { say: 'working' },
        { usage: { used: 10, size: 100, cost: 0.06 } },
        { say: 'never said', chunks: 1 },
        { waitForCancel: true },
      ),
      reuse: false,
    });
    await stack.waitStatus(r.session.id, 'error');
    await page.goto(`${stack.base}/dashboard/#/cost`);
    const top = page.getByTestId('top-sessions');
    await top.getByRole('link', { name: 'cost-over' }).waitFor();
    expect((await rowsOf('top-sessions'))[0]).toEqual(['cost-over', '1', '0', '$0.0600', 'exceeded']);
    expect(await page.getByTestId('cost-spend').getByTestId('metric-value').textContent()).toBe('$0.1225');

    await top.getByRole('link', { name: 'cost-over' }).click();
    const budget = page.getByTestId('budget-state');
    await budget.waitFor();
    expect(await budget.getByTestId('budget-badge').textContent()).toBe('exceeded');
    expect(await budget.getByTestId('budget-maxCostUsd').getAttribute('data-state')).toBe('exceeded');
    await budget.getByText('Stopped by its budget').waitFor();
  });
});
