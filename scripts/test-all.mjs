#!/usr/bin/env node
// Runs every test suite of the workspace one after another and prints one closing line with the
// real totals: `N passed, N failed`. Exits non-zero if anything failed, including a suite that
// crashed without reporting. Usage: pnpm test [-- --only <package dir or its last segment, e.g.
// packages/cli or cli>] [--skip-build]
// `--fast` (`pnpm test:fast`) is the edit–test loop: unit tests and in-process servers with the
// scripted agent; no typecheck/lint/generated-file steps, real Claude adapter, browser, packaging,
// Python SDK install, soak/reliability or benchmark; it runs two suites at a time (`--jobs N`),
// each suite's output buffered and printed whole when it ends. `pnpm test` (what CI runs) is
// unchanged: every suite, one after another, output live.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const skipBuild = argv.includes('--skip-build');
const fast = argv.includes('--fast');
const jobsArg = argv.includes('--jobs') ? Number(argv[argv.indexOf('--jobs') + 1]) : fast ? 2 : 1;
if (!Number.isInteger(jobsArg) || jobsArg < 1) {
  console.error('--jobs takes a whole number of suites to run at once, 1 or more (e.g. --jobs 2).');
  process.exit(2);
}
const jobs = jobsArg;
const packages = workspacePackages();
const chosen = only
  ? chooseOnly(
      packages.map((p) => p.rel),
      only,
    )
  : null;
if (chosen?.size === 0) {
  console.error(`--only ${only} names no workspace package (e.g. packages/core, cli, tests/e2e).`);
  process.exit(2);
}

/** Suites `--fast` leaves out whole (package dirs), and scripts it never runs. */
const SLOW_SUITES = ['packages/python-client', 'tests/reliability', 'bench'];
const SLOW_SCRIPTS = ['test:e2e'];
/**
 * Test files `--fast` leaves out of otherwise fast suites: real adapter, packaging, npm pack, and
 * `ag serve` started as a real server process per test (config precedence and store settings are
 * covered in-process by the server's config tests; the CLI's other commands run against an
 * in-process server).
 */
const SLOW_FILES = {
  'packages/cli': ['src/pack.test.ts', 'src/serve.test.ts'],
  'packages/client': ['src/package.test.ts'],
  'packages/testkit': ['src/fake-messages/real-adapter.test.ts'],
  'tests/e2e': ['real-claude*.test.ts'],
  'tests/repo': ['packaging.test.ts'],
};
/**
 * Suites started first when several run at once, most CPU first (measured under `--fast`), so the
 * two slots end together; the rest follow in workspace order.
 */
const LONG_SUITES = [
  'packages/server',
  'packages/cli',
  'tests/compat',
  'packages/core',
  'packages/acp-runtime',
  'packages/mcp',
];
/**
 * Test files one vitest runs at once under `--fast`. Vitest's default is one fewer than the cores
 * (1 on a 2-core machine), but most of these tests wait on child processes and sockets rather than
 * compute. Suites whose config sets `fileParallelism: false` stay one file at a time.
 */
const FAST_WORKERS = 2;
/**
 * The per-test bound `--fast` gives suites that keep vitest's default (5 s: their config sets no
 * `testTimeout`): with two suites and two files each sharing 2 cores, a test that waits on a child
 * process can pass 5 s without anything being wrong. Suites whose config sets bounds keep them.
 */
const FAST_TEST_TIMEOUT_MS = 20_000;
/**
 * `--fast` runs each vitest worker's test files in one module graph (`--isolate=false`) instead of
 * a fresh one per file: the server's files import the same few hundred modules, and re-importing
 * them per file cost more CPU than the tests. Tests here own their state (servers, stores, temp
 * folders), so nothing leaks between files; `pnpm test` keeps vitest's isolation.
 */
const FAST_VITEST_ARGS = ['--isolate=false'];
const reports = mkdtempSync(join(tmpdir(), 'aegis-test-'));
const results = [];

function run(cmd, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd ?? root,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return { status: r.status ?? 1, stdout: r.stdout ?? '', seconds: (Date.now() - started) / 1000 };
}

/**
 * Runs a command without blocking (for suites run side by side): stdout and stderr are collected
 * into one buffer, which the caller prints whole so suites' logs never interleave.
 */
function runBuffered(cmd, args, opts = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0', ...opts.env },
      cwd: opts.cwd ?? root,
    });
    const chunks = [];
    let stdout = '';
    child.stdout.on('data', (d) => {
      chunks.push(d);
      stdout += d;
    });
    child.stderr.on('data', (d) => chunks.push(d));
    const done = (status) =>
      resolve({
        status,
        stdout,
        log: Buffer.concat(chunks).toString('utf8'),
        seconds: (Date.now() - started) / 1000,
      });
    child.on('error', (err) => {
      chunks.push(Buffer.from(`${cmd}: ${err.message}\n`));
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

function step(name, cmd, args) {
  console.log(`\n=== ${name} ===`);
  const r = run(cmd, args);
  results.push({
    suite: name,
    passed: r.status === 0 ? 1 : 0,
    failed: r.status === 0 ? 0 : 1,
    seconds: r.seconds,
  });
  return r.status === 0;
}

/**
 * Installs a Debian package a suite needs when `ready()` says it is missing and this is root (a fresh
 * machine, CI); otherwise says what to run.
 */
function ensureDebian(pkg, why, ready) {
  if (ready()) return true;
  if (process.getuid?.() !== 0) {
    console.error(
      `${pkg} is missing and this is not root: install it with \`sudo apt-get install -y ${pkg}\` (${why}).`,
    );
    return false;
  }
  console.log(`Installing Debian ${pkg} for ${why}…`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', pkg], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  return ready();
}

const ensureChromium = () =>
  ensureDebian('chromium', 'the browser tests', () => existsSync('/usr/bin/chromium'));
/** The Python SDK's install test needs `python3 -m venv` with pip (Debian ships it as python3-venv). */
const ensurePythonVenv = () =>
  ensureDebian(
    'python3-venv',
    'the Python SDK install test',
    () => spawnSync('python3', ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status === 0,
  );
/** The sandbox tests confine real processes with bubblewrap. */
const ensureBubblewrap = () =>
  ensureDebian(
    'bubblewrap',
    'the sandbox tests',
    () => spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status === 0,
  );

/**
 * The package dirs `--only` picks: the dir it names (`packages/cli`), or every dir with a path
 * segment of that name (`cli`, `e2e`); only when none matches that way, every dir containing it
 * (`pack`). So `--only packages/cli` no longer also runs `packages/client`.
 */
function chooseOnly(dirs, only) {
  const want = only.replace(/\/+$/, '');
  const exact = dirs.filter((d) => d === want || d.split('/').includes(want));
  return new Set(exact.length > 0 ? exact : dirs.filter((d) => d.includes(want)));
}

/** Every workspace package with a test script's home: `dir` (absolute), `rel` (from the root), `pkg`. */
function workspacePackages() {
  const dirs = [];
  for (const group of ['packages', 'apps', 'examples', 'tests']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const pkgPath = join(base, name, 'package.json');
      if (existsSync(pkgPath))
        dirs.push({
          dir: join(base, name),
          rel: `${group}/${name}`,
          pkg: JSON.parse(readFileSync(pkgPath, 'utf8')),
        });
    }
  }
  // The benchmark suite is one package at the root; its `test` script is the smoke run.
  const bench = join(root, 'bench', 'package.json');
  if (existsSync(bench))
    dirs.push({ dir: join(root, 'bench'), rel: 'bench', pkg: JSON.parse(readFileSync(bench, 'utf8')) });
  return dirs;
}

/**
 * Runs one suite and records its totals. With `buffered`, nothing is printed while it runs; the
 * suite's header and whole log come out together when it ends.
 */
async function runSuite(dir, script, command, buffered) {
  const name = `${relative(root, dir)} (${script})`;
  if (!buffered) console.log(`\n=== ${name} ===`);
  const exec = async (cmd, args, opts) => {
    if (!buffered) return run(cmd, args, opts);
    const r = await runBuffered(cmd, args, opts);
    process.stdout.write(`\n=== ${name} === (${r.seconds.toFixed(1)} s)\n${r.log}`);
    return r;
  };
  if (/^vitest run\b/.test(command)) {
    const out = join(reports, `${name.replace(/[^a-z0-9]+/gi, '_')}.json`);
    const extra = command
      .replace(/^vitest run\s*/, '')
      .split(/\s+/)
      .filter(Boolean);
    if (fast) {
      for (const glob of SLOW_FILES[relative(root, dir)] ?? []) extra.push('--exclude', glob);
      extra.push(`--maxWorkers=${FAST_WORKERS}`);
      const config = ['ts', 'mts', 'js', 'mjs'].map((e) => join(dir, `vitest.config.${e}`)).find(existsSync);
      const ownBounds = config !== undefined && /\btestTimeout\b/.test(readFileSync(config, 'utf8'));
      if (!ownBounds)
        extra.push(`--testTimeout=${FAST_TEST_TIMEOUT_MS}`, `--hookTimeout=${FAST_TEST_TIMEOUT_MS}`);
      extra.push(...FAST_VITEST_ARGS);
    }
    const r = await exec(
      join(root, 'node_modules/.bin/vitest'),
      ['run', ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
      { cwd: dir },
    );
    let passed = 0;
    let failed = 0;
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, 'utf8'));
      passed = report.numPassedTests;
      failed = report.numFailedTests;
    }
    if (r.status !== 0 && failed === 0) failed = 1; // crashed or failed outside a test
    results.push({ suite: name, passed, failed, seconds: r.seconds });
    return;
  }
  const r = await exec('pnpm', ['run', '--silent', script], { cwd: dir, capture: true });
  const lines = [...r.stdout.matchAll(/^(?:\w+:\s*)?(\d+) passed, (\d+) failed/gm)];
  const last = lines.at(-1);
  let passed = last ? Number(last[1]) : 0;
  let failed = last ? Number(last[2]) : 0;
  if (r.status !== 0 && failed === 0) failed = 1;
  if (!last && r.status === 0) passed = 1;
  results.push({ suite: name, passed, failed, seconds: r.seconds });
}

/** Runs the suites `jobs` at a time, longest first; one at a time streams output live. */
async function runSuites(suites) {
  const rank = (s) => {
    const i = LONG_SUITES.indexOf(relative(root, s.dir));
    return i === -1 ? LONG_SUITES.length : i;
  };
  const queue = jobs > 1 ? [...suites].sort((a, b) => rank(a) - rank(b)) : [...suites];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) await runSuite(s.dir, s.script, s.command, jobs > 1);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
}

const okBuild = skipBuild || step('build', 'pnpm', ['build']);
if (okBuild) {
  if (!only && !fast) {
    step('typecheck', 'pnpm', ['typecheck']);
    step('lint + format (biome)', join(root, 'node_modules/.bin/biome'), ['check', '.']);
    step('generated files are fresh', process.execPath, ['scripts/gen.mjs', '--check']);
  }
  const browsersReady = fast || ensureChromium();
  if (!fast) ensurePythonVenv();
  ensureBubblewrap();
  const suites = [];
  for (const { dir, rel, pkg } of packages) {
    if (chosen && !chosen.has(rel)) continue;
    if (fast && SLOW_SUITES.includes(rel)) continue;
    for (const script of ['test', 'test:e2e']) {
      if (fast && SLOW_SCRIPTS.includes(script)) continue;
      const command = pkg.scripts?.[script];
      if (!command) continue;
      if (script === 'test:e2e' && !browsersReady) {
        results.push({ suite: `${rel} (${script})`, passed: 0, failed: 1, seconds: 0 });
        continue;
      }
      suites.push({ dir, script, command });
    }
  }
  await runSuites(suites);
  // Side by side, suites end in any order; the table lists them in workspace order.
  const order = suites.map((s) => `${relative(root, s.dir)} (${s.script})`);
  const at = (r) => (order.includes(r.suite) ? order.indexOf(r.suite) : -1);
  results.sort((a, b) => at(a) - at(b));
}

const pad = (s, n) => String(s).padEnd(n);
console.log('\nsuite'.padEnd(50) + 'passed  failed  seconds');
for (const r of results)
  console.log(pad(r.suite, 49) + pad(r.passed, 8) + pad(r.failed, 8) + r.seconds.toFixed(1));
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
