// The sandbox runtime with real processes: bubblewrap confines a probe (a stand-in for a
// compromised agent's Bash and file tools) and the egress proxy is its only way out. Needs
// bubblewrap (`apt-get install bubblewrap`); .ci/run installs it.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubblewrapRuntime } from './bubblewrap.js';
import type { EgressAttempt } from './egress-proxy.js';
import { hostAllowed, parseHostPattern } from './host-pattern.js';
import { prepareSandbox, SANDBOX_EGRESS_PORT } from './sandbox.js';

const PROBE = fileURLToPath(new URL('./__fixtures__/probe.mjs', import.meta.url));
const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-sandbox-')));
const servers: (http.Server | net.Server)[] = [];

const listen = (server: http.Server | net.Server) =>
  new Promise<number>((resolve) => {
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });

let modelPort = 0;
let hostPort = 0;
let allowedPort = 0;
const modelRequests: { path: string; apiKey: string | undefined }[] = [];

beforeAll(async () => {
  const problem = await bubblewrapRuntime().check();
  if (problem) throw new Error(`The sandbox tests need bubblewrap: ${problem}`);
  modelPort = await listen(
    http.createServer((req, res) => {
      modelRequests.push({ path: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined });
      req.resume();
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"message"}'),
      );
    }),
  );
  // The server's own API stands here: nothing inside may reach it.
  hostPort = await listen(http.createServer((_req, res) => res.end('host api')));
  allowedPort = await listen(net.createServer((s) => s.end()));
});
afterAll(() => {
  for (const s of servers) s.close();
});

function layout() {
  const hostHome = join(root, 'host-home');
  const state = join(root, 'state');
  const work = join(root, 'work-a');
  const other = join(root, 'work-b');
  const outside = join(root, 'outside');
  for (const d of [join(hostHome, '.ssh'), state, work, other, outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(hostHome, '.ssh', 'id_ed25519'), 'HOST-SSH-KEY');
  writeFileSync(join(state, 'aegis.db'), 'STATE');
  writeFileSync(join(other, 'secret.txt'), 'OTHER-SESSION');
  return { hostHome, state, work, other, outside };
}

function run(command: string, args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a bubblewrap sandbox with its egress proxy', () => {
  it('confines files, processes and network; the model is reached with a key the agent never holds', async () => {
    const dirs = layout();
    const attempts: EgressAttempt[] = [];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dirs.hostHome,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${modelPort}`,
      ANTHROPIC_API_KEY: 'real-secret-key',
      PROBE_HOST_HOME_CANARY: join(dirs.hostHome, '.ssh', 'id_ed25519'),
      PROBE_STATE_CANARY: join(dirs.state, 'aegis.db'),
      PROBE_OTHER_CANARY: join(dirs.other, 'secret.txt'),
      PROBE_OUTSIDE_FILE: join(dirs.outside, 'escaped.txt'),
      PROBE_HOST_PORT: String(hostPort),
      PROBE_ALLOWED_PORT: String(allowedPort),
      PROBE_EGRESS_PORT: String(SANDBOX_EGRESS_PORT),
    };
    const sandbox = await prepareSandbox(
      {
        runtime: bubblewrapRuntime(),
        dir: join(dirs.state, 'sandboxes'),
        onEgress: (_id, a) => attempts.push(a),
      },
      { sessionId: 's-1', command: process.execPath, args: [PROBE], env, workDir: dirs.work },
      { allowedHosts: [`127.0.0.1:${allowedPort}`] },
    );
    try {
      expect(sandbox.env.ANTHROPIC_API_KEY).not.toBe('real-secret-key');
      const out = await run(sandbox.command, sandbox.args, sandbox.env, dirs.work);
      expect(out.stderr).toBe('');
      const r = JSON.parse(out.stdout);
      // Nothing of the host's HOME, the state dir or another session's folder is there.
      expect(r.hostHomeCanary).toEqual({ ok: false, code: 'ENOENT' });
      expect(r.stateDirCanary).toEqual({ ok: false, code: 'ENOENT' });
      expect(r.otherWorkDirCanary).toEqual({ ok: false, code: 'ENOENT' });
      expect(r.symlinkOut).toEqual({ ok: false, code: 'ENOENT' });
      expect(r.shadow.ok).toBe(false);
      // Writes land only in the workDir and the private HOME.
      expect(r.writeOutside.ok).toBe(false);
      expect(existsSync(join(dirs.outside, 'escaped.txt'))).toBe(false);
      expect(r.writeEtc).toEqual({ ok: false, code: 'EROFS' });
      expect(r.writeWorkDir.ok).toBe(true);
      expect(readFileSync(join(dirs.work, 'made-inside.txt'), 'utf8')).toBe('inside');
      expect(r.writeHome.ok).toBe(true);
      expect(readdirSync(join(dirs.state, 'sandboxes', 's-1', 'home'))).toContain('note.txt');
      // Its own PID namespace: the launcher and the probe, nothing of the host.
      expect(r.processes).toBeLessThanOrEqual(4);
      // No network but the proxy: the host's loopback is another namespace.
      expect(r.apiKeyInEnv).toBe(false);
      expect(r.hostLoopback).toEqual({ ok: false, code: 'ECONNREFUSED' });
      expect(r.viaProxyToHost).toMatchObject({ ok: true, status: 403 });
      expect(r.tunnelRefused).toMatchObject({ ok: true, status: 403 });
      expect(r.tunnelAllowed).toMatchObject({ ok: true, status: 200 });
      expect(r.model).toMatchObject({ ok: true, status: 200 });
      expect(modelRequests.at(-1)).toEqual({ path: '/v1/messages?beta=true', apiKey: 'real-secret-key' });
      // Every attempt out is reported, refused ones included.
      expect(attempts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'http', port: hostPort, allowed: false }),
          expect.objectContaining({ kind: 'connect', port: hostPort, allowed: false }),
          expect.objectContaining({ kind: 'connect', port: allowedPort, allowed: true }),
          expect.objectContaining({ kind: 'model', allowed: true, path: '/v1/messages' }),
        ]),
      );
    } finally {
      await sandbox.close();
    }
  });

  it('takes the whole process tree down with it', async () => {
    const dirs = layout();
    const marker = `aegis-linger-${process.pid}-${Date.now()}`;
    const sandbox = await prepareSandbox(
      { runtime: bubblewrapRuntime(), dir: join(dirs.state, 'sandboxes') },
      {
        sessionId: 's-2',
        command: process.execPath,
        args: [PROBE],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROBE_MODE: 'linger', PROBE_MARKER: marker },
        workDir: dirs.work,
      },
      { network: 'none' },
    );
    const child = spawn(sandbox.command, sandbox.args, {
      env: sandbox.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const lingering = () =>
      readdirSync('/proc')
        .filter((n) => /^\d+$/.test(n))
        .some((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
          } catch {
            return false;
          }
        });
    const until = async (want: boolean) => {
      for (let i = 0; i < 200 && lingering() !== want; i++) await new Promise((r) => setTimeout(r, 25));
      return lingering();
    };
    expect(await until(true), stderr).toBe(true);
    process.kill(child.pid as number, 'SIGKILL');
    expect(await until(false)).toBe(false);
    await sandbox.close();
  });
});

describe('the egress allow-list', () => {
  it('matches hosts, host:port and wildcard domains, nothing else', () => {
    const list = ['registry.example.org', 'git.example.com:8443', '*.pypi.example'];
    expect(hostAllowed(list, 'registry.example.org', 443)).toBe(true);
    expect(hostAllowed(list, 'REGISTRY.example.org', 80)).toBe(true);
    expect(hostAllowed(list, 'git.example.com', 8443)).toBe(true);
    expect(hostAllowed(list, 'git.example.com', 443)).toBe(false);
    expect(hostAllowed(list, 'files.pypi.example', 443)).toBe(true);
    expect(hostAllowed(list, 'pypi.example', 443)).toBe(false);
    expect(hostAllowed(list, 'evil-registry.example.org', 443)).toBe(false);
    expect(hostAllowed([], '127.0.0.1', 9100)).toBe(false);
    expect(hostAllowed(['[::1]:8080'], '[::1]', 8080)).toBe(true);
    expect(hostAllowed(['[::1]:8080'], '::1', 8081)).toBe(false);
    // A malformed entry allows nothing (the server refuses it at create).
    expect(hostAllowed(['*'], 'anything.example', 443)).toBe(false);
  });

  it('parses entries once, the same way for the server and the proxy', () => {
    expect(parseHostPattern('Git.Example.com:8443')).toEqual({
      name: 'git.example.com',
      port: 8443,
      wildcard: false,
    });
    expect(parseHostPattern('*.pypi.example')).toEqual({ name: 'pypi.example', port: null, wildcard: true });
    expect(parseHostPattern('[fd00::1]')).toEqual({ name: 'fd00::1', port: null, wildcard: false });
    for (const bad of [
      '',
      '*',
      'http://x.example',
      'a b',
      'x.example:0',
      'x.example:70000',
      '*.',
      '-x.example/',
    ])
      expect(parseHostPattern(bad), bad).toBeNull();
  });
});
