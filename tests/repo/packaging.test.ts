// The published library packages as npm would ship them: each is packed with `pnpm pack` and the
// tarball linted by publint (warnings fail) and are-the-types-wrong. @aegis/client has a fuller
// test of its own (packages/client/src/package.test.ts: install and import against a live server);
// @aegis/cli tests its own packing. Needs the workspace built (`pnpm build`; `pnpm test` builds first).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const PACKAGES = ['core', 'acp-runtime', 'server', 'mcp'];

function run(cmd: string, args: string[], cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', (err) => (out += String(err)));
    child.on('close', (status) => done({ status, out }));
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'aegis-pack-'));
const tarballs = new Map<string, string>();

beforeAll(async () => {
  await Promise.all(
    PACKAGES.map(async (name) => {
      const dir = join(root, 'packages', name);
      const exports = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports as Record<
        string,
        { import: string } | string
      >;
      for (const entry of Object.values(exports)) {
        // A string is a plain file (`./package.json`); the rest are built ES modules.
        const file = typeof entry === 'string' ? entry : entry.import;
        if (!existsSync(join(dir, file)))
          throw new Error(`${join(dir, file)} is missing: run \`pnpm build\` at the repo root first.`);
      }
      const dest = join(tmp, name);
      const packed = await run('pnpm', ['pack', '--pack-destination', dest], dir);
      const tgz = existsSync(dest) ? readdirSync(dest).find((f) => f.endsWith('.tgz')) : undefined;
      if (packed.status !== 0 || !tgz) throw new Error(`pnpm pack failed in ${dir}:\n${packed.out}`);
      tarballs.set(name, join(dest, tgz));
    }),
  );
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(PACKAGES)('@aegis/%s as packed', { timeout: 120_000 }, (name) => {
  it('is clean under publint --strict', async () => {
    const r = await run(bin('publint'), ['run', tarballs.get(name)!, '--strict'], tmp);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('All good!');
  });

  // ESM-only packages: node16 (from ESM) and bundler resolution must find JS and types; `require()`
  // from CommonJS and TypeScript's legacy node10 resolution are out of scope (the esm-only profile).
  it('is clean under are-the-types-wrong (esm-only profile)', async () => {
    const r = await run(bin('attw'), [tarballs.get(name)!, '--profile', 'esm-only'], tmp);
    expect(r.status, r.out).toBe(0);
  });
});
