/**
 * Issue 21 items 9 and 11 in Chromium at 1400×900 and 390×844, against a real server and real agent
 * processes (the scripted agent; an agent announcing 121 slash commands, one with a 480-character
 * unbroken word in its description): the composer stays in view, commands are collapsed behind a filter, no page
 * is wider than the viewport, every nav item is on screen, focus after a decision, the live
 * indicator when the server is down, the Health panel's words, toasts, errors said once, ended
 * sessions' controls, and the audit log's timestamps and details.
 */
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, type Stack, script, shots, startStack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

interface Created {
  session: { id: string };
}
async function createSession(name: string, prompt: string, agent = 'scripted'): Promise<string> {
  const { session } = await stack.call<Created>('POST', '/v1/sessions', {
    workDir: stack.workDir(name),
    name,
    agent,
    prompt,
    reuse: false,
  });
  return session.id;
}

async function newPage(viewport: {
  width: number;
  height: number;
}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await stack.browser.newContext({ viewport, colorScheme: 'light', locale: 'en-US' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return { ctx, page };
}

/** How much wider than the viewport the page is (0 = no sideways scroll). */
const overflowX = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Whether `l` is wholly inside the viewport and is what a tap at its centre would hit. */
async function onScreen(p: Page, l: Locator): Promise<boolean> {
  const box = await l.boundingBox();
  if (!box) return false;
  const vp = p.viewportSize()!;
  if (box.x < 0 || box.y < 0 || box.x + box.width > vp.width || box.y + box.height > vp.height) return false;
  return l.evaluate(
    (el, { x, y }) => {
      const hit = document.elementFromPoint(x, y);
      return !!hit && (hit === el || el.contains(hit));
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
}

const LONG_WORD = `unbroken${'x'.repeat(600)}`;

describe.each([
  ['desktop 1400×900', DESKTOP],
  ['phone 390×844', PHONE],
])('at %s', (label, viewport) => {
  let ctx: BrowserContext;
  let page: Page;
  let id: string;
  const tag = label.split(' ')[0];
  beforeAll(async () => {
    ({ ctx, page } = await newPage(viewport));
    id = await createSession(`cmds-${tag}`, script({ say: `A long word: ${LONG_WORD}` }), 'many-commands');
    await stack.waitStatus(id, 'idle');
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('session page: commands collapsed behind a toggle with a filter, long text wraps, the composer is in view after sending, Kill reachable', async () => {
    await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
    await page.getByTestId('assistant-text').filter({ hasText: 'A long word' }).waitFor();
    const side = page.getByRole('complementary', { name: 'Session details' });
    await side.getByTestId('health').waitFor();
    expect(await overflowX(page)).toBe(0);
    const message = page.getByLabel('Message');
    expect(await onScreen(page, message)).toBe(true);

    const toggle = side.getByRole('button', { name: /Slash commands \(121\)/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await side.getByText('/cmd-050').count()).toBe(0);

    await message.fill('follow-up one');
    await message.press('Enter');
    await page.getByTestId('assistant-text').filter({ hasText: 'You said: follow-up one' }).waitFor();
    expect(await onScreen(page, message)).toBe(true);
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await message.inputValue()).toBe('');

    const kill = page.getByRole('button', { name: 'Kill' });
    if (!(await onScreen(page, kill))) await kill.scrollIntoViewIfNeeded();
    expect(await onScreen(page, kill)).toBe(true);
    await shot(page, `layout-session-${tag}`);

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await side.locator('.cmds li').count()).toBe(121);
    await side.getByRole('searchbox', { name: 'Filter commands' }).fill('/cmd-05');
    await expect.poll(() => side.locator('.cmds li').count()).toBe(10);
    await side.getByRole('searchbox', { name: 'Filter commands' }).fill('long-named');
    await expect.poll(() => side.locator('.cmds li').count()).toBe(1);
    const li = side.locator('.cmds li').first();
    expect(await li.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await overflowX(page)).toBe(0);
    await side.getByRole('searchbox', { name: 'Filter commands' }).fill('nothing like this');
    await side.getByText('No command matches').waitFor();
    // With the list open, the composer is still where it was: under the transcript, in view.
    await message.fill('follow-up two');
    await message.press('Enter');
    await page.getByTestId('assistant-text').filter({ hasText: 'You said: follow-up two' }).waitFor();
    expect(await onScreen(page, message)).toBe(true);
  });

  it('no page is wider than the viewport', async () => {
    for (const route of [
      '',
      'sessions',
      `sessions/${id}`,
      'pipelines',
      'cost',
      'audit',
      'keys',
      'nodes',
      'no-such-page',
    ]) {
      await page.goto(`${stack.base}/dashboard/#/${route}`);
      if (route === 'no-such-page') await page.getByText('Page not found').waitFor();
      else await page.getByRole('heading', { level: 1 }).first().waitFor();
      // Measured once the page has its data, not while it still says "Loading…".
      await expect
        .poll(() =>
          page
            .locator('main')
            .getByText(/^Loading/)
            .count(),
        )
        .toBe(0);
      expect({ route, overflow: await overflowX(page) }).toEqual({ route, overflow: 0 });
    }
  });

  it('every nav item is on screen and goes to its page', async () => {
    await page.goto(`${stack.base}/dashboard/#/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = nav.getByRole('link');
    expect(await links.count()).toBe(7);
    for (const [name, hash, h1] of [
      ['Overview', '#/', 'Overview'],
      ['Sessions', '#/sessions', 'Sessions'],
      ['Pipelines', '#/pipelines', 'Pipelines'],
      ['Routines', '#/routines', 'Routines'],
      ['Cost', '#/cost', 'Cost'],
      ['Audit', '#/audit', 'Audit log'],
      ['API keys', '#/keys', 'API keys'],
    ] as const) {
      const link = nav.getByRole('link', { name, exact: true });
      expect({ name, onScreen: await onScreen(page, link) }).toEqual({ name, onScreen: true });
      await link.click();
      await page.waitForURL((u) => u.hash === hash);
      await page.getByRole('heading', { level: 1, name: h1 }).waitFor();
    }
    await shot(page, `layout-nav-${tag}`);
  });
});

describe('the session page at 1400×900', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ ctx, page } = await newPage(DESKTOP));
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const edit = (path: string) => ({
    title: `Write ${path}`,
    kind: 'edit',
    permission: true,
    write: { path, content: 'x\n' },
  });

  it('keeps keyboard focus after Approve (next request) and Reject (the composer), never <body>', async () => {
    const id = await createSession(
      'focus',
      script({ parallel: [edit('one.txt'), edit('two.txt')] }, { say: 'both answered' }),
    );
    await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
    const panel = page.getByRole('alertdialog', { name: /Permission requested/ });
    await panel.getByText(/Write (one|two)\.txt/).waitFor();
    const first = await panel.locator('.perm-what').textContent();
    await panel.getByRole('button', { name: 'Approve', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.locator('.perm-what').textContent()).not.toBe(first);
    await expect
      .poll(() =>
        page.evaluate(() => document.activeElement?.getAttribute('role') ?? document.activeElement?.tagName),
      )
      .toBe('alertdialog');
    // Keyboard only: Tab from the panel reaches its buttons.
    await panel.getByRole('button', { name: 'Reject' }).focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('send-text');
    await page.getByTestId('assistant-text').filter({ hasText: 'both answered' }).waitFor();
  });

  it('Health says what is going on in words, not REST calls', async () => {
    const id = await createSession('health', script({ tool: edit('h.txt') }));
    await stack.waitStatus(id, 'permission_prompt');
    await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
    const health = page.getByTestId('health-text');
    await expect.poll(() => health.textContent()).toMatch(/approve or reject the request above/);
    const insights = await page.getByTestId('insights').textContent();
    expect(insights).not.toMatch(/\/v1\/|POST |GET /);
    await stack.call('POST', `/v1/sessions/${id}/reject`, {});
    await stack.waitStatus(id, 'idle');
    await expect.poll(() => health.textContent(), { timeout: 15_000 }).toMatch(/Ready for the next prompt/);
  });

  it('the live indicator turns red and says offline while the server is unreachable, and live again after', async () => {
    const id = await createSession('live', 'hello');
    await stack.waitStatus(id, 'idle');
    await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
    const live = page.getByTestId('live');
    await expect.poll(() => live.textContent()).toBe('live');
    expect(await live.getAttribute('class')).toContain('on');
    stack.setDown(true);
    try {
      await expect.poll(() => live.textContent(), { timeout: 15_000 }).toMatch(/^offline/);
      expect(await live.getAttribute('class')).toContain('off');
      expect(await live.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(192, 38, 45)'); // --bad
      await shot(page, 'layout-live-offline');
    } finally {
      stack.setDown(false);
    }
    await expect.poll(() => live.textContent(), { timeout: 20_000 }).toBe('live');
  });

  it('an ended session: the mode selector and Interrupt are disabled; Interrupt only while a turn runs', async () => {
    const id = await createSession('ended', script({ waitForCancel: true }));
    await stack.waitStatus(id, 'working');
    await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
    const mode = page.getByLabel('Permission mode');
    const interrupt = page.getByRole('button', { name: 'Interrupt' });
    await expect.poll(() => interrupt.isEnabled()).toBe(true);
    expect(await mode.isEnabled()).toBe(true);
    await interrupt.click();
    await page.locator('.detail-head .badge[data-status="idle"]').waitFor();
    await expect.poll(() => interrupt.isEnabled()).toBe(false);
    expect(await mode.isEnabled()).toBe(true);
    const kill = page.getByRole('button', { name: 'Kill' });
    await kill.click();
    await page.getByRole('button', { name: 'Confirm kill' }).click();
    await page.locator('.detail-head .badge[data-status="killed"]').waitFor();
    await expect.poll(() => mode.isEnabled()).toBe(false);
    expect(await interrupt.isEnabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Kill' }).isEnabled()).toBe(false);
    // A reload (state from the server, not from the click) shows the same.
    await page.reload();
    await page.locator('.detail-head .badge[data-status="killed"]').waitFor();
    expect(await page.getByLabel('Permission mode').isEnabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Interrupt' }).isEnabled()).toBe(false);
  });

  it('a failed create is said once, in the form, not again in a toast', async () => {
    await page.goto(`${stack.base}/dashboard/#/sessions`);
    const form = page.getByRole('form', { name: 'Create a session' });
    await form.getByLabel('Working directory').fill('/definitely/not/allowed');
    await form.getByRole('button', { name: 'Start session' }).click();
    const alert = form.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/WORKDIR_DENIED|not allowed|outside/);
    const text = (await alert.textContent())!;
    await page.waitForTimeout(500);
    expect(await page.getByTestId('toast').count()).toBe(0);
    expect(await page.getByText(text, { exact: true }).count()).toBe(1);
  });

  it('audit log: timestamps as 12/04/2026, 18:42:19 (en-US, 24-hour), details as key/value lines', async () => {
    await page.goto(`${stack.base}/dashboard/#/audit`);
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    const times = await rows.locator('td:nth-child(2)').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d$/);
    const details = page.getByTestId('audit-details').first();
    await details.waitFor();
    expect(await details.locator('dt').count()).toBeGreaterThan(0);
    const cells = await page.locator('[data-testid="audit-row"] td:last-child').allTextContents();
    for (const c of cells) expect(c.trim()).not.toMatch(/^[[{]"/);
    await shot(page, 'layout-audit');
  });
});

describe('toasts at 390×844', () => {
  it('are capped at three, repeat as ×n instead of stacking, stay off the composer, and go by themselves', async () => {
    const { ctx, page } = await newPage(PHONE);
    try {
      const id = await createSession('toasts', 'hi');
      await stack.waitStatus(id, 'idle');
      await page.goto(`${stack.base}/dashboard/#/sessions/${id}`);
      const message = page.getByLabel('Message');
      await page.getByTestId('assistant-text').filter({ hasText: 'You said: hi' }).waitFor();
      const toasts = page.getByTestId('toast');
      let most = 0;
      for (let i = 0; i < 6; i++) {
        await message.fill(`quick ${i}`);
        await message.press('Enter');
        await expect.poll(() => message.inputValue()).toBe('');
        most = Math.max(most, await toasts.count());
      }
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(3);
      expect(await toasts.count()).toBeLessThanOrEqual(3);
      // Six sends, at most three toasts, and the repeated words counted rather than stacked.
      const texts = await toasts.allTextContents();
      expect(new Set(texts).size).toBe(texts.length);
      const composer = (await page.locator('.sendbox').boundingBox())!;
      for (const box of await Promise.all((await toasts.all()).map((t) => t.boundingBox()))) {
        if (!box) continue;
        const overlaps = box.y < composer.y + composer.height && composer.y < box.y + box.height;
        expect(overlaps).toBe(false);
      }
      expect(await onScreen(page, message)).toBe(true);
      await shot(page, 'layout-toasts-phone');
      await expect.poll(() => toasts.count(), { timeout: 12_000 }).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});

async function shot(p: Page, name: string) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
