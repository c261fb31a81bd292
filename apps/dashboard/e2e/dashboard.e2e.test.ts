/**
 * The dashboard in a real browser (Debian chromium via playwright-core) against a real Aegis server
 * running the scripted ACP agent. The built dashboard (dist/) is served by `dashboardRoutes` on a
 * front Hono app that also forwards /v1/* to the API server: same origin, as when the server itself
 * serves /dashboard/. Screenshots go to <repo>/test-artifacts/dashboard/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, '..');
const repo = join(appDir, '../..');
const shots = join(repo, 'test-artifacts/dashboard');
const agentBin = join(repo, 'packages/testkit/dist/scripted-agent/bin.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface RunningServer {
  url: string;
  close(): Promise<void>;
}
type StartServer = (o: unknown) => Promise<RunningServer>;
type DashboardRoutes = (o: { assetsDir: string }) => Hono;

/** The upstream body, ending quietly instead of erroring when the upstream fetch is aborted. */
function quiet(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream({
    async pull(ctrl) {
      try {
        const { done, value } = await reader.read();
        if (done) ctrl.close();
        else ctrl.enqueue(value);
      } catch {
        ctrl.close();
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  });
}

const script = (...steps: unknown[]) => `script:${JSON.stringify(steps)}`;

let tmp: string;
let api: RunningServer;
let front: ReturnType<typeof serve>;
let base: string;
let ctx: BrowserContext;
let page: Page;

async function shot(name: string, p: Page = page) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(join(appDir, 'dist/index.html'))) throw new Error('Build the dashboard first: pnpm build');
  if (!existsSync(agentBin)) throw new Error(`Build @aegis/testkit first: ${agentBin} is missing`);
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'aegis-dash-e2e-'));
  for (const d of ['approve', 'reject', 'interrupt', 'long'])
    mkdirSync(join(tmp, 'work', d), { recursive: true });

  const { startServer } = (await import(pathToFileURL(join(repo, 'packages/server/dist/index.js')).href)) as {
    startServer: StartServer;
  };
  const { dashboardRoutes } = (await import(
    pathToFileURL(join(repo, 'packages/server/dist/dashboard.js')).href
  )) as {
    dashboardRoutes: DashboardRoutes;
  };
  api = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [tmp],
      logLevel: 'warn',
      agents: { scripted: { command: process.execPath, args: [agentBin] } },
      defaultAgent: 'scripted',
    },
  });

  const app = new Hono();
  app.all('/v1/*', async (c) => {
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    let res: Response;
    try {
      res = await fetch(api.url + url.pathname + url.search, {
        method: c.req.method,
        headers,
        body: hasBody ? await c.req.arrayBuffer() : null,
        signal: c.req.raw.signal,
      });
    } catch {
      return new Response(null, { status: 502 }); // the browser went away (e.g. closed an SSE stream)
    }
    const out = new Headers(res.headers);
    out.delete('content-encoding');
    out.delete('content-length');
    return new Response(quiet(res.body), { status: res.status, headers: out });
  });
  app.route('/', dashboardRoutes({ assetsDir: join(appDir, 'dist') }));
  front = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => front.once('listening', () => r()));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  ctx = await chromium.launchPersistentContext(join(tmp, 'chrome-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await ctx?.close().catch(() => {});
  await new Promise<void>((r) => (front ? front.close(() => r()) : r()));
  await api?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function createFromForm(workDir: string, prompt: string, name: string): Promise<string> {
  await page.goto(`${base}/dashboard/#/sessions`);
  const form = page.getByRole('form', { name: 'Create a session' });
  await form.getByLabel('Working directory').fill(workDir);
  await form.getByLabel('Name (optional)').fill(name);
  await form.getByLabel('Permission mode').selectOption('default');
  await form.getByLabel('Prompt (optional)').fill(prompt);
  await form.getByRole('button', { name: 'Start session' }).click();
  await page.waitForURL(/#\/sessions\/[^/]+$/);
  await expect.poll(() => page.locator('h1').textContent()).toBe(name);
  return decodeURIComponent(new URL(page.url()).hash.replace('#/sessions/', ''));
}

const toast = (text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text });

describe('dashboard in chromium against a real server', () => {
  it('serves the SPA at /dashboard/ (redirect from /, SPA fallback) and shows empty states', async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.ok()).toBe(true);
    expect(page.url()).toBe(`${base}/dashboard/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    await page.getByText('Nothing is waiting for you.').waitFor();
    await page.getByText('No sessions yet.').waitFor();
    // Landmarks
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    await shot('01-overview-empty');
    // A deep link that is not a file falls back to index.html.
    const deep = await page.request.get(`${base}/dashboard/some/client/route`);
    expect(deep.status()).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect((await page.request.get(`${base}/dashboard/assets/missing.js`)).status()).toBe(404);
  });

  it('keyboard: ? opens the shortcut help, g s goes to Sessions, g o back to Overview', async () => {
    await page.locator('body').click();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await shot('02-shortcut-help');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.waitForURL(/#\/sessions$/);
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    await page.waitForURL(/#\/$/);
  });

  it('creates a session from the form, streams its text, and Approve completes the tool call', async () => {
    const dir = join(tmp, 'work', 'approve');
    const id = await createFromForm(
      dir,
      script(
        { say: 'Hello from the scripted agent, streaming in chunks.', chunks: 6 },
        { plan: [{ content: 'Write hello.txt', priority: 'high', status: 'in_progress' }] },
        {
          tool: {
            title: 'Write hello.txt',
            kind: 'edit',
            permission: true,
            diff: { path: 'hello.txt', oldText: 'old line\nkept\n', newText: 'new line\nkept\nadded\n' },
            write: { path: 'hello.txt', content: 'new line\nkept\nadded\n' },
            output: 'wrote hello.txt',
          },
        },
        { usage: { used: 1200, size: 200000, cost: 0.0123 } },
        { say: 'All done.' },
      ),
      'approve-me',
    );
    expect(id).toBeTruthy();
    await page
      .getByTestId('assistant-text')
      .filter({ hasText: 'Hello from the scripted agent, streaming in chunks.' })
      .waitFor();
    const panel = page.getByRole('alertdialog', { name: /Permission requested/ });
    await panel.waitFor();
    await panel.getByText('Write hello.txt').waitFor();
    // The diff is rendered as a diff: one removed and two added lines.
    expect(await panel.locator('.diff-del').count()).toBe(1);
    expect(await panel.locator('.diff-add').count()).toBe(2);
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);
    await shot('03-session-permission');

    await panel.getByRole('button', { name: 'Approve', exact: true }).click();
    await toast('Approved').waitFor();
    await panel.waitFor({ state: 'hidden' });
    await page
      .locator('[data-testid="tool-call"][data-status="completed"]')
      .filter({ hasText: 'Write hello.txt' })
      .waitFor();
    await page.getByTestId('assistant-text').filter({ hasText: 'All done.' }).waitFor();
    await page.locator('[data-testid="permission-entry"][data-verdict="allowed"]').waitFor();
    await page.locator('.detail-head .badge[data-status="idle"]').waitFor();
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('new line\nkept\nadded\n');
    // The completed tool still shows its diff, and the side panel shows usage.
    expect(await page.locator('[data-testid="tool-call"] .diff').count()).toBeGreaterThan(0);
    await page.getByRole('complementary', { name: 'Session details' }).getByText('$0.0123').waitFor();
    await shot('04-session-approved');

    // A follow-up from the send box.
    await page.getByLabel('Message').fill('thanks');
    await page.getByLabel('Message').press('Enter');
    await page.getByTestId('assistant-text').filter({ hasText: 'You said: thanks' }).waitFor();
  });

  it('Reject on another session fails the tool call and writes nothing', async () => {
    const dir = join(tmp, 'work', 'reject');
    await createFromForm(
      dir,
      script(
        { say: 'I would like to delete things.' },
        {
          tool: {
            title: 'Write secrets.txt',
            kind: 'edit',
            permission: true,
            diff: { path: 'secrets.txt', newText: 'nope\n' },
            write: { path: 'secrets.txt', content: 'nope\n' },
          },
        },
        { say: 'Understood, I will not.' },
      ),
      'reject-me',
    );
    const panel = page.getByRole('alertdialog', { name: /Permission requested/ });
    await panel.getByText('Write secrets.txt').waitFor();
    await panel.getByRole('button', { name: 'Reject' }).click();
    await toast('Rejected').waitFor();
    await page
      .locator('[data-testid="tool-call"][data-status="failed"]')
      .filter({ hasText: 'Write secrets.txt' })
      .waitFor();
    await page.locator('[data-testid="permission-entry"][data-verdict="rejected"]').waitFor();
    await page.getByTestId('assistant-text').filter({ hasText: 'Understood, I will not.' }).waitFor();
    expect(existsSync(join(dir, 'secrets.txt'))).toBe(false);
    await shot('05-session-rejected');
  });

  it('Interrupt cancels a running turn; Kill (with confirm) ends the session', async () => {
    const dir = join(tmp, 'work', 'interrupt');
    await createFromForm(
      dir,
      script({ say: 'Working on something long…' }, { waitForCancel: true }),
      'interrupt-me',
    );
    await page.getByTestId('assistant-text').filter({ hasText: 'Working on something long' }).waitFor();
    await page.locator('.detail-head .badge[data-status="working"]').waitFor();
    await page.getByRole('button', { name: 'Interrupt' }).click();
    await toast('Turn interrupted').waitFor();
    await page.getByText('Turn interrupted', { exact: true }).first().waitFor();
    await page.locator('.detail-head .badge[data-status="idle"]').waitFor();
    await shot('06-session-interrupted');

    await page.getByRole('button', { name: 'Kill' }).click();
    await page.getByRole('button', { name: 'Confirm kill' }).click();
    await toast('Session killed').waitFor();
    await page.locator('.detail-head .badge[data-status="killed"]').waitFor();
    expect(await page.getByLabel('Message').isDisabled()).toBe(true);
  });

  it('Sessions table filters by workDir text and state, and exports CSV', async () => {
    await page.goto(`${base}/dashboard/#/sessions`);
    const rows = page.locator('table.table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await shot('07-sessions');
    await page.getByRole('searchbox', { name: 'Search' }).fill('work/reject');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByLabel('State').selectOption('killed');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('interrupt-me');
    await page.getByLabel('State').selectOption('all');
    await page.getByRole('searchbox', { name: 'Search' }).fill('no-such-dir');
    await page.getByText('No session matches these filters.').waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await expect.poll(() => rows.count()).toBe(3);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^id,name,status,workDir,/);
    expect(csv).toHaveLength(4);
    expect(csv.join('\n')).toContain('approve-me');
  });

  it('Overview counts sessions by state; pages render at phone width and in dark mode', async () => {
    await page.goto(`${base}/dashboard/#/`);
    await page.getByRole('heading', { name: 'Sessions by state' }).waitFor();
    await page.locator('.state-bars li').first().waitFor();
    await expect.poll(() => page.locator('.state-bars').textContent()).toContain('killed');
    await shot('08-overview');

    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(15, 17, 21)');
    await shot('09-overview-dark');
    await page.goto(`${base}/dashboard/#/sessions`);
    await page.locator('table.table tbody tr').first().waitFor();
    await shot('10-sessions-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const phone = await ctx.newPage();
    phone.setDefaultTimeout(15_000);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/dashboard/#/sessions`);
    await phone.locator('table.table tbody tr').first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('11-sessions-phone', phone);
    await phone.locator('table.table a.row-link', { hasText: 'approve-me' }).click();
    await phone.getByTestId('assistant-text').filter({ hasText: 'All done.' }).waitFor();
    const overflow2 = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow2).toBeLessThanOrEqual(0);
    await shot('12-session-phone', phone);
    await phone.close();
  });

  it('a long transcript (2,500 tool calls, 7,500+ events) stays windowed: few rows in the DOM, scrolls end to end', async () => {
    const dir = join(tmp, 'work', 'long');
    await createFromForm(
      dir,
      script({ say: 'Reading many files.' }, { tools: 2500 }, { say: 'Finished the long run.' }),
      'long-run',
    );
    await page
      .getByTestId('assistant-text')
      .filter({ hasText: 'Finished the long run.' })
      .waitFor({ timeout: 45_000 });
    const rows = await page.locator('.vrow').count();
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(150);
    // Scroll to the very top: the first entries render, the last ones leave the DOM.
    const list = page.getByRole('region', { name: 'Transcript entries' });
    await list.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.getByTestId('assistant-text').filter({ hasText: 'Reading many files.' }).waitFor();
    expect(
      await page.getByTestId('assistant-text').filter({ hasText: 'Finished the long run.' }).count(),
    ).toBe(0);
    expect(await page.locator('.vrow').count()).toBeLessThan(150);
    await page.getByRole('button', { name: '↓ Latest' }).click();
    await page.getByTestId('assistant-text').filter({ hasText: 'Finished the long run.' }).waitFor();
    await shot('13-session-long');
  });
});
