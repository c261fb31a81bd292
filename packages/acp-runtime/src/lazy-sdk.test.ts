import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module URL a fresh Node process resolves while it imports `entry`, one per line. */
function resolvedWhileImporting(entry: URL): string[] {
  const hook = [
    "import { writeSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const found = await next(specifier, context);',
    "  writeSync(2, 'resolved ' + found.url + '\\n');",
    '  return found;',
    '}',
  ].join('\n');
  const program = [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`,
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr
    .split('\n')
    .filter((line) => line.startsWith('resolved '))
    .map((line) => line.slice('resolved '.length));
}

describe('the ACP SDK loads with the first agent connection', () => {
  it('importing @aegis/acp-runtime does not load @agentclientprotocol/sdk (a server with no agent yet never needs it)', () => {
    const entry = new URL('../dist/index.js', import.meta.url);
    if (!existsSync(fileURLToPath(entry))) throw new Error('Build @aegis/acp-runtime first (pnpm build).');
    const urls = resolvedWhileImporting(entry);
    // The check itself works: the package's own modules and its dependencies were seen.
    expect(urls.some((u) => u.endsWith('/dist/acp-session.js'))).toBe(true);
    expect(urls.some((u) => u.includes('/@aegis/core/') || u.includes('/packages/core/'))).toBe(true);
    expect(urls.filter((u) => u.includes('@agentclientprotocol/sdk'))).toEqual([]);
  });
});
