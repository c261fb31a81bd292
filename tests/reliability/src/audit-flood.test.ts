// Issue 22, item 4 as a bounded reliability run: a viewer and unauthenticated clients flood a real
// server process with large bodies for a few seconds; the audit log (and so the disk) must grow by
// a bounded digest per request, and reading the log back must stay a bounded page.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, tempDir } from './harness.js';

const FLOOD_MS = 4_000;
const LOOPS = 4;

/** ~820 KB shaped to survive the old redaction (strings ≤ 200, arrays ≤ 20, objects ≤ 50 keys). */
const BODY = JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 40 }, (_, k) => [
      `k${k}`,
      Array.from({ length: 20 }, () =>
        Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((f) => [f, f.repeat(200)])),
      ),
    ]),
  ),
);

/** The database's size with its WAL folded in, and the audit rows' count and largest details. */
function measure(dbPath: string) {
  const raw = new Database(dbPath);
  try {
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const r = raw
      .prepare('SELECT count(*) AS rows, coalesce(max(length(details)), 0) AS largest FROM audit_log')
      .get() as { rows: number; largest: number };
    return { bytes: statSync(dbPath).size, ...r };
  } finally {
    raw.close();
  }
}

describe('audit log under a flood of large denied requests', () => {
  const root = tempDir('audit-flood');
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  it('grows the database by a bounded digest per request and pages stay bounded', async () => {
    const stateDir = root.sub('state');
    server = await startServerProcess({ stateDir, allowedWorkDirs: [root.sub('work')], mode: 'launcher' });
    const url = server.url;
    const key = async (role: string, token?: string) => {
      const res = await fetch(`${url}/v1/auth/keys`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ name: role, role }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { secret: string }).secret;
    };
    const admin = await key('admin');
    const viewer = await key('viewer', admin);
    const dbPath = join(stateDir, 'aegis.db');
    const before = measure(dbPath);

    const statuses: Record<string, number> = {};
    const deadline = Date.now() + FLOOD_MS;
    const loop = async (token: string | undefined) => {
      while (Date.now() < deadline) {
        const res = await fetch(`${url}/v1/sessions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: BODY,
        });
        await res.arrayBuffer();
        const k = `${token ? 'viewer' : 'anonymous'} ${res.status}`;
        statuses[k] = (statuses[k] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: LOOPS }, (_, i) => loop(i % 2 ? viewer : undefined)));
    const after = measure(dbPath);
    const sent = Object.values(statuses).reduce((a, b) => a + b, 0);

    const t = performance.now();
    const page = await fetch(`${url}/v1/audit?limit=10000`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const text = await page.text();
    const pageMs = performance.now() - t;
    const grew = after.bytes - before.bytes;
    console.log(
      `[figures] audit flood: ${sent} requests of ${(BODY.length / 1024).toFixed(0)} KiB in ${FLOOD_MS / 1000} s (${LOOPS} clients) → ${JSON.stringify(statuses)}; ` +
        `database ${(before.bytes / 1024).toFixed(0)} → ${(after.bytes / 1024).toFixed(0)} KiB (+${(grew / 1024).toFixed(0)} KiB, ${(grew / Math.max(1, after.rows - before.rows)).toFixed(0)} B per row), ` +
        `${after.rows - before.rows} rows, largest details ${after.largest} B; GET /v1/audit ${(text.length / 1024).toFixed(0)} KiB in ${pageMs.toFixed(0)} ms`,
    );
    expect(page.status).toBe(200);
    expect(sent).toBeGreaterThan(10);
    expect(after.largest).toBeLessThan(4096);
    // ~2 KiB a row (digest + indexes): a few hundred rows, nowhere near the bodies' size.
    expect(grew).toBeLessThan(Math.max(1, after.rows - before.rows) * 8192);
    expect(grew).toBeLessThan(8 * 1024 * 1024);
    expect(text.length).toBeLessThanOrEqual(1024 * 1024 + 1024);
  });
});
