/**
 * The dashboard in a real browser (Debian chromium via playwright-core) against a real Aegis server
 * running the scripted ACP agent. The built dashboard (dist/) is served by `dashboardRoutes` on a
 * front Hono app that also forwards /v1/* to the API server: same origin, as when the server itself
 * serves /dashboard/. Screenshots go to <repo>/test-artifacts/dashboard/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentBin, appDir, CHROMIUM, CHROMIUM_FLAGS, quiet, repo, shots } from './harness.js';

const FLAGS = ['--headless', ...CHROMIUM_FLAGS];

interface RunningServer {
  url: string;
  close(): Promise<void>;
}
type StartServer = (o: unknown) => Promise<RunningServer>;
type DashboardRoutes = (o: { assetsDir: string }) => Hono;

const ADMIN_TOKEN = 'e2e-bootstrap-admin-token-0123456789';

const script = (...steps: unknown[]) => `script:${JSON.stringify(steps)}`;

let tmp: string;
let api: RunningServer;
let front: ReturnType<typeof serve>;
let base: string;
let ctx: BrowserContext;
let page: Page;
const requestUrls: string[] = [];
/** The upstream requests of the event streams the proxy is carrying now (abort one to drop it). */
const liveStreams = new Set<AbortController>();
/** The proxy answers this many of the next event-stream requests 502, as while a server restarts. */
let failNextStreams = 0;
/** The proxy answers this many of the next event-stream requests 403: an error the stream ends on. */
let refuseNextStreams = 0;

async function shot(name: string, p: Page = page) {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(join(appDir, 'dist/index.html'))) throw new Error('Build the dashboard first: pnpm build');
  if (!existsSync(agentBin)) throw new Error(`Build @aegis/testkit first: ${agentBin} is missing`);
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'aegis-dash-e2e-'));
  for (const d of [
    'approve',
    'reject',
    'interrupt',
    'long',
    'resume',
    'modes',
    'ask',
    'stage-a',
    'stage-b',
    'template',
    'execute',
  ])
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
      // Auth on: a bootstrap admin token (AEGIS_AUTH_TOKEN); the dashboard signs in with it.
      authToken: ADMIN_TOKEN,
    },
  });

  const app = new Hono();
  app.all('/v1/*', async (c) => {
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    // Same origin as when the server serves /dashboard/ itself: the server refuses cross-site
    // browser requests on mutating routes, and this proxy stands in for that one origin.
    if (headers.has('origin')) headers.set('origin', new URL(api.url).origin);
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    const isStream = url.pathname.endsWith('/events');
    if (isStream && failNextStreams > 0) {
      failNextStreams--;
      return new Response('upstream restarting', { status: 502 });
    }
    if (isStream && refuseNextStreams > 0) {
      refuseNextStreams--;
      return Response.json(
        { error: { code: 'FORBIDDEN', message: 'This key may not read this session' } },
        { status: 403 },
      );
    }
    const upstream = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => upstream.abort());
    if (isStream) liveStreams.add(upstream);
    upstream.signal.addEventListener('abort', () => liveStreams.delete(upstream));
    let res: Response;
    try {
      res = await fetch(api.url + url.pathname + url.search, {
        method: c.req.method,
        headers,
        body: hasBody ? await c.req.arrayBuffer() : null,
        signal: upstream.signal,
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
  ctx.on('request', (r) => requestUrls.push(r.url()));
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

/** Signs in through the form a 401 brings up (the key lives in this tab's sessionStorage). */
async function login(p: Page, key = ADMIN_TOKEN) {
  const form = p.getByRole('form', { name: 'API key required' });
  await form.waitFor();
  await form.getByLabel('API key').fill(key);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await form.waitFor({ state: 'hidden' });
}

const toast = (text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text });

describe('dashboard in chromium against a real server', () => {
  it('serves the SPA at /dashboard/ (redirect from /, SPA fallback) and shows empty states', async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.ok()).toBe(true);
    expect(page.url()).toBe(`${base}/dashboard/`);
    // Auth is on: the API answers 401 and the page asks for a key. A wrong key is refused, clearly.
    await shot('00-login');
    const form = page.getByRole('form', { name: 'API key required' });
    await form.getByLabel('API key').fill('not-a-real-key');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => form.getByTestId('login-error').textContent()).toMatch(/^Key rejected/);
    expect(await page.evaluate(() => sessionStorage.getItem('aegis.apiKey'))).toBeNull();
    await login(page);
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
    // Ctrl+K from another page opens Sessions with the search box focused.
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.keyboard.press('Control+k');
    await page.waitForURL(/#\/sessions$/);
    const search = page.getByRole('searchbox', { name: 'Search' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('typed');
    expect(await search.inputValue()).toBe('typed');
    await search.fill('');
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
    // The workDir filter lists each distinct workDir once.
    const workDir = page.getByRole('combobox', { name: /^workDir/ });
    expect(await workDir.locator('option').count()).toBe(4); // "All workDirs" + 3
    await workDir.selectOption(join(tmp, 'work', 'interrupt'));
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('interrupt-me');
    await page.getByLabel('State').selectOption('idle');
    await page.getByText('No session matches these filters.').waitFor();
    await page.getByLabel('State').selectOption('all');
    await workDir.selectOption('');
    await expect.poll(() => rows.count()).toBe(3);
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
    // The cards show values: 4 turns started today (approve-me 2, reject-me 1, interrupt-me 1).
    const card = (id: string) => page.getByTestId(id);
    await expect.poll(() => card('metric-turns-today').getByTestId('metric-value').textContent()).toBe('4');
    expect(await card('metric-live').getByTestId('metric-value').textContent()).toBe('2');
    expect(await card('metric-cost').getByTestId('metric-value').textContent()).toBe('$0.0123');
    expect(await card('metric-tokens').getByTestId('metric-value').textContent()).toMatch(/^\d/);
    for (const id of ['metric-live', 'metric-tokens', 'metric-cost'])
      expect(await card(id).locator('svg.spark polyline').count(), id).toBe(1);
    expect(await card('metric-cost').getByRole('img').getAttribute('aria-label')).toMatch(/0\.0123$/);
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
    await login(phone); // a new tab: sessionStorage is per tab
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

  it('creates a session from a built-in template, its variable filled in', async () => {
    await page.goto(`${base}/dashboard/#/sessions`);
    const form = page.getByRole('form', { name: 'Create a session' });
    await form.getByLabel('Working directory').fill(join(tmp, 'work', 'template'));
    await form.getByLabel('Name (optional)').fill('from-template');
    await form.getByLabel('Template').selectOption('code-reviewer');
    await form.getByTestId('template-info').waitFor();
    // The template's permission mode is preselected.
    expect(await form.getByLabel('Permission mode').inputValue()).toBe('plan');
    await form.getByLabel('{{focus}}').fill('the e2e tests');
    await form.getByRole('button', { name: 'Start session' }).click();
    await page.waitForURL(/#\/sessions\/[^/]+$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('from-template');
    // The template's prompt ran, with the variable in place.
    await page.locator('.entry-user').filter({ hasText: 'Focus on the e2e tests.' }).waitFor();
    await page.getByTestId('assistant-text').filter({ hasText: 'Review the uncommitted changes' }).waitFor();
    const side = page.getByRole('complementary', { name: 'Session details' });
    await expect.poll(() => side.locator('dl.kv').first().textContent()).toContain('plan');
    await shot('28-session-from-template');
  });

  it("shows an execute tool's command and output open in the transcript", async () => {
    await createFromForm(
      join(tmp, 'work', 'execute'),
      script(
        { say: 'Listing files.' },
        {
          tool: {
            title: 'Run ls -la',
            kind: 'execute',
            input: { command: 'ls -la' },
            output: 'total 8\n-rw-r--r-- 1 me me 12 hello.txt\nexit code 0',
          },
        },
        { say: 'Listed.' },
      ),
      'execute-me',
    );
    const tool = page
      .locator('[data-testid="tool-call"][data-status="completed"]')
      .filter({ hasText: 'Run ls -la' });
    await tool.waitFor();
    const out = tool.getByTestId('command-output');
    expect(await out.getAttribute('open')).not.toBeNull();
    expect(await out.locator('summary').textContent()).toContain('ls -la');
    const text = out.locator('.term-out');
    expect(await text.isVisible()).toBe(true);
    expect(await text.textContent()).toBe('total 8\n-rw-r--r-- 1 me me 12 hello.txt\nexit code 0');
    await page.getByTestId('assistant-text').filter({ hasText: 'Listed.' }).waitFor();
    await shot('29-session-execute-output');
  });

  it('a failed event stream says so: the header stops saying live, and Reconnect brings it back', async () => {
    await page.locator('.detail-head').waitFor(); // still on execute-me, streaming
    const live = page.getByTestId('live');
    await expect.poll(() => live.textContent()).toBe('live');
    refuseNextStreams = 1;
    for (const stream of [...liveStreams]) stream.abort();
    await page.getByRole('alert').filter({ hasText: 'Live updates stopped' }).waitFor();
    expect(await live.textContent()).toBe('offline');
    expect(await live.getAttribute('class')).not.toMatch(/\bon\b/);
    await shot('30-session-stream-failed');
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(() => live.textContent()).toBe('live');
    expect(await page.getByText('Live updates stopped').count()).toBe(0);
    expect(refuseNextStreams).toBe(0);
  });

  it('a long transcript (5,000 tool calls, 15,000+ events) stays windowed: few rows in the DOM, scrolls end to end', async () => {
    const dir = join(tmp, 'work', 'long');
    const started = Date.now();
    await createFromForm(
      dir,
      script({ say: 'Reading many files.' }, { tools: 5000 }, { say: 'Finished the long run.' }),
      'long-run',
    );
    await page
      .getByTestId('assistant-text')
      .filter({ hasText: 'Finished the long run.' })
      .waitFor({ timeout: 90_000 });
    const loadedMs = Date.now() - started;
    const rows = await page.locator('.vrow').count();
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(150);
    const list = page.getByRole('region', { name: 'Transcript entries' });
    // Scroll top to bottom in 60 steps, one per frame, recording how long each frame took.
    const frames = await list.evaluate(async (el) => {
      const times: number[] = [];
      const steps = 60;
      let last = performance.now();
      for (let i = 0; i <= steps; i++) {
        el.scrollTop = ((el.scrollHeight - el.clientHeight) * (steps - i)) / steps;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });
    const sorted = [...frames].sort((a, b) => a - b);
    console.log(
      `[figures] transcript of 5,000 tool calls: streamed and rendered in ${(loadedMs / 1000).toFixed(1)} s; ` +
        `${rows} rows in the DOM; scrolling end to end in ${frames.length} frames: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, ` +
        `max ${sorted.at(-1)!.toFixed(1)} ms per frame`,
    );
    // At the very top: the first entries render, the last ones have left the DOM.
    await page.getByTestId('assistant-text').filter({ hasText: 'Reading many files.' }).waitFor();
    expect(
      await page.getByTestId('assistant-text').filter({ hasText: 'Finished the long run.' }).count(),
    ).toBe(0);
    expect(await page.locator('.vrow').count()).toBeLessThan(150);
    expect(await page.locator('[data-testid="tool-call"]').count()).toBeLessThan(150);
    await page.getByRole('button', { name: '↓ Latest' }).click();
    await page.getByTestId('assistant-text').filter({ hasText: 'Finished the long run.' }).waitFor();
    await shot('13-session-long');
  });

  it('resumes the live transcript after its event stream drops, through two 502s, with nothing lost or repeated', async () => {
    await createFromForm(
      join(tmp, 'work', 'resume'),
      script(
        { say: 'Before the drop.' },
        { sleep: 1500 },
        { say: 'During the outage.' },
        { sleep: 1500 },
        { say: 'After the drop.' },
      ),
      'resume-me',
    );
    const said = (text: string) => page.getByTestId('assistant-text').filter({ hasText: text });
    await said('Before the drop.').waitFor();
    const streamRequests = () => requestUrls.filter((u) => /\/v1\/sessions\/[^/]+\/events/.test(u)).length;
    const before = streamRequests();
    expect(liveStreams.size).toBeGreaterThan(0);
    failNextStreams = 2;
    for (const stream of [...liveStreams]) stream.abort();
    await said('After the drop.').waitFor();
    for (const text of ['Before the drop.', 'During the outage.', 'After the drop.']) {
      expect(await said(text).count(), text).toBe(1);
    }
    expect(failNextStreams).toBe(0);
    expect(streamRequests()).toBeGreaterThanOrEqual(before + 3); // two 502s, then the resumed stream
    expect(await page.getByText('Live updates stopped').count()).toBe(0);
    await page.locator('.detail-head .badge[data-status="idle"]').waitFor();
    await shot('25-session-resumed');
  });

  it('Always allow answers with allow_always; switching the mode to acceptEdits lets the next edit run without asking', async () => {
    const dir = join(tmp, 'work', 'modes');
    const edit = (file: string) => ({
      tool: {
        title: `Write ${file}`,
        kind: 'edit',
        permission: true,
        diff: { path: file, newText: 'x\n' },
        write: { path: file, content: 'x\n' },
      },
    });
    await createFromForm(dir, script(edit('always.txt'), { say: 'First edit done.' }), 'modes');
    const panel = page.getByRole('alertdialog', { name: /Permission requested/ });
    await panel.getByText('Write always.txt').waitFor();
    await panel.getByRole('button', { name: 'Always allow' }).click();
    await toast('Always allowed').waitFor();
    await page.getByTestId('assistant-text').filter({ hasText: 'First edit done.' }).waitFor();
    await page.locator('[data-testid="permission-entry"][data-verdict="always allowed"]').waitFor();
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/sessions/', ''));
    const events = await page.request
      .get(`${base}/v1/sessions/${encodeURIComponent(id)}/transcript/cursor?role=permission`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      .then((r) => r.json());
    expect(events.messages[0].permission.optionKind).toBe('allow_always');

    await page.getByLabel('Permission mode').selectOption('acceptEdits');
    await toast('Mode set to acceptEdits').waitFor();
    await page.getByLabel('Message').fill(script(edit('quiet.txt'), { say: 'Second edit done.' }));
    await page.getByLabel('Message').press('Enter');
    await page.getByTestId('assistant-text').filter({ hasText: 'Second edit done.' }).waitFor();
    expect(existsSync(join(dir, 'quiet.txt'))).toBe(true);
    expect(await page.locator('[data-testid="permission-entry"]').count()).toBe(1);
    await shot('27-session-accept-edits');
  });

  it('answers a question from the agent with an option button; the side panel shows health, summary and latency', async () => {
    await createFromForm(
      join(tmp, 'work', 'ask'),
      script(
        { say: 'I need a decision.' },
        { ask: { question: 'Which database should I use?', header: 'DB', options: ['SQLite', 'Postgres'] } },
        { say: 'Great, moving on.' },
      ),
      'ask-me',
    );
    const q = page.getByRole('alertdialog', { name: 'The agent asks' });
    await q.getByText('Which database should I use?').waitFor();
    await page.locator('.detail-head .badge[data-status="asking"]').waitFor();
    await shot('14-session-question');
    await q.getByRole('button', { name: 'Postgres' }).click();
    await toast('Answer sent').waitFor();
    await q.waitFor({ state: 'hidden' });
    await page.getByTestId('assistant-text').filter({ hasText: 'You answered: Postgres' }).waitFor();
    await page.getByTestId('assistant-text').filter({ hasText: 'Great, moving on.' }).waitFor();
    // The question and its answer stay in the transcript.
    const asked = page.locator('[data-testid="question-entry"][data-outcome="answered"]');
    await asked.waitFor();
    expect(await asked.textContent()).toContain('Which database should I use? → Postgres');
    await page.locator('.detail-head .badge[data-status="idle"]').waitFor();
    const side = page.getByRole('complementary', { name: 'Session details' });
    await side.getByTestId('health').waitFor();
    await expect.poll(() => side.getByTestId('insights').textContent()).toMatch(/1\/1 answered/);
    await side.getByRole('rowheader', { name: 'Question wait' }).waitFor();
    expect(await side.getByTestId('session-sandbox').textContent()).toBe('not sandboxed');
    await shot('15-session-answered');
  });

  it('a sandboxed session says so in its side panel', async () => {
    const dir = join(tmp, 'work', 'confined');
    mkdirSync(dir, { recursive: true });
    const res = await fetch(`${api.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        workDir: dir,
        sandbox: { allowedHosts: ['registry.example.org'] },
        prompt: script({ say: 'inside' }),
      }),
    });
    expect(res.status).toBe(201);
    const { session } = await res.json();
    await page.goto(`${base}/dashboard/#/sessions/${encodeURIComponent(session.id)}`);
    const side = page.getByRole('complementary', { name: 'Session details' });
    await expect
      .poll(() => side.getByTestId('session-sandbox').textContent())
      .toBe('sandboxed · network model + 1 host'); // singular since the catalog's plurals
    // Ended again, so it does not count against the session cap of the tests that follow.
    await fetch(`${api.url}/v1/sessions/${encodeURIComponent(session.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await page.locator('.detail-head .badge[data-status="killed"]').waitFor();
  });

  it('runs a 2-stage pipeline from the form and shows both stages complete, linked to their sessions', async () => {
    await page.locator('body').click();
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.waitForURL(/#\/pipelines$/);
    await page.getByText('No pipelines yet.').waitFor();
    await page.getByText('New pipeline').click();
    const form = page.getByRole('form', { name: 'Create a pipeline' });
    await form.getByLabel('Pipeline name').fill('e2e-two-stages');
    await form.getByLabel('Stages (JSON)').fill('[]');
    await form.getByRole('button', { name: 'Start pipeline' }).click();
    await form.getByRole('alert').filter({ hasText: 'non-empty' }).waitFor(); // checked before the round trip
    await form.getByLabel('Stages (JSON)').fill(
      JSON.stringify([
        {
          name: 'first',
          spec: { workDir: join(tmp, 'work', 'stage-a'), prompt: script({ say: 'stage one' }) },
        },
        {
          name: 'second',
          spec: { workDir: join(tmp, 'work', 'stage-b'), prompt: script({ say: 'stage two' }) },
          dependsOn: ['first'],
        },
      ]),
    );
    await form.getByRole('button', { name: 'Start pipeline' }).click();
    await toast('Pipeline e2e-two-stages started').waitFor();
    await page.waitForURL(/#\/pipelines\/[^/]+$/);
    await page.getByRole('heading', { name: 'e2e-two-stages', level: 1 }).waitFor();
    await page.locator('[data-testid="stage"][data-stage="first"][data-status="completed"]').waitFor();
    await page.locator('[data-testid="stage"][data-stage="second"][data-status="completed"]').waitFor();
    await page.locator('.page-head .badge[data-status="completed"]').waitFor();
    // The graph puts "second" in a column after "first".
    expect(await page.locator('.stage-col').count()).toBe(2);
    await shot('16-pipeline-detail');
    await page.getByRole('link', { name: 'Open the session of stage second' }).click();
    await page.getByTestId('assistant-text').filter({ hasText: 'stage two' }).waitFor();

    await page.goto(`${base}/dashboard/#/pipelines`);
    const row = page.getByTestId('pipeline-row').filter({ hasText: 'e2e-two-stages' });
    await row.locator('.badge[data-status="completed"]').waitFor();
    expect(await row.locator('.stage-chips li[data-status="completed"]').count()).toBe(2);
    await shot('17-pipelines');
  });

  it('API keys: create (plaintext shown once, copy), the key works; revoke it and it stops; a non-admin sees the page greyed', async () => {
    await page.locator('body').click();
    await page.keyboard.press('g');
    await page.keyboard.press('k');
    await page.waitForURL(/#\/keys$/);
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Key name').fill('ci-bot');
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Create key' }).click();
    await toast('Key ci-bot created').waitFor();
    const reveal = page.getByTestId('secret');
    const secret = await reveal.getByLabel('Plaintext API key').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await reveal.getByRole('button', { name: 'Copy' }).click();
    await toast(/Copied|copy it by hand/)
      .first()
      .waitFor();
    await shot('18-keys-created');
    const ok = await page.request.get(`${base}/v1/sessions`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(ok.status()).toBe(200);
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });
    expect(await page.getByText(secret).count()).toBe(0); // shown once only

    // A viewer key in another tab: the admin pages are greyed and explain why.
    await form.getByLabel('Key name').fill('viewer-1');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create key' }).click();
    const viewerSecret = await page.getByTestId('secret').getByLabel('Plaintext API key').inputValue();
    await page.getByTestId('secret').getByRole('button', { name: 'Done' }).click();
    const viewer = await ctx.newPage();
    viewer.setDefaultTimeout(15_000);
    await viewer.goto(`${base}/dashboard/#/keys`);
    await login(viewer, viewerSecret);
    await viewer.getByText('Admins only', { exact: true }).waitFor();
    await viewer.locator('nav a.restricted', { hasText: 'API keys' }).waitFor();
    await viewer.locator('nav a.restricted', { hasText: 'Audit' }).waitFor();
    await shot('19-keys-non-admin', viewer);
    await viewer.close();

    const row = page.locator('[data-testid="key-row"][data-key="ci-bot"]');
    await row.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await row.getByRole('button', { name: 'Confirm revoke ci-bot' }).click();
    await toast('Revoked ci-bot').waitFor();
    await page.locator('[data-testid="key-row"][data-key="ci-bot"][data-status="revoked"]').waitFor();
    const denied = await page.request.get(`${base}/v1/sessions`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(denied.status()).toBe(401);
    await shot('20-keys-revoked');
  });

  it('audit log: filters, verifies the hash chain, exports CSV and NDJSON', async () => {
    await page.locator('body').click();
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.waitForURL(/#\/audit$/);
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/Chain intact: [\d,]+ records verified/);
    // Said once: in the banner, not again in a toast.
    expect(await toast(/chain/i).count()).toBe(0);
    await shot('21-audit-verified');

    const filters = page.getByRole('form', { name: 'Filter audit records' });
    await filters.getByLabel('Action').fill('revokeApiKey');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/#\/audit\?action=revokeApiKey$/);
    // One revocation, two records: the intent (written before the change) and its outcome.
    await expect.poll(() => rows.count()).toBe(2);
    for (const text of await rows.allTextContents()) expect(text).toContain('revokeApiKey');
    await filters.getByLabel('Actor').fill('nobody-at-all');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No record matches these filters.').waitFor();
    await filters.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/#\/audit$/);
    await expect.poll(() => rows.count()).toBeGreaterThan(5);

    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csvDl.suggestedFilename()).toMatch(/^aegis-audit-.*\.csv$/);
    const csv = readFileSync((await csvDl.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toMatch(/id/);
    expect(csv.length).toBeGreaterThan(5);
    // Built from the JSON pages, the file matches the server's own CSV of the same records.
    const serverCsv = (
      await page.request
        .get(`${base}/v1/audit?format=csv&limit=10000`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        .then((r) => r.text())
    ).split('\n');
    expect(serverCsv.slice(0, csv.length)).toEqual(csv);
    const [ndDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export NDJSON' }).click(),
    ]);
    const lines = readFileSync((await ndDl.path())!, 'utf8')
      .trim()
      .split('\n');
    const first = JSON.parse(lines[0]!) as { id: number; hash: string };
    expect(typeof first.hash).toBe('string');
    expect(lines.length).toBe(csv.length - 1);
  });

  it('the new pages fit a phone width', async () => {
    const phone = await ctx.newPage();
    phone.setDefaultTimeout(15_000);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/dashboard/#/pipelines`);
    await login(phone);
    for (const [hash, ready, name] of [
      ['#/', '[data-testid="metric-turns-today"]', '22-overview-phone'],
      ['#/pipelines', '[data-testid="pipeline-row"]', '22-pipelines-phone'],
      ['#/audit', '[data-testid="audit-row"]', '23-audit-phone'],
      ['#/keys', '[data-testid="key-row"]', '24-keys-phone'],
    ] as const) {
      await phone.goto(`${base}/dashboard/${hash}`);
      await phone.locator(ready).first().waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, hash).toBeLessThanOrEqual(0);
      await shot(name, phone);
    }
    await phone.close();
  });

  it('shows the error state when the API fails, and Retry recovers', async () => {
    const failing = (url: URL) => url.pathname === '/v1/sessions';
    await page.route(failing, (r) =>
      r.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'INTERNAL', message: 'database is locked' } }),
      }),
    );
    await page.goto(`${base}/dashboard/#/`);
    const alert = page.getByRole('alert').filter({ hasText: 'Something went wrong' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('database is locked (INTERNAL)');
    await shot('31-overview-error');
    await page.unroute(failing);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Sessions by state' }).waitFor();
    expect(await page.getByText('Something went wrong').count()).toBe(0);
  });

  it('theme: System follows the OS; the toggle pins Light or Dark, and the choice survives a reload', async () => {
    const LIGHT = 'rgb(246, 247, 249)';
    const DARK = 'rgb(15, 17, 21)';
    await page.goto(`${base}/dashboard/#/`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const button = page.getByRole('button', { name: /^Theme:/ });
    expect(await button.getAttribute('aria-label')).toMatch(/^Theme: System/);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bg()).toBe(DARK);
    await button.click(); // → Light, even though the OS is dark
    expect(await button.getAttribute('aria-label')).toMatch(/^Theme: Light/);
    expect(await bg()).toBe(LIGHT);
    await button.click(); // → Dark, even once the OS is light
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg()).toBe(DARK);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await bg()).toBe(DARK);
    await shot('26-overview-dark-pinned');
    await page.getByRole('button', { name: /^Theme: Dark/ }).click(); // → System: light again
    expect(await bg()).toBe(LIGHT);
  });

  it('accessibility: landmarks, one h1, every control labelled, skip link first in the tab order, on every page', async () => {
    const sessionId = decodeURIComponent(
      (
        await page.request
          .get(`${base}/v1/sessions?limit=1`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          })
          .then((r) => r.json())
      ).sessions[0].id,
    );
    for (const [hash, ready] of [
      ['#/', 'Overview'],
      ['#/sessions', 'Sessions'],
      [`#/sessions/${encodeURIComponent(sessionId)}`, null],
      ['#/pipelines', 'Pipelines'],
      ['#/audit', 'Audit log'],
      ['#/keys', 'API keys'],
    ] as const) {
      await page.goto(`${base}/dashboard/${hash}`);
      if (ready) await page.getByRole('heading', { name: ready, level: 1 }).waitFor();
      else await page.getByRole('complementary', { name: 'Session details' }).waitFor();
      expect(await page.getByRole('banner').count(), hash).toBe(1);
      expect(await page.getByRole('navigation', { name: 'Main' }).count(), hash).toBe(1);
      expect(await page.getByRole('main').count(), hash).toBe(1);
      expect(await page.getByRole('contentinfo').count(), hash).toBe(1);
      expect(await page.locator('h1').count(), hash).toBe(1);
      const unlabelled = await page.evaluate(() => {
        const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;
        const name = (el: Element) =>
          (el.getAttribute('aria-label') ?? '').trim() ||
          (el.getAttribute('aria-labelledby') ?? '')
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join('')
            .trim() ||
          (el.getAttribute('title') ?? '').trim();
        const out: string[] = [];
        for (const el of document.querySelectorAll('input, select, textarea')) {
          if (!visible(el) || (el as HTMLInputElement).type === 'hidden') continue;
          const labels = (el as HTMLInputElement).labels;
          if (!(labels && [...labels].some((l) => l.textContent?.trim())) && !name(el))
            out.push(el.outerHTML.slice(0, 120));
        }
        for (const el of document.querySelectorAll('button, a[href]')) {
          if (!visible(el)) continue;
          if (!el.textContent?.trim() && !name(el)) out.push(el.outerHTML.slice(0, 120));
        }
        return out;
      });
      expect(unlabelled, hash).toEqual([]);
      // Keyboard users land on "Skip to content" first, and it moves focus into <main>, staying on
      // the page.
      await page.reload();
      if (ready) await page.getByRole('heading', { name: ready, level: 1 }).waitFor();
      else await page.getByRole('complementary', { name: 'Session details' }).waitFor();
      const url = page.url();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim()), hash).toBe(
        'Skip to content',
      );
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id), hash).toBe('main');
      expect(page.url(), hash).toBe(url);
    }
  });

  it('event streams used minted SSE tokens; the API key never appeared in a URL', () => {
    const streams = requestUrls.filter((u) => /\/v1\/sessions\/[^/]+\/events/.test(u));
    expect(streams.length).toBeGreaterThan(3);
    expect(streams.every((u) => /[?&]token=/.test(u))).toBe(true);
    expect(requestUrls.some((u) => u.includes(ADMIN_TOKEN))).toBe(false);
  });
});
