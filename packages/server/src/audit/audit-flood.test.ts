// Issue 22, item 4: the audit log filled the disk, even without credentials. A viewer (or anyone)
// sent bodies the old redaction kept almost whole; denied and unknown requests were not rate
// limited; a page of the log was as large as its records. Real server, real SQLite file.
import { statSync } from 'node:fs';
import { createSqliteStore } from '@aegis/core/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from '../auth/__fixtures__/attack-server.js';
import { MAX_PAGE_BYTES } from '../routes/audit.js';

/** ~820 KB shaped to survive the old redaction (strings ≤ 200, arrays ≤ 20, objects ≤ 50 keys). */
const bulky = () =>
  Object.fromEntries(
    Array.from({ length: 40 }, (_, k) => [
      `k${k}`,
      Array.from({ length: 20 }, () =>
        Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((f) => [f, f.repeat(200)])),
      ),
    ]),
  );

const RATE = 30;
let s: Booted;
let admin: string;

/** The database file's size once the WAL is folded into it (the WAL is reused, not grown, after). */
const fileBytes = (path: string) => {
  const raw = new Database(path);
  try {
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.close();
  }
  return statSync(path).size;
};

/** Rows and their stored bytes (every column) after `afterId`, read from the file itself. */
function rowsAfter(afterId: number): { rows: number; bytes: number; largest: number; maxId: number } {
  const raw = new Database(s.dbPath, { readonly: true });
  try {
    const r = raw
      .prepare(
        `SELECT count(*) AS rows, coalesce(sum(length(details) + length(action) + length(coalesce(target,'')) + 200), 0) AS bytes,
                coalesce(max(length(details)), 0) AS largest, coalesce(max(id), 0) AS maxId
         FROM audit_log WHERE id > ?`,
      )
      .get(afterId) as { rows: number; bytes: number; largest: number; maxId: number };
    return r;
  } finally {
    raw.close();
  }
}

const lastId = () => rowsAfter(0).maxId;

async function flood(n: number, send: () => Promise<{ status: number }>) {
  const statuses: Record<number, number> = {};
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const { status } = await send();
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { statuses, ms: Math.round(performance.now() - started) };
}

beforeAll(async () => {
  s = await boot({ limits: { requestsPerMinute: RATE, authFailuresPerMinute: 10_000 } });
  admin = await s.key('admin');
});
afterAll(() => s.server.close());

// Generous bounds: the floods send ~50-80 MB through loopback on a shared machine.
describe('audit log growth under a flood', { timeout: 120_000 }, () => {
  it('a viewer spamming large bodies at a forbidden route: bounded records, then rate limited', async () => {
    const viewer = await s.key('viewer', admin);
    const body = JSON.stringify(bulky());
    const from = lastId();
    const before = fileBytes(s.dbPath);
    const N = 60;
    const { statuses, ms } = await flood(N, () =>
      s.call('POST', '/v1/sessions', { token: viewer, raw: body }),
    );
    const added = rowsAfter(from);
    const growth = fileBytes(s.dbPath) - before;
    console.log(
      `[figures] viewer: ${N} × ${(body.length / 1024).toFixed(0)} KiB bodies in ${ms} ms → ${JSON.stringify(statuses)}; ` +
        `${added.rows} audit rows, ${(added.bytes / 1024).toFixed(1)} KiB stored (largest details ${added.largest} B); database grew ${(growth / 1024).toFixed(0)} KiB`,
    );
    // The per-key rate applies before the 403: past it, 429s.
    expect(statuses[403]).toBeLessThanOrEqual(RATE);
    expect(statuses[429]).toBeGreaterThanOrEqual(N - RATE);
    expect(added.largest).toBeLessThan(4096);
    expect(added.bytes).toBeLessThan(N * 4096);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });

  it('an unknown route is rate limited like the rest (no 404 past the limit)', async () => {
    const viewer = await s.key('viewer', admin);
    const { statuses } = await flood(RATE + 5, () =>
      s.call('POST', '/v1/no-such-route', { token: viewer, body: { x: 1 } }),
    );
    expect(statuses).toEqual({ 404: RATE, 429: 5 });
  });

  it('an unauthenticated client spamming large bodies: at most 60 records a minute, each small', async () => {
    const body = JSON.stringify(bulky());
    const from = lastId();
    const before = fileBytes(s.dbPath);
    const N = 100;
    const { statuses, ms } = await flood(N, () => s.call('POST', '/v1/sessions', { raw: body }));
    const added = rowsAfter(from);
    const growth = fileBytes(s.dbPath) - before;
    console.log(
      `[figures] unauthenticated: ${N} × ${(body.length / 1024).toFixed(0)} KiB bodies in ${ms} ms → ${JSON.stringify(statuses)}; ` +
        `${added.rows} audit rows, ${(added.bytes / 1024).toFixed(1)} KiB stored (largest details ${added.largest} B); database grew ${(growth / 1024).toFixed(0)} KiB`,
    );
    expect(statuses[401]).toBe(N);
    expect(added.rows).toBeLessThanOrEqual(60);
    expect(added.largest).toBeLessThan(4096);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });

  it('records what was asked: a digest with the body hash and small fields, never the body', async () => {
    const viewer = await s.key('viewer', admin);
    const from = lastId();
    const res = await s.call('POST', '/v1/sessions', {
      token: viewer,
      body: { workDir: '/srv/x', prompt: 'p'.repeat(10_000), env: { GITHUB_TOKEN: 'ghp_canary' } },
    });
    expect(res.status).toBe(403);
    const records = (await s.call('GET', `/v1/audit?after=${from}`, { token: admin })).body.records;
    const denied = records.find((r: { outcome: string }) => r.outcome === '403');
    expect(denied.details).toMatchObject({
      method: 'POST',
      path: '/v1/sessions',
      error: 'FORBIDDEN',
      body: {
        bytes: expect.any(Number),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        fields: { workDir: '/srv/x', prompt: `${'p'.repeat(120)}…`, env: { names: ['GITHUB_TOKEN'] } },
      },
    });
    expect(JSON.stringify(denied)).not.toContain('ghp_canary');
  });
});

describe('audit pages', { timeout: 60_000 }, () => {
  it('stop at a byte budget and say where the next page starts; the chain still verifies', async () => {
    // Large rows as an older server wrote them (whole bodies), appended through a second connection.
    const legacy = createSqliteStore({ path: s.dbPath });
    const big = { body: 'x'.repeat(400_000) };
    try {
      for (let i = 0; i < 12; i++) {
        await legacy.audit.append({
          at: new Date().toISOString(),
          actorId: 'legacy',
          actorRole: 'viewer',
          action: 'createSession',
          target: '/v1/sessions',
          outcome: '403',
          details: big,
        });
      }
    } finally {
      await legacy.close();
    }
    const total = lastId();
    let after = 0;
    let pages = 0;
    let largest = 0;
    let seen = 0;
    let slowest = 0;
    for (;;) {
      const t = performance.now();
      const res = await s.call('GET', `/v1/audit?limit=10000&after=${after}`, { token: admin });
      slowest = Math.max(slowest, performance.now() - t);
      expect(res.status).toBe(200);
      pages++;
      largest = Math.max(largest, res.text.length);
      seen += res.body.records.length;
      expect(res.body.records.length).toBeGreaterThan(0);
      if (res.body.nextAfter === null) break;
      expect(res.headers.get('x-next-after')).toBe(String(res.body.nextAfter));
      after = res.body.nextAfter;
    }
    console.log(
      `[figures] audit pages: ${total} records (12 of ~400 KB) in ${pages} pages, largest ${(largest / 1024).toFixed(0)} KiB, slowest ${slowest.toFixed(0)} ms`,
    );
    expect(seen).toBe(total);
    expect(pages).toBeGreaterThan(1);
    expect(largest).toBeLessThanOrEqual(MAX_PAGE_BYTES + 1024);
    // A smaller budget cuts smaller pages; every format cuts at the same record.
    const small = await s.call('GET', '/v1/audit?limit=10000&maxBytes=4096', { token: admin });
    expect(small.text.length).toBeLessThan(8192);
    const nd = await s.call('GET', '/v1/audit?limit=10000&maxBytes=4096&format=ndjson', { token: admin });
    expect(nd.text.trim().split('\n')).toHaveLength(small.body.records.length);
    expect(nd.headers.get('x-next-after')).toBe(String(small.body.nextAfter));
    const verified = await s.call('GET', '/v1/audit?verify=true&limit=1', { token: admin });
    expect(verified.body.verification).toEqual({ ok: true, checked: total, firstBroken: null });
  });
});

describe('audit verification through the API', () => {
  it('reports a deleted newest record (head_mismatch), which the chain alone could not show', async () => {
    const before = await s.call('GET', '/v1/audit?verify=true&limit=1', { token: admin });
    expect(before.body.verification.ok).toBe(true);
    const newest = lastId();
    const raw = new Database(s.dbPath);
    raw.prepare('DELETE FROM audit_log WHERE id = ?').run(newest);
    raw.close();
    const after = await s.call('GET', '/v1/audit?verify=true&limit=1', { token: admin });
    expect(after.body.verification).toEqual({
      ok: false,
      checked: newest - 1,
      firstBroken: { id: newest, reason: 'head_mismatch' },
    });
  });
});
