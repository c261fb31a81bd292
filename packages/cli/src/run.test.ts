import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-')));
let port = 19_400 + Math.floor(Math.random() * 500);

function ag(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: base,
      AEGIS_PORT: String(port++),
      AEGIS_STATE_DIR: join(base, 'state'),
      AEGIS_ALLOWED_WORKDIRS: base,
      AEGIS_ACP_BIN: `${process.execPath} ${SCRIPTED_AGENT_BIN}`,
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const writeScript = script(
  { say: 'Writing the file.' },
  {
    tool: {
      title: 'Write out.txt',
      kind: 'edit',
      permission: true,
      write: { path: 'out.txt', content: 'ok' },
    },
  },
  { say: 'Finished.' },
);

describe('ag', () => {
  it('prints its version', () => {
    const r = ag(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('run streams the agent and writes after "y" at the Allow? prompt (no TTY)', () => {
    const dir = join(base, 'yes');
    mkdirSync(dir);
    const r = ag(['run', writeScript, '--cwd', dir], 'y\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Writing the file.');
    expect(r.out).toContain('Finished.');
    expect(r.err).toContain('Allow? [y/N] y');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('ok');
  });

  it('run leaves no file when the person answers "n"', () => {
    const dir = join(base, 'no');
    mkdirSync(dir);
    const r = ag(['run', writeScript, '--cwd', dir], 'n\n');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it('run takes an empty line as "no" (no TTY): only an explicit y approves', () => {
    const dir = join(base, 'enter');
    mkdirSync(dir);
    const r = ag(['run', writeScript, '--cwd', dir], '\n');
    expect(r.code).toBe(0);
    expect(r.err).toContain('Allow? [y/N] \n');
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it('run -y approves without asking', () => {
    const dir = join(base, 'auto');
    mkdirSync(dir);
    const r = ag(['run', writeScript, '--cwd', dir, '-y']);
    expect(r.code).toBe(0);
    expect(r.err).not.toContain('Allow?');
    expect(existsSync(join(dir, 'out.txt'))).toBe(true);
  });

  it('run prints only the agent text on stdout; status and tools on stderr, its server logs in a file', () => {
    const dir = join(base, 'pipe');
    mkdirSync(dir);
    const r = ag(['run', writeScript, '--cwd', dir, '-y']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('Writing the file.\nFinished.\n');
    const log = join(base, 'state', 'ag-run-server.log');
    expect(r.err).toContain(`(its log: ${log})`);
    expect(r.err).toContain('✔ Write out.txt');
    expect(r.err).toMatch(/Done in [\d.]+ s/);
    expect(r.err).not.toContain('"level"');
    expect(readFileSync(log, 'utf8')).toMatch(/"msg":"Aegis listening"/);
  });

  it('run explains a missing login and exits non-zero', () => {
    const dir = join(base, 'auth');
    mkdirSync(dir);
    const r = ag([
      'run',
      script({ fail: { code: -32000, message: 'Authentication required' } }),
      '--cwd',
      dir,
    ]);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('run rejects a folder outside the allowed directories with a clear message', () => {
    const r = ag(['run', 'hi', '--cwd', '/']);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/outside the allowed directories/);
  });
});
