import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HELPER = fileURLToPath(new URL('../dist/young-generation.js', import.meta.url));

/**
 * In a child process (V8 flags are per process): allocates like loading code does (most objects
 * live on), with the young generation held, then released; prints the new space's size after each.
 */
const SCRIPT = `
import { getHeapSpaceStatistics } from 'node:v8';
const { holdYoungGeneration, releaseYoungGeneration } = await import(process.argv[1]);
const newSpaceMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
const load = () => {
  let kept = [];
  for (let i = 0; i < 800_000; i++) {
    kept.push({ i, s: 'x' + i });
    if (kept.length > 200_000) kept = [];
  }
};
const hold = process.argv[2] === 'hold';
if (hold) holdYoungGeneration();
load();
const held = newSpaceMiB();
releaseYoungGeneration();
load();
console.log(JSON.stringify({ held, released: newSpaceMiB() }));
`;

function run(mode: 'hold' | 'none', execArgv: string[] = []) {
  const r = spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', SCRIPT, HELPER, mode], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { held: number; released: number };
}

describe('holdYoungGeneration', () => {
  it('keeps the young generation from growing while held; released, V8 grows it as before', () => {
    const grown = run('none');
    const held = run('hold');
    expect(grown.held).toBeGreaterThanOrEqual(16);
    expect(held.held).toBeLessThanOrEqual(4);
    expect(held.released).toBeGreaterThanOrEqual(16);
  });

  it('leaves a process alone whose flags size the young generation', () => {
    const sized = run('hold', ['--semi-space-growth-factor=2']);
    expect(sized.held).toBeGreaterThanOrEqual(16);
  });
});
