/**
 * `pnpm demo`, the README's first command, as a fresh-machine user or a script runs it without a
 * terminal: the REAL Claude Code adapter behind `ag run` against the local Messages stand-in must
 * get its write approved and leave hello.txt, and the demo must say so and exit 0.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // stdin is not a terminal (ignored): the demo must approve on its own, as it announces.
    const child = spawn(process.execPath, [join(root, 'scripts/demo.mjs')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('pnpm demo without a terminal approves the write and leaves hello.txt', async () => {
  const { code, stdout, stderr } = await runDemo();
  const output = `${stdout}\n${stderr}`;
  expect(output, output).toContain('approved automatically with --accept-permissions');
  expect(output, output).toContain('hello.txt now contains: "Hello from Aegis"');
  expect(output).not.toContain('User refused permission');
  expect(code, output).toBe(0);
}, 120_000);
