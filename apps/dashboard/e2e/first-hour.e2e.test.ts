/**
 * The dashboard in Chromium against a real server in zero-config mode (loopback, no bootstrap
 * token, no key yet), as a new user starts it: reuse of an idle session is said and can be refused,
 * and creating the first API key does not lock the dashboard out. Same front proxy as
 * dashboard.e2e.test.ts (one origin for the SPA and /v1). Order matters: the key comes last.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

let tmp: string;
let api: RunningServer;
let front: ReturnType<typeof serve>;
let base: string;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(appDir, 'dist/index.html'))) throw new Error('Build the dashboard first: pnpm build');
  if (!existsSync(agentBin)) throw new Error(`Build @aegis/testkit first: ${agentBin} is missing`);
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'aegis-dash-first-'));
  mkdirSync(join(tmp, 'work', 'reuse'), { recursive: true });
  const { startServer } = (await import(pathToFileURL(join(repo, 'packages/server/dist/index.js')).href)) as {
    startServer: StartServer;
  };
  const { dashboardRoutes } = (await import(
    pathToFileURL(join(repo, 'packages/server/dist/dashboard.js')).href
  )) as { dashboardRoutes: DashboardRoutes };
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
    if (headers.has('origin')) headers.set('origin', new URL(api.url).origin);
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    const upstream = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => upstream.abort());
    let res: Response;
    try {
      res = await fetch(api.url + url.pathname + url.search, {
        method: c.req.method,
        headers,
        body: hasBody ? await c.req.arrayBuffer() : null,
        signal: upstream.signal,
      });
    } catch {
      return new Response(null, { status: 502 });
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
    viewport: { width: 1400, height: 900 },
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

const toast = (p: Page, text: string | RegExp) => p.getByTestId('toast').filter({ hasText: text });
const sessionIdInUrl = (p: Page) => decodeURIComponent(new URL(p.url()).hash.replace('#/sessions/', ''));

async function startFromForm(
  workDir: string,
  opts: { name?: string; fresh?: boolean } = {},
): Promise<string> {
  await page.goto(`${base}/dashboard/#/sessions`);
  const form = page.getByRole('form', { name: 'Create a session' });
  await form.getByLabel('Working directory').fill(workDir);
  if (opts.name) await form.getByLabel('Name (optional)').fill(opts.name);
  if (opts.fresh) await form.getByLabel(/Fresh session/).check();
  await form.getByRole('button', { name: 'Start session' }).click();
  await page.waitForURL(/#\/sessions\/[^/]+$/);
  return sessionIdInUrl(page);
}

describe('the first hour in the dashboard (zero-config server)', () => {
  it('New session says when it reused an idle session in the folder; "Fresh session" starts a new one', async () => {
    const dir = join(tmp, 'work', 'reuse');
    const first = await startFromForm(dir, { name: 'keeper' });
    await toast(page, 'Session keeper created').waitFor();
    await page.locator('[data-status="idle"]').first().waitFor();

    const again = await startFromForm(dir);
    expect(again).toBe(first);
    await toast(
      page,
      'Reused idle session keeper (0 earlier turns) in this folder; tick “Fresh session” for a new one.',
    ).waitFor();

    const fresh = await startFromForm(dir, { fresh: true });
    expect(fresh).not.toBe(first);
    await toast(page, `Session ${fresh.slice(0, 8)} created`).waitFor();
  });

  it('creating the first key: admin by default, the page says local access ends, and the tab stays signed in; a new tab gets the locked-out screen with why and how to recover', async () => {
    await page.goto(`${base}/dashboard/#/keys`);
    const form = page.getByRole('form', { name: 'Create an API key' });
    await page.getByTestId('first-key-note').waitFor();
    expect(await form.getByLabel('Role').inputValue()).toBe('admin');
    await form.getByLabel('Key name').fill('me');
    await form.getByRole('button', { name: 'Create key' }).click();
    const notice = page.getByTestId('first-key-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('zero-config local access is now off');
    expect(await notice.textContent()).toContain('This tab is now signed in with it.');
    const secret = await page.getByTestId('secret').getByLabel('Plaintext API key').inputValue();
    expect(secret).toMatch(/^aegis_/);
    // The server now refuses keyless requests…
    expect((await fetch(`${api.url}/v1/sessions`)).status).toBe(401);
    // …but this tab is signed in with the new key: the key list and the sessions still load.
    await page.locator('[data-testid="key-row"][data-key="me"]').waitFor();
    expect(await page.locator('[data-testid="key-row"][data-key="me"] td').nth(1).textContent()).toBe(
      'admin',
    );
    await page.goto(`${base}/dashboard/#/sessions`);
    await page.getByRole('link', { name: 'keeper' }).first().waitFor();
    expect(await page.getByRole('form', { name: 'API key required' }).count()).toBe(0);

    // A tab without the key (sessionStorage is per tab) is locked out, and told why and how back in.
    const other = await ctx.newPage();
    other.setDefaultTimeout(15_000);
    await other.goto(`${base}/dashboard/#/sessions`);
    const login = other.getByRole('form', { name: 'API key required' });
    await login.waitFor();
    expect(await other.getByTestId('login-why').textContent()).toContain(
      'it has keys (access without a key ends once the first key is created)',
    );
    const recover = await other.getByTestId('login-recover').textContent();
    expect(recover).toContain('AEGIS_AUTH_TOKEN');
    expect(recover).toContain('bootstrap admin token');
    await other.screenshot({ path: join(shots, 'first-hour-locked-out.png'), fullPage: true });
    await login.getByLabel('API key').fill(secret);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('link', { name: 'keeper' }).first().waitFor();
    await other.close();
  });
});
