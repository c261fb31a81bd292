import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, startServer } from '@aegis/server';
import { freePort, SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';
import type { Check } from './doctor-checks.js';
import { checkSandbox } from './doctor-feature-checks.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-doctor-')));
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

async function doctor(env: Record<string, string>, args: string[] = []) {
  const home = join(base, `home-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home);
  const r = await ag(['doctor', '--json', ...args], {
    cwd: home,
    env: {
      HOME: home,
      // Beside the folder, not in it: a workDir that contains the state dir is refused.
      AEGIS_STATE_DIR: `${home}-state`,
      AEGIS_PORT: String(await freePort()),
      // Temp folders are not allowed by default; these tests run in one.
      AEGIS_ALLOWED_WORKDIRS: home,
      ...env,
    },
  });
  const report = JSON.parse(r.out) as { ok: boolean; checks: Check[] };
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c])) as Record<Check['id'], Check>;
  return { ...r, report, byId, home };
}

const scripted = { AEGIS_ACP_BIN: `${process.execPath} ${SCRIPTED_AGENT_BIN}` };

describe('ag doctor', () => {
  it('passes with a working agent and an API key, and says which credential it found', async () => {
    const r = await doctor({ ANTHROPIC_API_KEY: 'sk-test' });
    expect(r.code).toBe(0);
    expect(r.report.ok).toBe(true);
    expect(r.report.checks.map((c) => c.id)).toEqual([
      'node',
      'config',
      'agent',
      'auth',
      'port',
      'stateDir',
      'workDir',
      'capacity',
      'stateLock',
      'sandbox',
      'startup',
      'channels',
    ]);
    expect(r.byId.sandbox).toMatchObject({ ok: true, required: false });
    expect(r.byId.startup).toMatchObject({ ok: true, detail: 'nothing to warn about' });
    expect(r.byId.stateLock).toMatchObject({ ok: true, detail: 'free: no server uses this state dir' });
    expect(r.byId.capacity.detail).toMatch(
      /^at most \d+ agent processes at once \(from [\d.]+ GiB of memory at ~450 MiB per agent\); idle agents are closed after 10 min and resumed on the next prompt$/,
    );
    expect(r.byId.node.detail).toContain(`v${process.versions.node}`);
    expect(r.byId.agent.detail).toMatch(
      /claude-code: .*claude-agent-acp.*\(claude-agent-acp \d+\.\d+\.\d+\)/,
    );
    expect(r.byId.auth.detail).toBe('ANTHROPIC_API_KEY (environment)');
    expect(r.byId.stateDir.detail).toContain('(will be created)');
    expect(r.out).not.toContain('sk-test');
  });

  it('flags an IS_SANDBOX value other than 1 and says what the agent receives (not required)', async () => {
    const yes = await doctor({ ...scripted, IS_SANDBOX: 'yes' });
    expect(yes.code).toBe(0);
    expect(yes.byId.startup).toMatchObject({ ok: false, required: false });
    expect(yes.byId.startup.detail).toContain('IS_SANDBOX="yes" is passed to agents as IS_SANDBOX=1');
    const zero = await doctor({ ...scripted, IS_SANDBOX: '0' });
    expect(zero.byId.startup.detail).toContain('IS_SANDBOX="0" is not passed to agents');
    const one = await doctor({ ...scripted, IS_SANDBOX: '1' });
    expect(one.byId.startup.ok).toBe(true);
  });

  it('flags AEGIS_WEBHOOKS without a secret as unsigned deliveries, and the config check passes', async () => {
    const r = await doctor({ ...scripted, AEGIS_WEBHOOKS: 'https://hooks.example.com/aegis' });
    expect(r.code).toBe(0);
    expect(r.byId.config.ok).toBe(true);
    expect(r.byId.startup.detail).toMatch(
      /webhook deliveries are unsigned.*\(https:\/\/hooks\.example\.com\/aegis\)/,
    );
  });

  it('fails on missing Claude credentials with a fix, and exits non-zero', async () => {
    const r = await doctor({});
    expect(r.code).toBe(1);
    expect(r.byId.auth).toMatchObject({ ok: false, required: true, detail: 'no credentials found' });
    expect(r.byId.auth.fix).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('finds a Claude login, ANTHROPIC_BASE_URL and ANTHROPIC_AUTH_TOKEN', async () => {
    const r = await doctor({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:1', ANTHROPIC_AUTH_TOKEN: 't' });
    expect(r.byId.auth.detail).toBe('ANTHROPIC_AUTH_TOKEN (environment), ANTHROPIC_BASE_URL (environment)');
    const claudeDir = join(base, 'claude-config');
    mkdirSync(claudeDir, { recursive: true });
    writeFileSync(join(claudeDir, '.credentials.json'), '{"claudeAiOauth":{}}');
    const login = await doctor({ CLAUDE_CONFIG_DIR: claudeDir });
    expect(login.byId.auth).toMatchObject({ ok: true });
    expect(login.byId.auth.detail).toContain(`a Claude login (${join(claudeDir, '.credentials.json')})`);
  });

  it('checks AEGIS_ACP_BIN; with another agent, Claude credentials are optional', async () => {
    const ok = await doctor(scripted);
    expect(ok.byId.agent).toMatchObject({ ok: true });
    expect(ok.byId.auth).toMatchObject({ ok: false, required: false });
    expect(ok.code).toBe(0);

    const missing = await doctor({ AEGIS_ACP_BIN: `${process.execPath} /nowhere/agent.js` });
    expect(missing.code).toBe(1);
    expect(missing.byId.agent.detail).toBe('agent script /nowhere/agent.js (AEGIS_ACP_BIN) is missing');
    expect(missing.byId.agent.fix).toMatch(/set AEGIS_ACP_BIN to a command that exists/);

    const noBinary = await doctor({ AEGIS_ACP_BIN: 'no-such-agent-binary --acp' });
    expect(noBinary.byId.agent.detail).toMatch(/no-such-agent-binary \(AEGIS_ACP_BIN\) is not an executable/);
  });

  it('reports a port taken by another program, with a fix', async () => {
    const r = await doctor({ ...scripted, AEGIS_PORT: String(busyPort) });
    expect(r.code).toBe(1);
    expect(r.byId.port.detail).toBe(`127.0.0.1:${busyPort} cannot be used (in use by another program)`);
    expect(r.byId.port.fix).toMatch(/AEGIS_PORT=/);
  });

  it('accepts a port where an Aegis server already answers', async () => {
    const server = await startServer({
      ignoreEnv: true,
      config: { port: 0, stateDir: join(base, 'running'), logLevel: 'silent', dashboardEnabled: false },
    });
    try {
      const r = await doctor({
        ...scripted,
        AEGIS_PORT: String(server.port),
        AEGIS_STATE_DIR: server.config.stateDir,
      });
      expect(r.byId.port).toMatchObject({ ok: true });
      expect(r.byId.port.detail).toMatch(/Aegis \d+\.\d+\.\d+ is already answering/);
      expect(r.byId.stateLock.ok).toBe(true);
      expect(r.byId.stateLock.detail).toContain(
        `held by a running server (pid ${process.pid} at ${server.url}, started `,
      );
      expect(r.byId.stateLock.detail).toContain('a second `ag serve`');
    } finally {
      await server.close();
    }
  });

  it('reports a stale state dir lock (its pid is gone) as one the next server takes over', async () => {
    const stateDir = join(base, 'stale-lock');
    mkdirSync(stateDir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(gone.stdout);
    writeFileSync(
      join(stateDir, 'server.lock'),
      JSON.stringify({
        pid,
        hostname: hostname(),
        url: 'http://127.0.0.1:9100',
        startedAt: 'then',
        token: 't',
      }),
    );
    const r = await doctor({ ...scripted, AEGIS_STATE_DIR: stateDir });
    expect(r.byId.stateLock).toMatchObject({
      ok: true,
      detail: `stale: left by pid ${pid} at http://127.0.0.1:9100, started then (pid ${pid} is not running); the next server takes it over`,
    });
  });

  it('reports a state dir that is a file', async () => {
    const file = join(base, 'not-a-dir');
    writeFileSync(file, '');
    const r = await doctor({ ...scripted, AEGIS_STATE_DIR: file });
    expect(r.code).toBe(1);
    expect(r.byId.stateDir).toMatchObject({ ok: false, detail: `${file} exists but is not a directory` });
    expect(r.byId.stateDir.fix).toMatch(/AEGIS_STATE_DIR/);
  });

  it('reports an invalid config file by name and field', async () => {
    const dir = join(base, 'bad-config');
    mkdirSync(join(dir, '.aegis'), { recursive: true });
    writeFileSync(join(dir, '.aegis', 'config.yaml'), 'server:\n  logLevel: loud\n');
    const r = await doctor(scripted, ['--config', join(dir, '.aegis', 'config.yaml')]);
    expect(r.code).toBe(1);
    expect(r.byId.config.ok).toBe(false);
    expect(r.byId.config.detail).toMatch(/bad-config\/\.aegis\/config\.yaml: field server\.logLevel/);
  });

  it('fails "can a session run here?" when the folder is outside the allowed directories', async () => {
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const r = await doctor({ ...scripted, AEGIS_ALLOWED_WORKDIRS: elsewhere });
    expect(r.code).toBe(1);
    expect(r.byId.workDir).toMatchObject({ ok: false, required: true });
    expect(r.byId.workDir.detail).toBe(
      `a server started with \`ag serve\` would refuse a session here (\`ag run\` allows the folder of the server it starts): workDir ${r.home} is outside the allowed directories (${elsewhere})`,
    );
    expect(r.byId.workDir.fix).toContain(
      `add ${r.home} to server.allowedWorkDirs in ${join(r.home, '.aegis', 'config.yaml')}`,
    );
  });

  it('passes "can a session run here?" in a temp folder once `ag init` wrote it as allowed', async () => {
    const dir = join(base, 'init-then-doctor');
    mkdirSync(dir);
    // No config and no AEGIS_ALLOWED_WORKDIRS: temp folders are not allowed, as `ag run` would find.
    const before = await ag(['doctor', '--json'], {
      cwd: dir,
      env: {
        ...scripted,
        HOME: dir,
        AEGIS_STATE_DIR: `${dir}-state`,
        AEGIS_PORT: String(await freePort()),
      },
    });
    const workDir = (out: string) =>
      (JSON.parse(out) as { checks: Check[] }).checks.find((c) => c.id === 'workDir');
    expect(before.code).toBe(1);
    expect(workDir(before.out)).toMatchObject({ ok: false });
    expect((await ag(['init', '--defaults'], { cwd: dir, env: { HOME: dir } })).code).toBe(0);
    const after = await ag(['doctor', '--json'], {
      cwd: dir,
      env: {
        ...scripted,
        HOME: dir,
        AEGIS_STATE_DIR: `${dir}-state`,
        AEGIS_PORT: String(await freePort()),
      },
    });
    expect(workDir(after.out)).toMatchObject({
      ok: true,
      detail: `a session can work in ${dir} (allowed: ${dir})`,
    });
  });

  it('prints ✓/✗ lines with a fix per failure for people', async () => {
    const home = join(base, 'human');
    mkdirSync(home);
    const r = await ag(['doctor'], {
      cwd: home,
      env: {
        HOME: home,
        AEGIS_STATE_DIR: `${home}-s`,
        AEGIS_PORT: String(busyPort),
        AEGIS_ALLOWED_WORKDIRS: home,
      },
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^✓ Node\.js +v/m);
    expect(r.out).toMatch(/^✗ Claude auth +no credentials found\n {2}fix: /m);
    expect(r.out).toMatch(/^✗ Port .*\n {2}fix: /m);
    expect(r.out).toContain('2 required checks failed.');
    expect(r.out).not.toContain('\x1b['); // no colors without a terminal
  });
});

describe('ag doctor capacity', () => {
  it('reports a configured limit and eviction, and warns when the limit is past the memory', async () => {
    const r = await doctor({
      ANTHROPIC_API_KEY: 'sk-test',
      AEGIS_MAX_RESIDENT_AGENTS: '3',
      AEGIS_IDLE_EVICT_MS: '0',
    });
    expect(r.byId.capacity).toMatchObject({
      ok: true,
      detail:
        'at most 3 agent processes at once (configured); idle agents are never evicted (sessions.idleEvictMs 0)',
    });
    const many = await doctor({ ANTHROPIC_API_KEY: 'sk-test', AEGIS_MAX_RESIDENT_AGENTS: '100000' });
    expect(many.byId.capacity.ok).toBe(false);
    expect(many.byId.capacity.fix).toMatch(/lower sessions\.maxResidentAgents \(AEGIS_MAX_RESIDENT_AGENTS\)/);
    // Not required: the run still passes.
    expect(many.code).toBe(0);
  });

  it('refuses a non-numeric or negative idleEvictMs at start-up, naming the setting', async () => {
    const bad = await doctor({ ANTHROPIC_API_KEY: 'sk-test', AEGIS_IDLE_EVICT_MS: 'soon' });
    expect(bad.byId.config.ok).toBe(false);
    expect(bad.byId.config.detail).toMatch(
      /sessions\.idleEvictMs \(environment variable AEGIS_IDLE_EVICT_MS\)/,
    );
    const negative = await doctor({ ANTHROPIC_API_KEY: 'sk-test', AEGIS_IDLE_EVICT_MS: '-5' });
    expect(negative.byId.config.detail).toMatch(
      /sessions\.idleEvictMs .*0 \(never evict\) or a positive number/,
    );
  });
});

describe('the sandbox check', () => {
  const server = (mode: 'off' | 'on' | 'required') =>
    resolveConfig({ stateDir: join(tmpdir(), 'aegis-doctor-sandbox'), sandbox: { mode } });
  it('passes with this machine’s bubblewrap', async () => {
    const check = await checkSandbox(server('on'));
    expect(check).toMatchObject({ id: 'sandbox', ok: true });
    expect(check.detail).toMatch(/bubblewrap works \(sandbox\.mode on/);
  });
  it('fails, and is required only when the server requires sandboxes', async () => {
    const missing = {
      name: 'bubblewrap',
      check: async () => 'bwrap is not installed',
      wrap: () => ({ command: '', args: [] }),
    };
    const off = await checkSandbox(server('off'), missing);
    expect(off).toMatchObject({ ok: false, required: false });
    const required = await checkSandbox(server('required'), missing);
    expect(required).toMatchObject({ ok: false, required: true });
    expect(required.detail).toMatch(/every session is refused/);
    expect(required.fix).toMatch(/apt-get install bubblewrap/);
  });
});
