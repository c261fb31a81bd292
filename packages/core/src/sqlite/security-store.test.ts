import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory-store.js';
import { dropTestSchemas, openTestPgStore } from '../pg/__fixtures__/pg-test-db.js';
import { type ApiKeyRecord, type AuditDraft, verifyAuditChain } from '../security-store.js';
import type { AegisStore } from '../store.js';
import { createSqliteStore } from './sqlite-store.js';

const draft = (i: number): AuditDraft => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  actorId: i % 2 ? 'k1' : 'k2',
  actorRole: 'operator',
  action: i % 3 ? 'sendMessage' : 'createSession',
  target: `s${i % 2}`,
  outcome: '200',
  details: { n: i, nested: { b: 1, a: [1, 'x'] } },
});

/** An API key record with nothing set but its id and what `over` says. */
const keyRecord = (id: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  name: id,
  role: 'admin',
  hash: `h-${id}`,
  createdAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  createdBy: null,
  previousHash: null,
  previousExpiresAt: null,
  lastUsedAt: null,
  ...over,
});

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(dropTestSchemas);

describe.each([
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db') })],
  ['postgres', () => openTestPgStore()],
] as [string, () => AegisStore | Promise<AegisStore>][])('%s audit store', (_name, make) => {
  it('chains every record to the previous hash, even when appends race', async () => {
    const store = await make();
    open.push(store);
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => store.audit.append(draft(i))));
    const all = await store.audit.list({ limit: 100 });
    expect(all.map((r) => r.id)).toEqual(records.map((r) => r.id).sort((a, b) => a - b));
    expect(all[0]?.prevHash).toBeNull();
    for (let i = 1; i < all.length; i++) expect(all[i]?.prevHash).toBe(all[i - 1]?.hash);
    expect(await verifyAuditChain(store.audit, 7)).toEqual({ ok: true, checked: 20, firstBroken: null });
    expect(await store.audit.head()).toEqual({ lastId: 20, count: 20, hash: all.at(-1)?.hash });
  });

  it('filters by actor, action, target and time range', async () => {
    const store = await make();
    open.push(store);
    for (let i = 0; i < 12; i++) await store.audit.append(draft(i));
    const q = { limit: 100 };
    expect((await store.audit.list({ ...q, actorId: 'k1' })).length).toBe(6);
    expect((await store.audit.list({ ...q, action: 'createSession' })).length).toBe(4);
    expect((await store.audit.list({ ...q, target: 's0' })).every((r) => r.target === 's0')).toBe(true);
    const ranged = await store.audit.list({ ...q, from: draft(3).at, to: draft(5).at });
    expect(ranged.map((r) => r.details?.n)).toEqual([3, 4, 5]);
  });

  it('finds a key by its current or rotated-out hash', async () => {
    const store = await make();
    open.push(store);
    await store.apiKeys.insert(keyRecord('k1', { name: 'ci', role: 'viewer', hash: 'h1' }));
    await store.apiKeys.update('k1', { hash: 'h2', previousHash: 'h1', previousExpiresAt: 'x' });
    expect((await store.apiKeys.findByHash('h1'))?.id).toBe('k1');
    expect((await store.apiKeys.findByHash('h2'))?.id).toBe('k1');
    expect(await store.apiKeys.findByHash('h3')).toBeUndefined();
    expect((await store.apiKeys.list()).map((k) => k.hash)).toEqual(['h2']);
  });

  it('tells whether keys exist and whether any is active (zero-config local access depends on it)', async () => {
    const store = await make();
    open.push(store);
    const T = '2025-06-01T00:00:00.000Z';
    const key = (id: string, over: Partial<ApiKeyRecord>) => store.apiKeys.insert(keyRecord(id, over));
    expect(await store.apiKeys.state(T)).toBe('none');
    await key('revoked', { revokedAt: '2025-02-01T00:00:00.000Z' });
    await key('expired', { expiresAt: T });
    expect(await store.apiKeys.state(T)).toBe('lapsed');
    await key('expiring', { expiresAt: '2025-06-01T00:00:00.001Z' });
    expect(await store.apiKeys.state(T)).toBe('active');
    expect(await store.apiKeys.state('2025-06-01T00:00:00.001Z')).toBe('lapsed');
    await key('forever', {});
    expect(await store.apiKeys.state('2099-01-01T00:00:00.000Z')).toBe('active');
    await store.apiKeys.update('forever', { revokedAt: T });
    expect(await store.apiKeys.state('2099-01-01T00:00:00.000Z')).toBe('lapsed');
  });
});

describe('sqlite audit tampering', () => {
  it('verify names exactly the row edited in the database file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const store = createSqliteStore({ path });
    open.push(store);
    for (let i = 0; i < 10; i++) await store.audit.append(draft(i));
    const raw = new Database(path);
    raw.prepare("UPDATE audit_log SET outcome = '403' WHERE id = 6").run();
    raw.close();
    expect(await verifyAuditChain(store.audit)).toEqual({
      ok: false,
      checked: 5,
      firstBroken: { id: 6, reason: 'hash_mismatch' },
    });
  });
});

describe('sqlite audit deletions', () => {
  const filled = async (n: number) => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const store = createSqliteStore({ path });
    open.push(store);
    for (let i = 0; i < n; i++) await store.audit.append(draft(i));
    const raw = new Database(path);
    return { store, raw };
  };

  it('detects a deleted newest record through the head anchor', async () => {
    const { store, raw } = await filled(10);
    raw.prepare('DELETE FROM audit_log WHERE id = 10').run();
    raw.close();
    expect(await verifyAuditChain(store.audit)).toEqual({
      ok: false,
      checked: 9,
      firstBroken: { id: 10, reason: 'head_mismatch' },
    });
  });

  it('detects a deleted newest record even after later appends moved the head (an id gap)', async () => {
    const { store, raw } = await filled(10);
    raw.prepare('DELETE FROM audit_log WHERE id = 10').run();
    raw.close();
    await store.audit.append(draft(11));
    expect(await verifyAuditChain(store.audit)).toEqual({
      ok: false,
      checked: 9,
      firstBroken: { id: 10, reason: 'id_gap' },
    });
  });

  it('names the missing id when a record in the middle is deleted', async () => {
    const { store, raw } = await filled(10);
    raw.prepare('DELETE FROM audit_log WHERE id = 4').run();
    raw.close();
    expect(await verifyAuditChain(store.audit, 3)).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { id: 4, reason: 'id_gap' },
    });
  });

  it('detects a deleted head row', async () => {
    const { store, raw } = await filled(3);
    raw.prepare('DELETE FROM audit_head').run();
    raw.close();
    expect((await verifyAuditChain(store.audit)).firstBroken).toEqual({ id: 1, reason: 'head_mismatch' });
  });

  it('an empty log verifies', async () => {
    const { store, raw } = await filled(0);
    raw.close();
    expect(await verifyAuditChain(store.audit)).toEqual({ ok: true, checked: 0, firstBroken: null });
    expect(await store.audit.head()).toBeNull();
  });
});

// Every table created from migration 0003 on, and when 0003 was made, read from the migrations
// themselves so that a new migration needs no change here.
const migrations = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');
const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8')) as {
  entries: { idx: number; when: number; tag: string }[];
};
const later = journal.entries.filter((e) => e.idx >= 3);
const auditHeadWhen = later[0]?.when ?? 0;
const laterTables = later
  .flatMap((e) => [
    ...readFileSync(join(migrations, `${e.tag}.sql`), 'utf8').matchAll(/CREATE TABLE `(\w+)`/g),
  ])
  .map((m) => m[1])
  .reverse();

describe('sqlite audit head migration', () => {
  it('anchors a log written before the head table existed at its current end', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const first = createSqliteStore({ path });
    for (let i = 0; i < 4; i++) await first.audit.append(draft(i));
    await first.close();
    // As a database from before migration 0003: no head table (nor the later tables), no record of
    // those migrations.
    const raw = new Database(path);
    for (const table of laterTables) raw.prepare(`DROP TABLE ${table}`).run();
    raw.prepare('DELETE FROM __drizzle_migrations WHERE created_at >= ?').run(auditHeadWhen);
    raw.close();
    const reopened = createSqliteStore({ path });
    open.push(reopened);
    expect(await reopened.audit.head()).toMatchObject({ lastId: 4, count: 4 });
    expect(await verifyAuditChain(reopened.audit)).toEqual({ ok: true, checked: 4, firstBroken: null });
  });
});

describe('sqlite audit appends while another process holds the lock', () => {
  it('wait without blocking the event loop, and write once the lock is gone', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const store = createSqliteStore({ path, lockWaitMs: 5_000 });
    open.push(store);
    await store.audit.append(draft(0));
    const locker = new Database(path, { timeout: 100 });
    locker.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const pending = store.audit.append(draft(1));
    await new Promise((r) => setTimeout(r, 500));
    locker.exec('ROLLBACK');
    locker.close();
    const record = await pending;
    clearInterval(timer);
    expect(record.id).toBe(2);
    // A 10 ms timer kept firing during the 500 ms lock (a blocked thread would give ~0).
    expect(ticks).toBeGreaterThan(10);
    expect(await verifyAuditChain(store.audit)).toEqual({ ok: true, checked: 2, firstBroken: null });
  });

  it('fail STORE_UNAVAILABLE once the lock outlasts lockWaitMs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const store = createSqliteStore({ path, lockWaitMs: 300 });
    open.push(store);
    const locker = new Database(path, { timeout: 100 });
    locker.exec('BEGIN EXCLUSIVE');
    try {
      await expect(store.audit.append(draft(0))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
  });
});
