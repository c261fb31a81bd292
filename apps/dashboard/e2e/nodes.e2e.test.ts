/**
 * The Nodes page and the owner node on sessions, in Chromium against real servers: two `ag serve`
 * processes on one fresh PostgreSQL schema (AEGIS_TEST_POSTGRES_URL), the dashboard served through a
 * front origin forwarding to node A; and a single SQLite server, where the nav has no Nodes entry.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@aegis/testkit';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentBin,
  DESKTOP,
  type Front,
  launchBrowser,
  PHONE,
  repo,
  type Stack,
  shots,
  startFront,
  startStack,
} from './harness.js';

const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLI_BIN = join(repo, 'packages/cli/dist/bin.js');

async function pgQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

interface NodeProcess {
  id: string;
  url: string;
  child: ChildProcess;
  /** SIGTERM (the node drains and leaves the cluster), SIGKILL if it is still up after 15 s. */
  stop(): Promise<void>;
}

/** `ag serve` as its own process, a node of the cluster in `schema`, running the scripted agent. */
async function startNode(id: string, schema: string, root: string): Promise<NodeProcess> {
  const port = await freePort();
  const stateDir = join(root, `${id}-state`);
  mkdirSync(stateDir, { recursive: true });
  const child = spawn(process.execPath, [CLI_BIN, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: root,
      AEGIS_HOST: '127.0.0.1',
      AEGIS_PORT: String(port),
      AEGIS_STATE_DIR: stateDir,
      AEGIS_ALLOWED_WORKDIRS: join(root, 'work'),
      AEGIS_ACP_BIN: `${process.execPath} ${agentBin}`,
      AEGIS_LOG_LEVEL: 'warn',
      AEGIS_SESSION_STORE: 'postgres',
      AEGIS_POSTGRES_URL: PG_URL,
      AEGIS_PG_SCHEMA: schema,
      AEGIS_PG_POOL_MAX: '4',
      AEGIS_NODE_ID: id,
      AEGIS_DRAIN_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone) throw new Error(`node ${id} exited before listening:\n${out}`);
    if (
      await fetch(`${url}/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node ${id} did not answer /v1/health within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    id,
    url,
    child,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function createSession(
  node: NodeProcess,
  workDir: string,
  name: string,
): Promise<{ id: string; node: string }> {
  mkdirSync(workDir, { recursive: true });
  const res = await fetch(`${node.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workDir, name }),
  });
  const body = (await res.json()) as { session: { id: string; node: string } };
  if (!res.ok) throw new Error(`create on ${node.id}: ${res.status} ${JSON.stringify(body)}`);
  return body.session;
}

async function newPage(browser: Browser, viewport: { width: number; height: number }) {
  const ctx = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return { ctx, page };
}

/** How much wider than the viewport the page is (0 = no sideways scroll). */
const overflowX = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('a cluster of two server processes on one PostgreSQL schema', () => {
  const schema = `aegis_dash_${process.pid}_${Date.now().toString(36)}`;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-dash-nodes-')));
  let a: NodeProcess | undefined;
  let b: NodeProcess | undefined;
  let front: Front | undefined;
  let browser: Browser | undefined;
  let onA: { id: string; node: string };
  let onB: { id: string; node: string };

  beforeAll(async () => {
    mkdirSync(join(root, 'work'));
    mkdirSync(shots, { recursive: true });
    a = await startNode('node-a', schema, root);
    b = await startNode('node-b', schema, root);
    front = await startFront(a.url);
    browser = await launchBrowser();
    onA = await createSession(a, join(root, 'work', 'on-a'), 'made on A');
    onB = await createSession(b, join(root, 'work', 'on-b'), 'made on B');
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await front?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await pgQuery(`drop schema if exists "${schema}" cascade`);
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('each session is owned by the node it was created on', () => {
    expect(onA.node).toBe('node-a');
    expect(onB.node).toBe('node-b');
  });

  it('the nav has a Nodes entry; the page lists both nodes with state, heartbeat and load, this one marked', async () => {
    const { ctx, page } = await newPage(browser!, DESKTOP);
    try {
      await page.goto(`${front!.base}/dashboard/#/`);
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' });
      await link.click();
      await page.waitForURL((u) => u.hash === '#/nodes');
      await page.getByRole('heading', { level: 1, name: 'Nodes' }).waitFor();
      expect(await link.getAttribute('aria-current')).toBe('page');
      expect(await page.title()).toBe('Nodes · Aegis');

      const table = page.getByRole('table', { name: /^2 nodes/ });
      await table.waitFor();
      const rowA = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /node-a/ }) });
      const rowB = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /node-b/ }) });
      expect(await rowA.getByTestId('self-node').textContent()).toBe('this node');
      expect(await rowB.getByTestId('self-node').count()).toBe(0);
      expect(await rowA.getByRole('rowheader').textContent()).toContain(a!.url);
      expect(await rowB.getByRole('rowheader').textContent()).toContain(b!.url);
      for (const row of [rowA, rowB]) {
        expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('active');
        expect(await row.getByTestId('heartbeat').textContent()).toMatch(
          /^ alive, last heartbeat(<1|\d+) s ago$/,
        );
        expect(await row.getByTestId('busy').textContent()).toBe('0 busy');
        expect(await row.getByRole('meter').getAttribute('aria-label')).toMatch(
          /^Agent processes on node-[ab]: \d+ of \d+$/,
        );
      }
      // Each node owns the one session made on it (a live session, counted until it ends).
      const sessionsCell = (row: typeof rowA) => row.locator('td').nth(3);
      await expect.poll(() => sessionsCell(rowA).textContent()).toBe('1');
      await expect.poll(() => sessionsCell(rowB).textContent()).toBe('1');
      expect(await page.getByTestId('fact-lease').getByTestId('metric-value').textContent()).toBe('30 s');
      expect(await page.getByTestId('fact-alive').getByTestId('metric-value').textContent()).toBe('2 / 2');
      expect(await page.getByTestId('fact-unowned').getByTestId('metric-value').textContent()).toBe('0');
      await page.screenshot({ path: join(shots, 'nodes-desktop.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  it('a session’s owner node shows in the sessions list and in its detail panel, even when another node owns it', async () => {
    const { ctx, page } = await newPage(browser!, DESKTOP);
    try {
      await page.goto(`${front!.base}/dashboard/#/sessions`);
      const table = page.getByRole('table', { name: /sessions/ });
      await table.getByRole('columnheader', { name: 'Node' }).waitFor();
      const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name }) });
      await expect.poll(() => row('made on B').getByTestId('session-node').textContent()).toBe('node-b');
      expect(await row('made on A').getByTestId('session-node').textContent()).toBe('node-a');
      // The node serving the dashboard is said to be this one; another's is not.
      expect(await row('made on A').textContent()).toContain('this node');
      expect(await row('made on B').textContent()).not.toContain('this node');

      await page.screenshot({ path: join(shots, 'nodes-sessions-desktop.png'), fullPage: true });
      await row('made on B').getByRole('link', { name: 'made on B' }).click();
      await page.waitForURL((u) => u.hash === `#/sessions/${onB.id}`);
      const side = page.getByRole('complementary', { name: 'Session details' });
      const owner = side.getByTestId('session-node');
      await expect.poll(() => owner.textContent()).toBe('node-b');
      expect(await owner.getByRole('link', { name: 'node-b' }).getAttribute('href')).toBe('#/nodes');
      await page.screenshot({ path: join(shots, 'nodes-session-detail-desktop.png'), fullPage: true });

      await page.goto(`${front!.base}/dashboard/#/sessions/${onA.id}`);
      await expect.poll(() => side.getByTestId('session-node').textContent()).toBe('node-a · this node');
    } finally {
      await ctx.close();
    }
  });

  it('fits at 390 px: no sideways scroll, the table within its card', async () => {
    const { ctx, page } = await newPage(browser!, PHONE);
    try {
      await page.goto(`${front!.base}/dashboard/#/nodes`);
      const table = page.getByRole('table', { name: /^2 nodes/ });
      await table.waitFor();
      expect(await overflowX(page)).toBe(0);
      await page.screenshot({ path: join(shots, 'nodes-phone.png'), fullPage: true });
      const fit = await table.evaluate((el) => ({
        table: el.scrollWidth,
        card: (el.parentElement as HTMLElement).clientWidth,
        cells: [...el.querySelectorAll('tbody tr:first-child > *')].map(
          (c) => (c as HTMLElement).offsetWidth,
        ),
      }));
      expect(fit.table, JSON.stringify(fit)).toBeLessThanOrEqual(fit.card);
      const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' });
      expect(await nav.isVisible()).toBe(true);

      await page.goto(`${front!.base}/dashboard/#/sessions/${onB.id}`);
      const owner = page.getByRole('complementary', { name: 'Session details' }).getByTestId('session-node');
      await expect.poll(() => owner.textContent()).toBe('node-b');
      expect(await overflowX(page)).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});

describe('a single server (SQLite)', () => {
  let stack: Stack;
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    stack = await startStack();
    ({ ctx, page } = await newPage(stack.browser, DESKTOP));
  });
  afterAll(async () => {
    await ctx?.close();
    await stack?.close();
  });

  it('has no Nodes nav entry nor Node column; the page opened directly says it is not part of a cluster', async () => {
    await stack.call('POST', '/v1/sessions', { workDir: stack.workDir('single'), name: 'single' });
    const probe = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/nodes');
    await page.goto(`${stack.base}/dashboard/#/sessions`);
    expect(await (await probe).json()).toMatchObject({ clustered: false, self: null, nodes: [] });
    await page.getByRole('link', { name: 'single' }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Node' }).count()).toBe(0);

    // Opened by address: the page says why there is nothing to list, and where to read more.
    await page.evaluate(() => {
      location.hash = '#/nodes';
    });
    const note = page.getByTestId('not-clustered');
    await note.getByText('This server is not part of a cluster.').waitFor();
    expect(await note.textContent()).toContain('docs/deployment.md');
    expect(await note.getByRole('link', { name: 'GET /v1/nodes' }).getAttribute('href')).toMatch(
      /\/v1\/docs#\/Server\/listNodes$/,
    );
    // By now the probe made when the app started has long been answered: still no Nodes entry.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Sessions',
      'Pipelines',
      'Routines',
      'Cost',
      'Audit',
      'API keys',
    ]);
  });
});
