#!/usr/bin/env node
// `pnpm demo`: runs `ag run` with the REAL Claude Code ACP adapter against this repository's LOCAL
// STAND-IN for the Anthropic Messages API, so the whole path works with no Anthropic account.
// The model's replies are scripted by the stand-in; everything else (Aegis, the adapter, Claude
// Code, the permission prompt, the file write) is real.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startFakeMessagesApi, claudeAgentEnv } = await import(join(root, 'packages/testkit/dist/index.js'));

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const base = mkdtempSync(join(tmpdir(), 'aegis-demo-'));
const workDir = join(base, 'project');
const home = join(base, 'home');
for (const d of [workDir, home]) (await import('node:fs')).mkdirSync(d, { recursive: true });
const api = await startFakeMessagesApi();
const port = await freePort();
const ownPrompt = process.argv[2];
const prompt = ownPrompt ?? 'create a file named hello.txt containing Hello from Aegis';
const interactive = process.stdin.isTTY === true;

console.log(`
== DEMO: the real Claude Code agent (ACP adapter) + a LOCAL STAND-IN for the Messages API ==
   No Anthropic account is used: the "model" is a scripted server at ${api.url}.
   With real credentials (ANTHROPIC_API_KEY, a Claude login, or ANTHROPIC_BASE_URL of a gateway):
   ag run "<prompt>" --cwd <folder>
Working folder: ${workDir}
`);

const args = [join(root, 'packages/cli/dist/bin.js'), 'run', prompt, '--cwd', workDir];
if (!interactive) {
  // `--yes` alone only quiets status lines; approving every request is `--accept-permissions`.
  args.push('--accept-permissions');
  console.log(
    '(stdin is not a terminal: permissions are approved automatically with --accept-permissions)\n',
  );
}
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  env: {
    ...claudeAgentEnv({ baseUrl: api.url, home, apiKey: 'demo-key-for-the-local-stand-in' }),
    PATH: process.env.PATH,
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: the demo runs outside turbo; TERM only styles ag's output
    TERM: process.env.TERM ?? 'xterm',
    AEGIS_PORT: String(port),
    AEGIS_STATE_DIR: join(base, 'state'),
    AEGIS_ALLOWED_WORKDIRS: base,
  },
});
let code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
try {
  console.log(
    `\nhello.txt now contains: ${JSON.stringify(readFileSync(join(workDir, 'hello.txt'), 'utf8'))}`,
  );
} catch {
  console.log('\nNo hello.txt was written (the write was rejected or failed).');
  // The default prompt's whole point is that file: the demo did not do its job.
  if (ownPrompt === undefined && code === 0) code = 1;
}
await api.close();
rmSync(base, { recursive: true, force: true });
process.exit(code);
