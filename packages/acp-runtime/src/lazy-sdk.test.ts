import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, SCRIPTED_BIN } from './__fixtures__/scripted.js';

const dist = (file: string): URL => {
  const url = new URL(`../dist/${file}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new Error('Build @aegis/acp-runtime first (pnpm build).');
  return url;
};

/**
 * Runs `body` (module code) in a fresh Node process whose module resolution goes through `hook`
 * (an ES module exporting `resolve`); returns the process's stdout and stderr.
 */
function runWithHook(hook: string, body: string): { stdout: string; stderr: string } {
  const program = [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`,
    body,
  ].join('\n');
  // Bounded: an agent process left running would keep the program from ever exiting.
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  expect(run.error, 'the program did not exit within 30 s').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return { stdout: run.stdout, stderr: run.stderr };
}

describe('the ACP SDK loads with the first agent connection', () => {
  it('importing @aegis/acp-runtime does not load @agentclientprotocol/sdk (a server with no agent yet never needs it)', () => {
    const seen = [
      "import { writeSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const found = await next(specifier, context);',
      "  writeSync(2, 'resolved ' + found.url + '\\n');",
      '  return found;',
      '}',
    ].join('\n');
    const { stderr } = runWithHook(seen, `await import(${JSON.stringify(dist('index.js').href)});`);
    const urls = stderr
      .split('\n')
      .filter((line) => line.startsWith('resolved '))
      .map((line) => line.slice('resolved '.length));
    // The check itself works: the package's own modules and its dependencies were seen.
    expect(urls.some((u) => u.endsWith('/dist/acp-session.js'))).toBe(true);
    expect(urls.some((u) => u.includes('/@aegis/core/') || u.includes('/packages/core/'))).toBe(true);
    expect(urls.filter((u) => u.includes('@agentclientprotocol/sdk'))).toEqual([]);
  });

  it('when the SDK cannot be loaded (a broken install), connecting fails AGENT_START_FAILED saying to reinstall, and stops the agent process', () => {
    const missing = [
      'export async function resolve(specifier, context, next) {',
      "  if (specifier === '@agentclientprotocol/sdk') throw new Error(\"Cannot find package '@agentclientprotocol/sdk'\");",
      '  return next(specifier, context);',
      '}',
    ].join('\n');
    const body = [
      `const { AgentProcess } = await import(${JSON.stringify(dist('agent-process.js').href)});`,
      `const { connectAgent } = await import(${JSON.stringify(dist('acp-session.js').href)});`,
      'const proc = await AgentProcess.spawn({',
      "  agentName: 'scripted',",
      '  command: process.execPath,',
      `  args: [${JSON.stringify(SCRIPTED_BIN)}],`,
      "  env: { PATH: process.env.PATH ?? '' },",
      `  cwd: ${JSON.stringify(tmpdir())},`,
      '  stderrTailBytes: 4096,',
      '  shutdownGraceMs: 500,',
      '});',
      'const out = { pid: proc.pid };',
      'try {',
      "  await connectAgent('scripted', proc, 10_000);",
      '  out.connected = true;',
      '} catch (err) {',
      '  Object.assign(out, { code: err.code, message: err.message, exited: proc.exited !== null });',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const out = JSON.parse(runWithHook(missing, body).stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ code: 'AGENT_START_FAILED', exited: true });
    expect(out.message).toMatch(/@agentclientprotocol\/sdk.*Cannot find package.*Reinstall Aegis/);
    expect(isAlive(out.pid as number)).toBe(false);
  });
});
