// The package as npm users get it: `pnpm pack`, lint the tarball with publint and
// are-the-types-wrong, install it into an empty folder with npm, and import it from a plain Node ESM
// script that talks to a live Aegis server. Needs the workspace built (`pnpm build`; `pnpm test`
// builds first).
//
// The live server is loaded from packages/server/dist by path, not as a workspace dependency: the
// server's build depends on the dashboard, which depends on this package, so declaring
// @aegis/server here would make the build graph cyclic.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkgDir, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const serverEntry = join(root, 'packages/server/dist/index.js');
const scriptedAgent = join(root, 'packages/testkit/dist/scripted-agent/bin.js');

interface Running {
  url: string;
  close(): Promise<void>;
}

let tmp: string;
let tarball: string;
let server: Running | undefined;

/** The environment without pnpm's `npm_*` variables (they would configure the nested npm). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return env;
}

/** Runs a command without blocking the event loop (the live server answers from this process). */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', (err) => (out += String(err)));
    child.on('close', (status) => resolve({ status, out }));
  });
}

beforeAll(async () => {
  for (const file of [join(pkgDir, 'dist/index.js'), serverEntry, scriptedAgent]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` at the repo root first.`);
  }
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-client-pack-')));
  const packed = await run('pnpm', ['pack', '--pack-destination', tmp], pkgDir);
  expect(packed.status, packed.out).toBe(0);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`pnpm pack wrote no tarball:\n${packed.out}`);
  tarball = join(tmp, tgz);

  const { startServer } = await import(pathToFileURL(serverEntry).href);
  const work = join(tmp, 'work');
  mkdirSync(work);
  server = (await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [work],
      logLevel: 'silent',
      agents: { scripted: { command: process.execPath, args: [scriptedAgent] } },
      defaultAgent: 'scripted',
    },
  })) as Running;
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('@aegis/client as published', { timeout: 120_000 }, () => {
  it('the tarball holds the ESM build and its types, and no tests or sources', async () => {
    const listed = await run('tar', ['tzf', tarball], tmp);
    expect(listed.status, listed.out).toBe(0);
    const files = listed.out.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']),
    );
    expect(files.filter((f) => /\.test\.|tsbuildinfo|\/src\//.test(f))).toEqual([]);
  });

  it('is clean under publint (warnings count as errors)', async () => {
    const r = await run(bin('publint'), ['run', tarball, '--strict'], tmp);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('All good!');
  });

  // ESM-only on purpose (`"type": "module"`, an `import` condition only), so the `esm-only` profile:
  // it checks node16-from-ESM and bundler resolution, and leaves out `require()` from CommonJS
  // (node16-cjs, which can only ever report "ESM, dynamic import only") and TypeScript's legacy
  // node10 resolution. node10 resolves anyway through the top-level "types" field, asserted below.
  it('is clean under are-the-types-wrong (esm-only profile)', async () => {
    const r = await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], tmp);
    expect(r.status, r.out).toBe(0);
    const report = JSON.parse(r.out.slice(r.out.indexOf('{'))) as {
      analysis: { types: { kind: string } };
      problems?: Record<string, { resolutionKind?: string }[]>;
    };
    expect(report.analysis.types.kind).toBe('included');
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter((p) => p.resolutionKind !== 'node16-cjs');
    expect(problems).toEqual([]);
  });

  it('installs with npm into an empty folder and talks to a live server from a Node ESM script', async () => {
    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // @aegis/client has no dependencies, so the install needs no registry.
    const installed = await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
      app,
    );
    expect(installed.status, installed.out).toBe(0);
    expect(existsSync(join(app, 'node_modules/@aegis/client/dist/index.js'))).toBe(true);
    writeFileSync(
      join(app, 'main.mjs'),
      `import { AegisApiError, AegisClient } from '@aegis/client';
const client = new AegisClient({ baseUrl: process.env.AEGIS_BASE_URL });
const health = await client.getHealth();
const error = await client.getSession('no-such-session').catch((e) => e);
console.log(JSON.stringify({
  status: health.status,
  typedError: error instanceof AegisApiError,
  code: error.code,
  httpStatus: error.status,
}));
`,
    );
    const ran = await run(process.execPath, ['main.mjs'], app, {
      ...cleanEnv(),
      AEGIS_BASE_URL: server!.url,
    });
    expect(ran.status, ran.out).toBe(0);
    expect(JSON.parse(ran.out.trim().split('\n').at(-1)!)).toEqual({
      status: 'ok',
      typedError: true,
      code: 'SESSION_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('type-checks a TypeScript consumer against the installed declarations', async () => {
    const app = join(tmp, 'app');
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { AegisApiError, AegisClient, type components } from '@aegis/client';
const client = new AegisClient({ baseUrl: 'http://127.0.0.1:9100', token: 't' });
export async function status(id: string): Promise<components['schemas']['Session']['status'] | 'gone'> {
  try {
    return (await client.getSession(id)).status;
  } catch (e) {
    if (e instanceof AegisApiError && e.code === 'SESSION_NOT_FOUND') return 'gone';
    throw e;
  }
}
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const r = await run(bin('tsc'), ['-p', 'tsconfig.json'], app);
    expect(r.status, r.out).toBe(0);
  });
});
