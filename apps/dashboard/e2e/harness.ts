/**
 * A real Aegis server (zero-config loopback, the scripted ACP agent) behind a front Hono app that
 * serves the built dashboard and forwards /v1/* to it — one origin, as when the server serves
 * /dashboard/ itself — and can play "the server is down" (every /v1 request 502, open event streams
 * cut). Chromium is Debian's, driven by playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type Browser, chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const appDir = join(here, '..');
export const repo = join(appDir, '../..');
export const shots = join(repo, 'test-artifacts/dashboard');
export const agentBin = join(repo, 'packages/testkit/dist/scripted-agent/bin.js');
const manyCommands = join(here, 'fixtures/many-commands-agent.mjs');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1400, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The upstream body, ending quietly instead of erroring when the upstream fetch is aborted. */
export function quiet(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
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

interface RunningServer {
  url: string;
  close(): Promise<unknown>;
}

export interface Stack {
  /** The front origin: the dashboard is at `${base}/dashboard/`. */
  base: string;
  tmp: string;
  browser: Browser;
  /** A folder under the allowed root, created. */
  workDir(name: string): string;
  /** Calls the API directly (zero-config: no credential). */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Waits until the session is in one of `statuses`. */
  waitStatus(id: string, ...statuses: string[]): Promise<void>;
  /** While true the front answers every /v1 request 502 and has cut the open event streams. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(join(appDir, 'dist/index.html'))) throw new Error('Build the dashboard first: pnpm build');
  if (!existsSync(agentBin)) throw new Error(`Build @aegis/testkit first: ${agentBin} is missing`);
  mkdirSync(shots, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'aegis-dash-layout-'));
  mkdirSync(join(tmp, 'work')); // allowedWorkDirs must exist when the server starts
  const { startServer } = (await import(pathToFileURL(join(repo, 'packages/server/dist/index.js')).href)) as {
    startServer: (o: unknown) => Promise<RunningServer>;
  };
  const api = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [join(tmp, 'work')],
      logLevel: 'warn',
      agents: {
        scripted: { command: process.execPath, args: [agentBin] },
        'many-commands': { command: process.execPath, args: [manyCommands, agentBin] },
      },
      defaultAgent: 'scripted',
    },
  });

  const front = await startFront(api.url);
  const { base } = front;
  const browser = await launchBrowser();

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(api.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    base,
    tmp,
    browser,
    workDir(name) {
      const d = join(tmp, 'work', name);
      mkdirSync(d, { recursive: true });
      return d;
    },
    call,
    async waitStatus(id, ...statuses) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const s = await call<{ status: string }>('GET', `/v1/sessions/${id}`);
        if (statuses.includes(s.status)) return;
        if (Date.now() > deadline) throw new Error(`session ${id} is ${s.status}, not ${statuses.join('/')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    setDown: front.setDown,
    async close() {
      await browser.close().catch(() => {});
      await front.close();
      await api.close().catch(() => {});
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface Front {
  /** The dashboard is at `${base}/dashboard/`; /v1/* goes to the API. */
  base: string;
  /** While true every /v1 request answers 502 and the open event streams are cut. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/**
 * A front origin serving the built dashboard and forwarding /v1/* to the server at `apiUrl` — one
 * origin, as when the server serves /dashboard/ itself.
 */
export async function startFront(apiUrl: string): Promise<Front> {
  const { dashboardRoutes } = (await import(
    pathToFileURL(join(repo, 'packages/server/dist/dashboard.js')).href
  )) as { dashboardRoutes: (o: { assetsDir: string }) => Hono };
  let down = false;
  const streams = new Set<AbortController>();
  const app = new Hono();
  app.all('/v1/*', async (c) => {
    if (down) return new Response('upstream down', { status: 502 });
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    if (headers.has('origin')) headers.set('origin', new URL(apiUrl).origin);
    const upstream = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => upstream.abort());
    const isStream = url.pathname.endsWith('/events');
    if (isStream) streams.add(upstream);
    upstream.signal.addEventListener('abort', () => streams.delete(upstream));
    let res: Response;
    try {
      res = await fetch(apiUrl + url.pathname + url.search, {
        method: c.req.method,
        headers,
        body: ['GET', 'HEAD'].includes(c.req.method) ? null : await c.req.arrayBuffer(),
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
  const front = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => front.once('listening', () => r()));
  return {
    base: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    setDown(d) {
      down = d;
      if (d) for (const s of streams) s.abort();
    },
    close: () => new Promise<void>((r) => front.close(() => r())),
  };
}

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export const script = (...steps: unknown[]) => `script:${JSON.stringify(steps)}`;
