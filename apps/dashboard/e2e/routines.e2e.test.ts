/**
 * The Routines page in Chromium against a real server (the scripted agent): the calendar shows the
 * next fires and a past run that links to its session; the form previews fire times and creates;
 * pause, resume and run now act on the server.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, type Stack, shots, startStack } from './harness.js';

let stack: Stack;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  ctx = await stack.browser.newContext({ viewport: DESKTOP });
  page = await ctx.newPage();
});
afterAll(async () => {
  await ctx?.close();
  await stack?.close();
});

interface Routine {
  id: string;
  enabled: boolean;
}
interface RunList {
  runs: { sessionId: string | null }[];
}

describe('Routines page', () => {
  it('shows upcoming fires and a past run linking to its session; pause, resume and run now work', async () => {
    const r = await stack.call<Routine>('POST', '/v1/routines', {
      name: 'hourly-check',
      schedule: 'every 1h',
      target: { session: { workDir: stack.workDir('routine-a'), prompt: 'hi' } },
    });
    const run = await stack.call<{ sessionId: string }>('POST', `/v1/routines/${r.id}/run`);
    await page.goto(`${stack.base}/dashboard/#/routines`);
    await page.getByRole('heading', { name: 'Routines', level: 1 }).waitFor();
    await page.getByTestId('routine-row').first().waitFor();
    const calendar = page.getByTestId('routine-calendar');
    await calendar.getByTestId('calendar-upcoming').first().waitFor();
    expect(await calendar.getByTestId('calendar-upcoming').count()).toBeGreaterThan(0);
    const past = calendar.locator(`a[href="#/sessions/${run.sessionId}"]`);
    await past.waitFor();
    await page.getByRole('button', { name: 'Week' }).click();
    expect(await page.locator('.routine-cal-day').count()).toBe(7);
    await page.screenshot({ path: join(shots, 'routines-desktop.png'), fullPage: true });
    await past.click();
    await page.waitForURL(`**/#/sessions/${run.sessionId}`);

    await page.goto(`${stack.base}/dashboard/#/routines`);
    const row = page.getByTestId('routine-row').filter({ hasText: 'hourly-check' });
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    expect((await stack.call<Routine>('GET', `/v1/routines/${r.id}`)).enabled).toBe(false);
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByRole('button', { name: 'Pause' }).waitFor();
    await row.getByRole('button', { name: 'Run now' }).click();
    for (const deadline = Date.now() + 15_000; ; ) {
      const { runs } = await stack.call<RunList>('GET', `/v1/routines/${r.id}/runs`);
      if (runs.length === 2) break;
      if (Date.now() > deadline) throw new Error('run now did not record a second run');
      await page.waitForTimeout(100);
    }
  });

  it('previews the next fire times while typing, says what is wrong with a bad schedule, and creates', async () => {
    await page.goto(`${stack.base}/dashboard/#/routines`);
    await page.getByText('New routine').click();
    const form = page.getByTestId('routine-form');
    await form.getByLabel('Name', { exact: true }).fill('weekday-review');
    await form.getByLabel('Schedule', { exact: true }).fill('0 9 * * 1-5');
    await form.getByLabel('Time zone').fill('Europe/Rome');
    const preview = page.getByTestId('routine-preview');
    await preview.locator('li').nth(9).waitFor();
    expect(await preview.locator('li').count()).toBe(10);
    await form.getByLabel('Schedule', { exact: true }).fill('0 25 * * *');
    await preview.getByText(/Invalid value for hour: 25/).waitFor();
    await form.getByLabel('Schedule', { exact: true }).fill('0 9 * * 1-5');
    await form.getByLabel('Work directory').fill(stack.workDir('routine-b'));
    await form.getByLabel('Prompt', { exact: true }).fill('review open PRs');
    await form.getByRole('button', { name: 'Create routine' }).click();
    await page.getByTestId('routine-row').filter({ hasText: 'weekday-review' }).waitFor();
    const { routines } = await stack.call<{ routines: { name: string; timezone: string }[] }>(
      'GET',
      '/v1/routines',
    );
    expect(routines.find((x) => x.name === 'weekday-review')?.timezone).toBe('Europe/Rome');
  });
});
