// `ag keys …` and `ag audit …` as real child processes against a live server with an admin token.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiKey, ApiKeySecret, AuditRecord } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

const ADMIN = 'cli-admin-test-token-0123456789abcdef';
const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-admin-')));
let server: RunningServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base, { authToken: ADMIN }) });
  env = { HOME: base, AEGIS_BASE_URL: server.url, AEGIS_AUTH_TOKEN: ADMIN };
  // A few audited calls to export and verify.
  for (const name of ['a', 'b', 'c']) {
    const dir = join(base, name);
    mkdirSync(dir);
    await api('POST', '/v1/sessions', { workDir: dir, name });
  }
});
afterAll(() => server?.close());

async function api(method: string, path: string, body?: unknown, token = ADMIN) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { records?: AuditRecord[] } };
}

const json = <T>(text: string) => JSON.parse(text) as T;
const allRecords = async () => (await api('GET', '/v1/audit?limit=10000')).body.records ?? [];

describe('ag keys', () => {
  it('create prints the secret once; list shows the key without it', async () => {
    const created = await ag(
      ['keys', 'create', '--name', 'ci', '--role', 'viewer', '--expires', '1d', '--json'],
      {
        env,
      },
    );
    expect(created.code, created.err).toBe(0);
    const { key, secret } = json<ApiKeySecret>(created.out);
    expect(key).toMatchObject({ name: 'ci', role: 'viewer', status: 'active' });
    expect(Date.parse(key.expiresAt!) - Date.now()).toBeGreaterThan(86_000_000);
    expect((await api('GET', '/v1/sessions', undefined, secret)).status).toBe(200);

    const listed = await ag(['keys', 'list', '--json'], { env });
    expect(listed.code).toBe(0);
    expect(json<{ keys: ApiKey[] }>(listed.out).keys.map((k) => k.id)).toContain(key.id);
    expect(listed.out).not.toContain(secret);
    const human = await ag(['keys', 'list'], { env });
    expect(human.out).toMatch(new RegExp(`${key.id}\\s+viewer\\s+active\\s+ci until `));
  });

  it('rotate gives a new secret and keeps the old one for the grace period', async () => {
    const { key, secret: old } = json<ApiKeySecret>(
      (await ag(['keys', 'create', '--name', 'rotating', '--role', 'operator', '--json'], { env })).out,
    );
    const rotated = await ag(['keys', 'rotate', key.id, '--grace', '1h', '--json'], { env });
    expect(rotated.code, rotated.err).toBe(0);
    const { secret: fresh } = json<ApiKeySecret>(rotated.out);
    expect(fresh).not.toBe(old);
    expect((await api('GET', '/v1/sessions', undefined, fresh)).status).toBe(200);
    expect((await api('GET', '/v1/sessions', undefined, old)).status).toBe(200);
  });

  it('revoke stops the key at once', async () => {
    const { key, secret } = json<ApiKeySecret>(
      (await ag(['keys', 'create', '--name', 'doomed', '--json'], { env })).out,
    );
    const revoked = await ag(['keys', 'revoke', key.id], { env });
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out + revoked.err).toContain(`Revoked ${key.id} (doomed)`);
    expect((await api('GET', '/v1/sessions', undefined, secret)).status).toBe(401);
    const listed = json<{ keys: ApiKey[] }>((await ag(['keys', 'list', '--json'], { env })).out);
    expect(listed.keys.find((k) => k.id === key.id)?.status).toBe('revoked');
  });

  it('a bad duration is a clear error and a non-zero exit', async () => {
    const r = await ag(['keys', 'create', '--name', 'x', '--expires', 'soon'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Cannot read duration "soon"');
  });
});

describe('ag audit', () => {
  it('list --limit abc is a usage error, not a NaN sent to the server', async () => {
    const r = await ag(['audit', 'list', '--limit', 'abc'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('--limit must be a whole number from 1 to 10000 (got "abc")');
    const zero = await ag(['audit', 'list', '--limit', '0'], { env });
    expect(zero.code).toBe(1);
  });

  it('export pages through every record: NDJSON with no gap or duplicate', async () => {
    const expected = (await allRecords()).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(4);
    const r = await ag(['audit', 'export', '--format', 'ndjson', '--page-size', '2'], { env });
    expect(r.code, r.err).toBe(0);
    const ids = r.out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditRecord).id);
    // Reads are not audited, so the export sees exactly the records listed before it.
    expect(ids).toEqual(expected);
  });

  it('export pages through every record: CSV with the header once', async () => {
    const expected = await allRecords();
    const r = await ag(
      ['audit', 'export', '--format', 'csv', '--page-size', '2', '--action', 'createSession'],
      {
        env,
      },
    );
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^id,at,/);
    expect(lines.filter((l) => l.startsWith('id,at,'))).toHaveLength(1);
    const rows = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(rows).toEqual(expected.filter((x) => x.action === 'createSession').map((x) => x.id));
    // Three creates, each recorded before it ran ('started') and once answered.
    expect(rows).toHaveLength(6);
  });

  it('verify reports an intact chain and exits 0', async () => {
    const r = await ag(['audit', 'verify'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toMatch(/Audit chain intact \(\d+ records\)/);
  });

  // Last: it breaks the chain for good.
  it('verify names the record edited in the SQLite file and exits 2', async () => {
    const records = await allRecords();
    const target = records[Math.floor(records.length / 2)]!.id;
    // better-sqlite3 reaches this package only through @aegis/server; load it from there.
    const fromServer = createRequire(
      realpathSync(fileURLToPath(new URL('../node_modules/@aegis/server/package.json', import.meta.url))),
    );
    const Database = fromServer('better-sqlite3') as new (
      path: string,
    ) => { prepare(sql: string): { run(...a: unknown[]): unknown }; close(): void };
    const raw = new Database(join(server.config.stateDir, 'aegis.db'));
    raw.prepare("UPDATE audit_log SET outcome = '299' WHERE id = ?").run(target);
    raw.close();

    const r = await ag(['audit', 'verify'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `Audit chain broken at record ${target} (hash_mismatch: its content was changed)`,
    );
    const asJson = await ag(['audit', 'verify', '--json'], { env });
    expect(asJson.code).toBe(2);
    expect(json<{ ok: boolean; firstBroken: { id: number } }>(asJson.out)).toMatchObject({
      ok: false,
      firstBroken: { id: target },
    });
  });
});
