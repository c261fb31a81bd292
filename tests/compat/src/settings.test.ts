// The environment variables and config keys of the documents, given to `ag serve` as a user would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AG_BIN, SCRIPTED_ACP_BIN, workspace } from './harness.js';

const ws = workspace('settings');
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await closed;
  }
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Served {
  code: number | null;
  log: string;
  lines: { level?: string; msg?: string; [k: string]: unknown }[];
  url: string;
}

/** `ag serve` with only PATH, HOME and `env`; resolves once it listens (or exits). */
async function serve(env: Record<string, string>, home = ws.folder()): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [AG_BIN, 'serve'], {
    cwd: home,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AEGIS_PORT: String(port),
      AEGIS_STATE_DIR: join(`${home}-state`),
      AEGIS_ACP_BIN: SCRIPTED_ACP_BIN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setInterval(() => {
      if (log.includes('"msg":"Aegis listening"')) {
        clearInterval(timer);
        resolve(null);
      }
    }, 50);
    child.once('close', (c) => {
      clearInterval(timer);
      resolve(c);
    });
  });
  const lines = log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  return { code, log, lines, url: `http://127.0.0.1:${env.AEGIS_PORT ?? port}` };
}

const warnings = (s: Served) => s.lines.filter((l) => l.level === 'warn').map((l) => String(l.msg));

describe('documented environment variables', () => {
  it('the supported ones take effect and draw no warning', async () => {
    const port = String(await freePort());
    const s = await serve({
      AEGIS_PORT: port,
      AEGIS_HOST: '127.0.0.1',
      AEGIS_AUTH_TOKEN: 'compat-token-0123456789',
      AEGIS_LOG_LEVEL: 'info',
      AEGIS_PERMISSION_MODE: 'plan',
      AEGIS_DASHBOARD_ENABLED: 'false',
      AEGIS_ACP_PROMPT_TIMEOUT_MS: '120000',
      AEGIS_SESSION_STORE: 'file',
      AEGIS_BASE_URL: `http://127.0.0.1:${port}`,
    });
    expect(s.code, s.log).toBeNull();
    expect(warnings(s)).toEqual([]);
    // AEGIS_AUTH_TOKEN protects everything but /v1/health.
    expect((await fetch(`${s.url}/v1/health`)).status).toBe(200);
    expect((await fetch(`${s.url}/v1/sessions`)).status).toBe(401);
    const auth = { authorization: 'Bearer compat-token-0123456789' };
    expect((await fetch(`${s.url}/v1/sessions`, { headers: auth })).status).toBe(200);
    // The unversioned paths go through the same authentication.
    expect((await fetch(`${s.url}/sessions`)).status).toBe(401);
    expect((await fetch(`${s.url}/sessions`, { headers: auth })).status).toBe(200);
    expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ status: 'ok' });
    // AEGIS_DASHBOARD_ENABLED=false: no dashboard.
    expect((await fetch(`${s.url}/dashboard/`)).status).toBe(404);
    // AEGIS_PERMISSION_MODE and AEGIS_ACP_PROMPT_TIMEOUT_MS reach the configuration.
    const diag = (await (await fetch(`${s.url}/v1/diagnostics`, { headers: auth })).json()) as {
      config: Record<string, unknown>;
    };
    expect(diag.config).toMatchObject({
      permissionMode: 'plan',
      promptTimeoutMs: 120000,
      dashboardEnabled: false,
    });
  });

  it('AEGIS_WEBHOOKS without a secret starts, warning that deliveries are unsigned', async () => {
    const s = await serve({ AEGIS_WEBHOOKS: 'https://your-app.com/api/aegis-events' });
    expect(s.code, s.log).toBeNull();
    expect(warnings(s)).toEqual([expect.stringMatching(/^webhook deliveries are unsigned/)]);
  });

  it('the unsupported ones start the server and are each named in a start-up warning', async () => {
    const unsupported = {
      AEGIS_TMUX_SESSION: 'aegis',
      AEGIS_HOOK_SECRET_HEADER_ONLY: 'true',
      AEGIS_PG_TABLE: 'aegis_sessions',
      AEGIS_REDIS_URL: 'redis://localhost:6379',
      AEGIS_REDIS_KEY_PREFIX: 'aegis',
    };
    const s = await serve(unsupported);
    expect(s.code, s.log).toBeNull();
    const said = warnings(s);
    for (const name of Object.keys(unsupported))
      expect(said).toContainEqual(expect.stringMatching(new RegExp(`^${name} is set but not supported`)));
  });

  it('AEGIS_SESSION_STORE=redis is refused with what to use instead (a store we do not have is not silently replaced)', async () => {
    const s = await serve({ AEGIS_SESSION_STORE: 'redis' });
    expect(s.code).not.toBeNull();
    expect(s.code).not.toBe(0);
    expect(s.log).toMatch(/"redis" is not a session store this server can use.*postgres/);
  });

  it('IS_SANDBOX=yes starts and says it reaches the agent as 1', async () => {
    const s = await serve({ IS_SANDBOX: 'yes' });
    expect(s.code, s.log).toBeNull();
    expect(warnings(s)).toEqual([
      expect.stringMatching(/IS_SANDBOX="yes" is passed to agents as IS_SANDBOX=1/),
    ]);
  });
});

describe('the documented config file', () => {
  it('the flat ~/.aegis/config.yaml of getting-started starts the server; memoryBridge is named as ignored', async () => {
    const home = ws.folder();
    mkdirSync(join(home, '.aegis'));
    const port = await freePort();
    writeFileSync(
      join(home, '.aegis', 'config.yaml'),
      `baseUrl: http://127.0.0.1:${port}\ndashboardEnabled: true\nauthToken: your-token-of-16-chars\nmemoryBridge:\n  enabled: true\n`,
    );
    const s = await serve({ AEGIS_PORT: String(port) }, home);
    expect(s.code, s.log).toBeNull();
    expect(warnings(s)).toEqual([
      expect.stringMatching(
        /config\.yaml: the key `memoryBridge` is not supported by this server and is ignored/,
      ),
    ]);
    expect((await fetch(`${s.url}/v1/sessions`)).status).toBe(401);
    const ok = await fetch(`${s.url}/v1/sessions`, {
      headers: { authorization: 'Bearer your-token-of-16-chars' },
    });
    expect(ok.status).toBe(200);
  });

  it('allowedWorkDirs in .aegis/config.yaml lets sessions work in a temp folder (the documented way)', async () => {
    const home = ws.folder();
    const project = ws.folder();
    mkdirSync(join(home, '.aegis'));
    writeFileSync(join(home, '.aegis', 'config.yaml'), `server:\n  allowedWorkDirs: [${project}]\n`);
    const s = await serve({}, home);
    expect(s.code, s.log).toBeNull();
    const res = await fetch(`${s.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workDir: project }),
    });
    expect(res.status).toBe(201);
  });
});
