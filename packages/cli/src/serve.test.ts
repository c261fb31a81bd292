import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ag, startAg, waitForText } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-serve-')));

/** A project folder whose .aegis/config.yaml sets the port and state dir. */
function project(name: string, port: number) {
  const dir = join(base, name);
  mkdirSync(join(dir, '.aegis'), { recursive: true });
  writeFileSync(
    join(dir, '.aegis', 'config.yaml'),
    `server:\n  port: ${port}\n  stateDir: ${join(dir, 'state')}\n  logLevel: warn\n`,
  );
  return dir;
}

/** Starts `ag serve`, waits for its "listening" line, returns the URL it printed, then stops it. */
async function serveAndStop(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child = startAg(['serve', ...args], { cwd, env: { HOME: base, ...env } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  try {
    await waitForText(() => out, /listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
    const health = (await (await fetch(`${url}/v1/health`)).json()) as { status: string };
    return { url, out, health };
  } finally {
    child.kill('SIGTERM');
    await child.result;
  }
}

describe('ag serve reads the same config as every command', () => {
  it('takes the port and state dir from ./.aegis/config.yaml and says which file it used', async () => {
    const port = await freePort();
    const dir = project('file', port);
    const r = await serveAndStop(dir, []);
    expect(r.url).toBe(`http://127.0.0.1:${port}`);
    expect(r.health.status).toBe('ok');
    expect(r.out).toContain(`Using config ${join(dir, '.aegis', 'config.yaml')}`);
  });

  it('AEGIS_PORT beats the file, and --port beats AEGIS_PORT', async () => {
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    const dir = project('env', filePort);
    expect((await serveAndStop(dir, [], { AEGIS_PORT: String(envPort) })).url).toBe(
      `http://127.0.0.1:${envPort}`,
    );
    expect((await serveAndStop(dir, ['--port', String(flagPort)], { AEGIS_PORT: String(envPort) })).url).toBe(
      `http://127.0.0.1:${flagPort}`,
    );
  });

  it('the banner names the dashboard and the API docs, and both answer', async () => {
    const port = await freePort();
    const dir = project('banner', port);
    const child = startAg(['serve'], { cwd: dir, env: { HOME: base } });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    try {
      await waitForText(() => out, /API docs/);
      const url = `http://127.0.0.1:${port}`;
      expect(out).toContain(`Dashboard  ${url}/dashboard/`);
      expect(out).toContain(`API docs   ${url}/v1/docs  (OpenAPI: ${url}/v1/openapi.json)`);
      const dashboard = await fetch(`${url}/dashboard/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<div id="root">');
      const docs = await fetch(`${url}/v1/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui-bundle.js');
    } finally {
      child.kill('SIGTERM');
      await child.result;
    }
  });

  it('the banner says when the dashboard is off', async () => {
    const r = await serveAndStop(project('nodash', await freePort()), [], {
      AEGIS_DASHBOARD_ENABLED: 'false',
    });
    expect(r.out).toContain('Dashboard  off (dashboardEnabled: false)');
  });

  it('--config points at another file', async () => {
    const port = await freePort();
    const dir = project('explicit', 1);
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `server:\n  port: ${port}\n  stateDir: ${join(dir, 'state2')}\n`);
    expect((await serveAndStop(dir, ['--config', other])).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('an invalid config file stops it with one line naming the file and field', async () => {
    const dir = join(base, 'invalid');
    mkdirSync(join(dir, '.aegis'), { recursive: true });
    writeFileSync(join(dir, '.aegis', 'config.yaml'), 'server:\n  port: "not a port"\n');
    const r = await ag(['serve'], { cwd: dir, env: { HOME: base } });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^✖ Config file .*invalid\/\.aegis\/config\.yaml: field server\.port: /);
  });
});

describe('ag serve on PostgreSQL, and the start-up errors of the store settings', () => {
  const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `aegis_cli_${process.pid}_${Date.now().toString(36)}`;
  const pgQuery = async (text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  afterAll(() => pgQuery(`drop schema if exists "${schema}" cascade`));

  /** One line on stderr, exit 1, no stack trace. */
  const expectOneLineError = (r: { code: number | null; err: string }) => {
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  };

  it('AEGIS_SESSION_STORE=redis is refused, saying PostgreSQL is the supported shared store', async () => {
    const dir = project('redis', await freePort());
    const r = await ag(['serve'], { cwd: dir, env: { HOME: base, AEGIS_SESSION_STORE: 'redis' } });
    expectOneLineError(r);
    expect(r.err).toMatch(/"redis" is not a session store .*PostgreSQL is the supported shared store/);
    expect(r.out).not.toMatch(/listening/);
  });

  it('an unreachable database URL stops it with one line naming host and port', async () => {
    const closed = await freePort();
    const dir = project('unreachable', await freePort());
    const r = await ag(
      [
        'serve',
        '--store',
        'postgres',
        '--postgres-url',
        `postgres://aegis:hunter2@127.0.0.1:${closed}/aegis`,
      ],
      {
        cwd: dir,
        env: { HOME: base },
      },
    );
    expectOneLineError(r);
    expect(r.err).toContain(`Could not connect to PostgreSQL at 127.0.0.1:${closed} (database aegis)`);
    expect(r.err).not.toContain('hunter2');
  });

  it('serves from PostgreSQL with --store postgres, then refuses the database once a newer Aegis migrated it', async () => {
    const dir = project('pg', await freePort());
    const flags = ['--store', 'postgres', '--postgres-url', PG_URL, '--pg-schema', schema];
    const r = await serveAndStop(dir, flags);
    expect(r.health.status).toBe('ok');
    const tables = await pgQuery(
      "select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'events'",
      [schema],
    );
    expect(tables[0].n).toBe(1);

    await pgQuery(
      `insert into "${schema}"."__aegis_migrations" (hash, created_at) values ('from-the-future', $1)`,
      [Date.UTC(2099, 0, 1)],
    );
    const refused = await ag(['serve', ...flags], { cwd: dir, env: { HOME: base } });
    expectOneLineError(refused);
    expect(refused.err).toMatch(/was migrated by a newer version of Aegis .*Refusing to start/);
  });

  it('takes the store from the config file', async () => {
    const port = await freePort();
    const dir = join(base, 'pg-file');
    mkdirSync(join(dir, '.aegis'), { recursive: true });
    writeFileSync(
      join(dir, '.aegis', 'config.yaml'),
      `server:\n  port: ${port}\n  stateDir: ${join(dir, 'state')}\n  logLevel: warn\n  sessionStore: postgres\n  postgresUrl: ${PG_URL}\n  pgSchema: ${schema}_f\n  pgPoolMax: 2\n`,
    );
    try {
      expect((await serveAndStop(dir, [])).health.status).toBe('ok');
      const rows = await pgQuery(
        'select count(*)::int as n from information_schema.tables where table_schema = $1',
        [`${schema}_f`],
      );
      expect(rows[0].n).toBeGreaterThan(5);
    } finally {
      await pgQuery(`drop schema if exists "${schema}_f" cascade`);
    }
  });
});
