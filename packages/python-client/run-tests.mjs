#!/usr/bin/env node
// Starts a live Aegis server (scripted agent, temp state) and runs the Python SDK's unittest suite
// against it. Prints a closing `N passed, N failed` line and exits with unittest's exit code.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { startServer } = await import(pathToFileURL(join(root, 'packages/server/dist/index.js')).href);
const tmp = mkdtempSync(join(tmpdir(), 'aegis-py-'));
const workRoot = join(tmp, 'work');
mkdirSync(workRoot);

const server = await startServer({
  ignoreEnv: true,
  config: {
    port: 0,
    stateDir: join(tmp, 'state'),
    allowedWorkDirs: [workRoot],
    logLevel: 'warn',
    agents: {
      scripted: {
        command: process.execPath,
        args: [join(root, 'packages/testkit/dist/scripted-agent/bin.js')],
      },
    },
    defaultAgent: 'scripted',
  },
});

let output = '';
const python = process.env.PYTHON ?? 'python3';
const child = spawn(python, ['-m', 'unittest', 'discover', '-s', join(here, 'tests'), '-v'], {
  cwd: here,
  env: {
    ...process.env,
    AEGIS_TEST_BASE_URL: server.url,
    AEGIS_TEST_WORKDIR: workRoot,
    AEGIS_TEST_PACKAGE_DIR: here,
    PYTHONPATH: [here, process.env.PYTHONPATH].filter(Boolean).join(':'),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const relay = (stream, sink) =>
  stream.on('data', (chunk) => {
    output += chunk.toString();
    sink.write(chunk);
  });
relay(child.stdout, process.stdout);
relay(child.stderr, process.stderr);
const [code, signal] = await new Promise((resolve) => child.on('close', (c, s) => resolve([c, s])));
await server.close().catch(() => {});
rmSync(tmp, { recursive: true, force: true });

// unittest -v prints "Ran N tests" and "OK (skipped=1)" or "FAILED (failures=1, errors=2, skipped=1)".
const ran = Number(/^Ran (\d+) tests?/m.exec(output)?.[1] ?? 0);
const count = (key) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(output.split(/^Ran \d+ tests?/m).at(-1))?.[1] ?? 0);
const failed = count('failures') + count('errors') + count('unexpected successes');
const skipped = count('skipped') + count('expected failures');
let passed = ran - failed - skipped;
let failedTotal = failed;
const exitCode = code ?? 1;
if (exitCode !== 0 && failedTotal === 0) failedTotal = 1; // crashed before or outside the tests
if (passed < 0) passed = 0;
if (skipped) console.log(`${skipped} skipped`);
if (signal) console.error(`python exited on ${signal}`);
console.log(`${passed} passed, ${failedTotal} failed`);
process.exit(exitCode);
