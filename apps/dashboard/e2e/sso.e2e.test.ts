/**
 * Dashboard SSO in Chromium: a real server (serving the built dashboard itself, a bootstrap token so
 * a credential is needed) with OIDC against a real OpenID provider (oidc-provider on loopback, from
 * @aegis/testkit). The person clicks "Sign in with SSO", signs in on the IdP's page, comes back
 * signed in (HTTP-only cookie), acts (CSRF header sent by the dashboard), is shown by name, signs out.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentBin, appDir, DESKTOP, launchBrowser, repo, shots } from './harness.js';

interface RunningServer {
  url: string;
  close(): Promise<unknown>;
}
interface TestIdp {
  issuer: string;
  audience: string;
  webClient: { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

let tmp: string;
let idp: TestIdp;
let api: RunningServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(appDir, 'dist/index.html'))) throw new Error('Build the dashboard first: pnpm build');
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'aegis-dash-sso-'));
  mkdirSync(join(tmp, 'work'));
  const { startTestIdp } = (await import(
    pathToFileURL(join(repo, 'packages/testkit/dist/oidc-provider/index.js')).href
  )) as { startTestIdp: () => Promise<TestIdp> };
  const { startServer } = (await import(pathToFileURL(join(repo, 'packages/server/dist/index.js')).href)) as {
    startServer: (o: unknown) => Promise<RunningServer>;
  };
  idp = await startTestIdp();
  api = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [join(tmp, 'work')],
      logLevel: 'warn',
      authToken: 'bootstrap-token-for-the-sso-e2e',
      dashboardDir: join(appDir, 'dist'),
      agents: { scripted: { command: process.execPath, args: [agentBin] } },
      defaultAgent: 'scripted',
      oidc: {
        issuer: idp.issuer,
        clientId: idp.webClient.clientId,
        clientSecret: idp.webClient.clientSecret,
        audience: idp.audience,
        roles: { 'aegis-admins': 'admin' },
      },
    },
  });
  browser = await launchBrowser();
  ctx = await browser.newContext({ viewport: DESKTOP });
  page = await ctx.newPage();
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await api?.close();
  await idp?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('dashboard SSO (Chromium)', () => {
  it('offers "Sign in with SSO" beside the key form', async () => {
    await page.goto(`${api.url}/dashboard/`);
    await page.getByTestId('sso-login').waitFor();
    // The key form stays as the fallback.
    expect(await page.locator('form.login input[type=password]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
  });

  it('signs in at the identity provider and comes back signed in, with an HTTP-only cookie', async () => {
    await page.getByTestId('sso-login').click();
    await page.waitForURL((u) => u.toString().startsWith(idp.issuer));
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.toString().startsWith(`${api.url}/dashboard/`));
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Alice Admin');
    const cookie = (await ctx.cookies(api.url)).find((c) => c.name === 'aegis_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // Page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('aegis_session');
    await page.screenshot({ path: join(shots, 'sso-signed-in.png') });
  });

  it('a mutation without the CSRF header is refused; the dashboard’s own requests carry it', async () => {
    const bare = await page.evaluate(async () => {
      const r = await fetch('/v1/auth/sse-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: r.status, body: await r.json() };
    });
    expect(bare.status).toBe(403);
    expect(bare.body.error.details.reason).toBe('csrf');
    // The Keys page creates a key through the dashboard's client (a POST with the header).
    await page.goto(`${api.url}/dashboard/#/keys`);
    await page.getByLabel('Key name').fill('from-sso');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('from-sso').first().waitFor();
  });

  it('shows people by name: the audit log names Alice for what she did', async () => {
    await page.goto(`${api.url}/dashboard/#/audit`);
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('person').first().waitFor();
    expect(await page.getByTestId('person').first().textContent()).toContain('Alice Admin');
  });

  it('signs out: back to the sign-in form, and the cookie no longer works', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('sso-login').waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/sessions')).status);
    expect(status).toBe(401);
  });
});
