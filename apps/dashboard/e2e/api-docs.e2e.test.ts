/**
 * The interactive API docs (/v1/docs, Swagger UI from swagger-ui-dist served by the server itself)
 * in Chromium against a real server with a bootstrap token: the page renders the operations of the
 * server's own openapi.json with no console errors and no request leaving the server's origin, and
 * "Try it out" with the token calls the API.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS as FLAGS, repo } from './harness.js';

const serverDist = join(repo, 'packages/server/dist');
const TOKEN = 'e2e-docs-bootstrap-token-0123456789';

interface RunningServer {
  url: string;
  close(): Promise<unknown>;
}

let tmp: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(serverDist, 'api-docs/swagger-ui-bundle.js')))
    throw new Error('Build @aegis/server first: pnpm build');
  tmp = mkdtempSync(join(tmpdir(), 'aegis-docs-e2e-'));
  const { startServer } = (await import(pathToFileURL(join(serverDist, 'index.js')).href)) as {
    startServer: (o: unknown) => Promise<RunningServer>;
  };
  server = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [tmp],
      logLevel: 'warn',
      authToken: TOKEN,
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  const origin = new URL(server.url).origin;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('/v1/docs in chromium', () => {
  it('renders every operation of /v1/openapi.json, with no console error and no request off the server', async () => {
    const spec = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operationIds = Object.values(spec.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operationIds.length).toBeGreaterThan(30);

    const res = await page.goto(`${server.url}/v1/docs`);
    expect(res?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor();
    await expect.poll(() => page.locator('.opblock').count()).toBe(operationIds.length);
    const shown = await page.locator('.opblock .opblock-summary-operation-id').allTextContents();
    expect(shown.sort()).toEqual([...operationIds].sort());
    await expect.poll(() => page.locator('.info h1.title').textContent()).toMatch(/^Aegis API/);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('Try it out with the bootstrap token calls the API and shows its answer', async () => {
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux');
    await dialog.getByLabel('auth-bearer-value').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.locator('.btn-done').click();

    const op = page.locator('.opblock', {
      has: page.locator('.opblock-summary-operation-id', { hasText: /^listSessions$/ }),
    });
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const live = op.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => live.textContent()).toMatch(/200/);
    await expect
      .poll(() => op.locator('.live-responses-table .microlight').first().textContent())
      .toContain('"sessions"');
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('fits a phone: the page is no wider than a 390 px viewport', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/v1/docs`);
    await page.locator('.opblock').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
