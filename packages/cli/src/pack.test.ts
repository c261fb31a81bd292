// Packaging: `pnpm pack` @aegis/cli and every workspace package it needs at runtime, install the
// tarballs into an empty prefix with npm (as a user would, from the npm cache when it is warm), and
// run the installed `ag`: --version, doctor, and `ag serve` answering /v1/health and serving the
// dashboard with its assets. better-sqlite3 compiles from source here, so this takes minutes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForText } from './__fixtures__/ag.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-pack-')));
const tarballs = join(work, 'tarballs');
const prefix = join(work, 'prefix');
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Pkg {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function workspacePackages(): Map<string, { dir: string; pkg: Pkg }> {
  const found = new Map<string, { dir: string; pkg: Pkg }>();
  for (const name of readdirSync(join(root, 'packages'))) {
    const file = join(root, 'packages', name, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Pkg;
    found.set(pkg.name, { dir: join(root, 'packages', name), pkg });
  }
  return found;
}

/** @aegis/cli and the workspace packages it depends on at runtime (dependencies, transitively). */
function runtimeClosure(): { name: string; dir: string }[] {
  const all = workspacePackages();
  const out = new Map<string, string>();
  const visit = (name: string) => {
    const entry = all.get(name);
    if (!entry || out.has(name)) return;
    out.set(name, entry.dir);
    for (const [dep, spec] of Object.entries(entry.pkg.dependencies ?? {}))
      if (spec.startsWith('workspace:')) visit(dep);
  };
  visit('@aegis/cli');
  return [...out].map(([name, dir]) => ({ name, dir }));
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

describe('the packed CLI installs into an empty prefix and works', () => {
  it('pack → npm install -g --prefix → ag --version, aegis --version, doctor, serve + dashboard', async () => {
    const closure = runtimeClosure();
    expect(closure.map((p) => p.name).sort()).toEqual(
      [
        '@aegis/acp-runtime',
        '@aegis/cli',
        '@aegis/client',
        '@aegis/core',
        '@aegis/mcp',
        '@aegis/server',
      ].sort(),
    );

    mkdirSync(tarballs);
    let started = Date.now();
    for (const { name, dir } of closure) {
      const r = await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
      expect(r.code, `pnpm pack ${name}: ${r.err}`).toBe(0);
    }
    const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
    expect(files).toHaveLength(closure.length);
    const packSeconds = seconds(started);

    // pnpm pack rewrote workspace:* to versions.
    const manifest = await run('tar', [
      '-xzOf',
      join(tarballs, files.find((f) => f.startsWith('aegis-cli-'))!),
      'package/package.json',
    ]);
    expect(manifest.out).not.toContain('workspace:');

    started = Date.now();
    const nodeHeaders = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};
    const install = await run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...files.map((f) => join(tarballs, f)),
      ],
      // Build better-sqlite3 from source rather than let prebuild-install try to download a binary
      // from outside the npm registry.
      {
        cwd: work,
        env: { ...nodeHeaders, npm_config_build_from_source: 'true', npm_config_update_notifier: 'false' },
      },
    );
    expect(install.code, install.err).toBe(0);
    console.log(`pack: ${packSeconds} s for ${files.length} packages; npm install: ${seconds(started)} s`);

    const { version } = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as Pkg;
    const home = join(work, 'home');
    mkdirSync(home);
    const env = { HOME: home, AEGIS_STATE_DIR: join(home, 'state'), PATH: process.env.PATH };
    for (const bin of ['ag', 'aegis']) {
      const r = await run(join(prefix, 'bin', bin), ['--version'], { cwd: home, env });
      expect(r.code, r.err).toBe(0);
      expect(r.out.trim()).toBe(version);
    }

    // The installed layout resolves the pinned Claude adapter.
    const doctor = await run(join(prefix, 'bin', 'ag'), ['doctor', '--json'], { cwd: home, env });
    const checks = (JSON.parse(doctor.out) as { checks: { id: string; ok: boolean; detail: string }[] })
      .checks;
    const agent = checks.find((c) => c.id === 'agent')!;
    expect(agent.ok, agent.detail).toBe(true);
    expect(agent.detail).toContain(prefix);

    const port = await freePort();
    const serve = spawn(join(prefix, 'bin', 'ag'), ['serve', '--port', String(port)], {
      cwd: home,
      env: { ...env, AEGIS_LOG_LEVEL: 'warn' },
    });
    let out = '';
    serve.stdout.on('data', (d) => (out += d));
    serve.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => serve.on('close', r));
    try {
      await waitForText(() => out, 'listening on', 60_000);
      const url = `http://127.0.0.1:${port}`;
      const health = (await (await fetch(`${url}/v1/health`)).json()) as { status: string; version: string };
      expect(health).toMatchObject({ status: 'ok' });

      const page = await fetch(`${url}/dashboard/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const res = await fetch(`${url}${asset}`);
        expect(res.status, asset).toBe(200);
        expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
      }
    } finally {
      serve.kill('SIGTERM');
      await exited;
    }
  }, 900_000);
});
